"""The client state machine: every state x event x method, legal and illegal."""

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest

from webapp.rules import RuleError
from webapp.rules.invites import (
    AlreadyInProgram,
    Event,
    InvitationStatus,
    InvitationUnusable,
    InvitationView,
    InviteError,
    Method,
    State,
    check_can_accept,
    check_invite,
    check_move,
    check_usable,
    expiry,
    invitation_status,
    is_movable,
    listed_under,
    start_date_on_accept,
    start_follows_join,
    state_on_accept,
    state_on_move,
    transition,
)

A, P, AC, R = State.ABSENT, State.PENDING, State.ACTIVE, State.REMOVED
MAN, EM, LN = Method.MANUAL, Method.EMAIL, Method.LINK
ALL = (MAN, EM, LN)

# Every legal step; each (state, event, method) missing here must be refused.
LEGAL = {
    # Manual Invite: pending at once (calendar exists), also for someone removed before.
    (A, Event.MANUAL_INVITE, MAN): P,
    (R, Event.MANUAL_INVITE, MAN): P,
    # The formal invitation of a pending client, and email invitations (not clients yet).
    (P, Event.SEND_INVITE, MAN): P,
    (A, Event.SEND_INVITE, EM): A,
    (R, Event.SEND_INVITE, EM): R,
    # Accepting: pending -> active by any route; email/link invitees active directly.
    (P, Event.ACCEPT, MAN): AC,
    (P, Event.ACCEPT, EM): AC,
    (P, Event.ACCEPT, LN): AC,
    (A, Event.ACCEPT, EM): AC,
    (A, Event.ACCEPT, LN): AC,
    (R, Event.ACCEPT, EM): AC,
    (R, Event.ACCEPT, LN): AC,
    # Withdrawing or expiring an invitation changes no client state.
    (P, Event.REVOKE, MAN): P,
    (P, Event.EXPIRE, MAN): P,
    (A, Event.REVOKE, EM): A,
    (A, Event.EXPIRE, EM): A,
    (R, Event.REVOKE, EM): R,
    (R, Event.EXPIRE, EM): R,
    # Moving and removing whatever the method was.
    **{(P, Event.MOVE, m): P for m in ALL},
    **{(AC, Event.MOVE, m): AC for m in ALL},
    **{(P, Event.REMOVE, m): R for m in ALL},
    **{(AC, Event.REMOVE, m): R for m in ALL},
    # In a program paid by card, Stripe's confirmation of the first payment makes them active.
    **{(P, Event.FIRST_PAYMENT, m): AC for m in ALL},
}

EVERY_STEP = list(itertools.product(State, Event, Method))


def test_the_table_covers_every_state_event_and_method():
    assert len(EVERY_STEP) == 4 * 8 * 3
    assert set(LEGAL) <= set(EVERY_STEP)


@pytest.mark.parametrize(("state", "event", "method"), EVERY_STEP, ids=lambda v: str(v))
def test_transition(state, event, method):
    step = (state, event, method)
    if step in LEGAL:
        assert transition(state, event, method) is LEGAL[step]
    else:
        with pytest.raises(InviteError) as refused:
            transition(state, event, method)
        assert isinstance(refused.value, RuleError)
        assert str(refused.value).endswith(".")  # a sentence fit to show a person


@pytest.mark.parametrize(
    ("state", "event", "method", "error", "words"),
    [
        (P, Event.MANUAL_INVITE, MAN, AlreadyInProgram, "already pending"),
        (AC, Event.MANUAL_INVITE, MAN, AlreadyInProgram, "already an active client"),
        (P, Event.SEND_INVITE, EM, AlreadyInProgram, "already pending"),
        (AC, Event.SEND_INVITE, EM, AlreadyInProgram, "already an active client"),
        (AC, Event.ACCEPT, LN, AlreadyInProgram, "already a client"),
        (A, Event.ACCEPT, MAN, InvitationUnusable, "no longer valid"),
        (R, Event.ACCEPT, MAN, InvitationUnusable, "no longer valid"),
        (A, Event.SEND_INVITE, MAN, InviteError, "Only a pending client"),
        (R, Event.MOVE, MAN, InviteError, "Only pending or active"),
        (R, Event.REMOVE, MAN, InviteError, "already been removed"),
        (AC, Event.REVOKE, EM, InviteError, "no outstanding invitation"),
        (AC, Event.FIRST_PAYMENT, EM, InviteError, "awaiting their first payment"),
    ],
)
def test_refusals_say_why(state, event, method, error, words):
    with pytest.raises(error, match=words):
        transition(state, event, method)


NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class TestInvitations:
    def test_an_invitation_expires_after_the_configured_days(self):
        assert expiry(NOW) == NOW + timedelta(days=14)
        assert expiry(NOW, 3) == NOW + timedelta(days=3)
        with pytest.raises(InviteError):
            expiry(NOW, 0)

    @pytest.mark.parametrize(
        ("view", "status"),
        [
            (InvitationView(expires_at=NOW + timedelta(seconds=1)), InvitationStatus.OUTSTANDING),
            (InvitationView(expires_at=NOW), InvitationStatus.EXPIRED),
            (InvitationView(expires_at=NOW, accepted_at=NOW), InvitationStatus.ACCEPTED),
            (
                InvitationView(expires_at=NOW + timedelta(days=1), revoked_at=NOW),
                InvitationStatus.REVOKED,
            ),
        ],
    )
    def test_status_given_now(self, view, status):
        assert invitation_status(view, NOW) is status

    def test_a_used_invitation_tells_someone_logged_in_not_to_log_in(self):
        used = InvitationView(expires_at=NOW + timedelta(days=1), accepted_at=NOW)
        with pytest.raises(InvitationUnusable, match="Log in"):
            check_usable(used, NOW)
        with pytest.raises(InvitationUnusable) as refused:
            check_usable(used, NOW, logged_in=True)
        assert "already been used" in str(refused.value) and "Log in" not in str(refused.value)

    @pytest.mark.parametrize(
        ("view", "words"),
        [
            (InvitationView(expires_at=NOW - timedelta(days=1)), "expired"),
            (InvitationView(expires_at=NOW + timedelta(days=1), revoked_at=NOW), "withdrawn"),
            (
                InvitationView(expires_at=NOW + timedelta(days=1), accepted_at=NOW),
                "already been used",
            ),
        ],
    )
    def test_only_an_outstanding_invitation_is_usable(self, view, words):
        with pytest.raises(InvitationUnusable, match=words):
            check_usable(view, NOW)
        check_usable(InvitationView(expires_at=NOW + timedelta(minutes=1)), NOW)


class TestInviting:
    def test_a_new_email_can_be_invited_either_way(self):
        assert check_invite(A, MAN, outstanding_invitation=False) is P
        assert check_invite(A, EM, outstanding_invitation=False) is A

    @pytest.mark.parametrize("method", [MAN, EM])
    def test_an_outstanding_invitation_blocks_a_second_invite(self, method):
        with pytest.raises(AlreadyInProgram, match="outstanding invitation"):
            check_invite(A, method, outstanding_invitation=True)

    @pytest.mark.parametrize(("state", "method"), list(itertools.product([P, AC], [MAN, EM])))
    def test_one_person_once_per_program(self, state, method):
        with pytest.raises(AlreadyInProgram):
            check_invite(state, method, outstanding_invitation=False)

    def test_a_coach_cannot_invite_their_own_email(self):
        with pytest.raises(InviteError, match="your own email"):
            check_invite(A, MAN, outstanding_invitation=False, own_email=True)

    def test_the_join_link_is_not_an_invite_method_for_a_coach_to_send(self):
        with pytest.raises(InviteError, match="join link"):
            check_invite(A, LN, outstanding_invitation=False)


class TestAccepting:
    def test_a_coach_account_cannot_accept(self):
        with pytest.raises(InviteError, match="coach account"):
            check_can_accept(is_coach=True, account_email="c@x.com", invited_email="c@x.com")

    def test_only_the_invited_address_can_accept_an_invitation(self):
        with pytest.raises(InviteError, match="sent to ana@x.com"):
            check_can_accept(is_coach=False, account_email="bo@x.com", invited_email="ana@x.com")
        check_can_accept(is_coach=False, account_email="Ana@x.com", invited_email="ana@x.com")
        check_can_accept(is_coach=False, account_email="bo@x.com", invited_email=None)

    def test_a_pending_client_keeps_a_start_date_their_coach_set_others_start_today(self):
        set_by_coach, today = date(2026, 2, 1), date(2026, 3, 1)
        assert start_date_on_accept(P, set_by_coach, today, chosen_by_coach=True) == set_by_coach
        assert start_date_on_accept(A, None, today, chosen_by_coach=False) == today
        assert start_date_on_accept(R, set_by_coach, today, chosen_by_coach=True) == today

    def test_a_pending_client_starts_on_the_day_they_join_unless_the_coach_set_a_date(self):
        invited_on, today = date(2026, 2, 1), date(2026, 3, 1)
        assert start_date_on_accept(P, invited_on, today, chosen_by_coach=False) == today


class TestMoving:
    def test_a_move_into_another_open_program_is_allowed(self):
        check_move(same_program=False, target_archived=False, target_has_email=False)

    @pytest.mark.parametrize(
        ("kwargs", "words"),
        [
            ({"same_program": True}, "already in that program"),
            ({"target_archived": True}, "archived"),
            ({"target_has_email": True}, "already in that program"),
        ],
    )
    def test_a_move_is_refused(self, kwargs, words):
        options = {"same_program": False, "target_archived": False, "target_has_email": False}
        with pytest.raises(InviteError, match=words):
            check_move(**{**options, **kwargs})


@pytest.mark.parametrize(("state", "movable"), [(A, False), (P, True), (AC, True), (R, False)])
def test_only_pending_and_active_clients_are_moved_or_removed(state, movable):
    assert is_movable(state) is movable
    # The same answer the state machine gives when the step is taken.
    for event in (Event.MOVE, Event.REMOVE):
        if movable:
            transition(state, event, MAN)
        else:
            with pytest.raises(InviteError):
                transition(state, event, MAN)


@pytest.mark.parametrize(("state", "tab"), [(P, P), (AC, AC), (R, AC)])
def test_a_removed_client_leads_back_to_the_active_tab(state, tab):
    assert listed_under(state) is tab


@pytest.mark.parametrize(
    ("state", "chosen", "follows"),
    [(P, False, True), (P, True, False), (AC, False, False), (R, False, False)],
)
def test_only_a_pending_clients_unset_start_follows_the_day_they_join(state, chosen, follows):
    assert start_follows_join(state, chosen_by_coach=chosen) is follows
    # And it does: accepting moves such a start to the day they join, and keeps any other.
    before, joined = date(2026, 3, 1), date(2026, 3, 9)
    if state is P:
        moved = start_date_on_accept(state, before, joined, chosen_by_coach=chosen) == joined
        assert moved is follows


@pytest.mark.parametrize(("state", "method"), [(A, EM), (A, LN), (P, MAN), (P, LN), (R, EM)])
def test_accepting_a_program_paid_by_card_leaves_the_client_pending_until_paid(state, method):
    assert state_on_accept(state, method, pays_first=False) is AC
    assert state_on_accept(state, method, pays_first=True) is P
    assert transition(P, Event.FIRST_PAYMENT, method) is AC


@pytest.mark.parametrize(
    ("state", "awaiting", "target_pays_first", "after"),
    [
        (P, True, False, AC),  # nothing left to pay by card first: joined
        (P, True, True, P),  # another price by card: still waiting, at that price
        (P, False, False, P),  # a Manual Invite not yet accepted stays pending
        (AC, False, True, AC),  # an active client moved into a paid program pays from next period
        (AC, False, False, AC),
    ],
)
def test_a_move_ends_the_wait_for_a_payment_only_where_nothing_is_paid_first(
    state, awaiting, target_pays_first, after
):
    moved = state_on_move(state, awaiting_payment=awaiting, target_pays_first=target_pays_first)
    assert moved is after


def test_a_removed_client_cannot_be_moved():
    with pytest.raises(InviteError):
        state_on_move(R, awaiting_payment=False, target_pays_first=False)


def test_accepting_twice_is_refused_whether_or_not_the_program_is_paid():
    with pytest.raises(AlreadyInProgram):
        state_on_accept(AC, LN, pays_first=True)
