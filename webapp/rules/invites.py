"""Invites and client state: who may join a program, how, and what each step does.

A person's place in one program is a state. ABSENT means there is no client row for them
there (an email invitation may still be outstanding: it is not a client until accepted).

    ABSENT  --manual invite-->  PENDING  --accept-->  ACTIVE
    ABSENT  --accept (email invitation or join link)-->  ACTIVE
    PENDING / ACTIVE  --remove-->  REMOVED  --manual invite / accept-->  PENDING / ACTIVE

The three invite methods differ only in where they start: a Manual Invite makes a pending
client at once (their calendar exists before they accept); an email invitation or the join
link makes an active client on acceptance, never a pending one.

In a program paid by card, payment is the step that makes a client active: accepting leaves
them PENDING, awaiting their first payment, until Stripe confirms it (see `state_on_accept`):

    PENDING (awaiting payment)  --first payment-->  ACTIVE
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from webapp.rules import RuleError

DEFAULT_INVITATION_DAYS = 14

# Public accept/join form posts, per client IP and per token (fixed windows).
PUBLIC_POST_LIMIT_PER_IP = 30
PUBLIC_POST_LIMIT_PER_TOKEN = 30
PUBLIC_POST_PERIOD = timedelta(minutes=10)


class Method(StrEnum):
    MANUAL = "manual"
    EMAIL = "email"
    LINK = "link"


class State(StrEnum):
    ABSENT = "absent"  # no client row in this program (never stored)
    PENDING = "pending"
    ACTIVE = "active"
    REMOVED = "removed"


class Event(StrEnum):
    MANUAL_INVITE = "manual_invite"  # coach adds name + email
    SEND_INVITE = "send_invite"  # an invitation email goes out (formal or email invite)
    ACCEPT = "accept"  # the person accepts an invitation or follows the join link
    REVOKE = "revoke"  # the coach withdraws an outstanding invitation
    EXPIRE = "expire"  # an outstanding invitation runs out
    MOVE = "move"  # the coach moves the client to another of their programs
    REMOVE = "remove"  # the coach removes the client; history is kept
    FIRST_PAYMENT = "first_payment"  # Stripe confirms the first payment of a paid program


class InviteError(RuleError):
    """A step the invite rules refuse."""


class AlreadyInProgram(InviteError):
    """The person is already pending or active in the program (one person, once per program)."""


class InvitationUnusable(InviteError):
    """An invitation that is expired, revoked or already used."""


S, E, M = State, Event, Method
_ANY = tuple(Method)

# (state, event) -> {method: next state}. Everything not listed is refused.
_TABLE: dict[tuple[State, Event], dict[Method, State]] = {
    (S.ABSENT, E.MANUAL_INVITE): {M.MANUAL: S.PENDING},
    (S.ABSENT, E.SEND_INVITE): {M.EMAIL: S.ABSENT},
    (S.ABSENT, E.ACCEPT): {M.EMAIL: S.ACTIVE, M.LINK: S.ACTIVE},
    (S.ABSENT, E.REVOKE): {M.EMAIL: S.ABSENT},
    (S.ABSENT, E.EXPIRE): {M.EMAIL: S.ABSENT},
    (S.PENDING, E.SEND_INVITE): {M.MANUAL: S.PENDING},
    # A pending client who follows the join link instead keeps their row and calendar.
    (S.PENDING, E.ACCEPT): {m: S.ACTIVE for m in _ANY},
    (S.PENDING, E.REVOKE): {M.MANUAL: S.PENDING},
    (S.PENDING, E.EXPIRE): {M.MANUAL: S.PENDING},
    (S.PENDING, E.MOVE): {m: S.PENDING for m in _ANY},
    (S.PENDING, E.REMOVE): {m: S.REMOVED for m in _ANY},
    (S.PENDING, E.FIRST_PAYMENT): {m: S.ACTIVE for m in _ANY},
    (S.ACTIVE, E.MOVE): {m: S.ACTIVE for m in _ANY},
    (S.ACTIVE, E.REMOVE): {m: S.REMOVED for m in _ANY},
    # A removed client may be invited again or rejoin; their history stays on the row.
    (S.REMOVED, E.MANUAL_INVITE): {M.MANUAL: S.PENDING},
    (S.REMOVED, E.SEND_INVITE): {M.EMAIL: S.REMOVED},
    (S.REMOVED, E.ACCEPT): {M.EMAIL: S.ACTIVE, M.LINK: S.ACTIVE},
    (S.REMOVED, E.REVOKE): {M.EMAIL: S.REMOVED},
    (S.REMOVED, E.EXPIRE): {M.EMAIL: S.REMOVED},
}


def transition(state: State, event: Event, method: Method) -> State:
    """The state after `event`, or an InviteError saying why the step is refused."""
    allowed = _TABLE.get((state, event), {})
    if method in allowed:
        return allowed[method]
    raise _refusal(state, event, method)


def _refusal(state: State, event: Event, method: Method) -> InviteError:
    inviting = event is E.MANUAL_INVITE or (event is E.SEND_INVITE and method is M.EMAIL)
    if inviting and state is S.PENDING:
        return AlreadyInProgram("This person is already pending in this program.")
    if inviting and state is S.ACTIVE:
        return AlreadyInProgram("This person is already an active client in this program.")
    if event is E.ACCEPT and state is S.ACTIVE:
        return AlreadyInProgram("You are already a client in this program.")
    if event is E.ACCEPT:
        return InvitationUnusable(
            "This invitation is no longer valid. Ask your coach for a new one."
        )
    if event is E.MANUAL_INVITE:
        return InviteError("Manual Invite adds a client by name and email only.")
    if event is E.SEND_INVITE and method is M.MANUAL:
        return InviteError("Only a pending client can be sent a formal invitation.")
    if event is E.SEND_INVITE:
        return InviteError("A join link is shared by the coach, not sent as an invitation.")
    if event in (E.REVOKE, E.EXPIRE):
        return InviteError("There is no outstanding invitation to withdraw.")
    if event is E.MOVE:
        return InviteError("Only pending or active clients can be moved.")
    if event is E.FIRST_PAYMENT:
        return InviteError("Only a client awaiting their first payment joins by paying.")
    return InviteError("This client has already been removed.")


def is_movable(state: State) -> bool:
    """Pending and active clients can be moved to another program or removed; a removed one
    is no longer in the program."""
    return (state, E.MOVE) in _TABLE and (state, E.REMOVE) in _TABLE


def listed_under(state: State) -> State:
    """The tab a client's row is listed under. A removed client is listed nowhere, so pages
    about them lead back to the Active tab."""
    return state if is_movable(state) else S.ACTIVE


def state_on_accept(state: State, method: Method, *, pays_first: bool) -> State:
    """Accepting makes the client active, or, when the program is paid by card before it
    starts, pending (awaiting payment) until Stripe confirms the first payment."""
    joined = transition(state, E.ACCEPT, method)
    return S.PENDING if pays_first else joined


def state_on_move(state: State, *, awaiting_payment: bool, target_pays_first: bool) -> State:
    """A client awaiting their first payment who is moved to a program with nothing to pay by
    card before it starts (free, or paid outside OnDeck) has nothing left to wait for: they
    are active. Moved to another program paid by card, they still wait, at its price."""
    moved = transition(state, E.MOVE, Method.MANUAL)
    if moved is S.PENDING and awaiting_payment and not target_pays_first:
        return S.ACTIVE
    return moved


def start_follows_join(state: State, *, chosen_by_coach: bool) -> bool:
    """A pending client's calendar start moves to the day they join, unless the coach set it
    (see `start_date_on_accept`)."""
    return state is S.PENDING and not chosen_by_coach


# --- invitations ---------------------------------------------------------------------------


class InvitationStatus(StrEnum):
    OUTSTANDING = "outstanding"
    ACCEPTED = "accepted"
    REVOKED = "revoked"
    EXPIRED = "expired"


@dataclass(frozen=True)
class InvitationView:
    """What the rules need to know about an invitation row."""

    expires_at: datetime
    accepted_at: datetime | None = None
    revoked_at: datetime | None = None


def invitation_status(invitation: InvitationView, now: datetime) -> InvitationStatus:
    if invitation.accepted_at is not None:
        return InvitationStatus.ACCEPTED
    if invitation.revoked_at is not None:
        return InvitationStatus.REVOKED
    if now >= invitation.expires_at:
        return InvitationStatus.EXPIRED
    return InvitationStatus.OUTSTANDING


_UNUSABLE = {
    InvitationStatus.ACCEPTED: (
        "This invitation has already been used. Log in to see your coaching."
    ),
    InvitationStatus.REVOKED: "This invitation was withdrawn by your coach.",
    InvitationStatus.EXPIRED: "This invitation has expired. Ask your coach to send a new one.",
}


ALREADY_USED_LOGGED_IN = (
    "This invitation has already been used. Your coaching is on your home page."
)


def check_usable(invitation: InvitationView, now: datetime, *, logged_in: bool = False) -> None:
    """Raise InvitationUnusable (with a message for the person) unless it can be accepted.
    Someone already logged in is not told to log in."""
    status = invitation_status(invitation, now)
    if status is InvitationStatus.ACCEPTED and logged_in:
        raise InvitationUnusable(ALREADY_USED_LOGGED_IN)
    if status is not InvitationStatus.OUTSTANDING:
        raise InvitationUnusable(_UNUSABLE[status])


def expiry(now: datetime, days: int = DEFAULT_INVITATION_DAYS) -> datetime:
    if days < 1:
        raise InviteError("Invitations last at least one day.")
    return now + timedelta(days=days)


def check_invite(
    state: State, method: Method, *, outstanding_invitation: bool, own_email: bool = False
) -> State:
    """A coach invites an email (Manual or Email Invite): the resulting state, or why not."""
    if own_email:
        raise InviteError("That is your own email address. Invite your client's email instead.")
    event = E.MANUAL_INVITE if method is M.MANUAL else E.SEND_INVITE
    if method is M.LINK:
        raise InviteError("A join link is shared by the coach, not sent as an invitation.")
    new_state = transition(state, event, method)
    if outstanding_invitation:
        raise AlreadyInProgram(
            "This email already has an outstanding invitation to this program. "
            "Resend or revoke it under Invitations."
        )
    return new_state


# --- accepting -----------------------------------------------------------------------------


def check_can_accept(*, is_coach: bool, account_email: str, invited_email: str | None) -> None:
    """Only a client account may accept, and for an invitation, only the invited address."""
    if is_coach:
        raise InviteError(
            "This is a coach account. Coach accounts cannot join a program as a client: "
            "log out, then follow the link again."
        )
    if invited_email is not None and account_email.lower() != invited_email.lower():
        raise InviteError(
            f"This invitation was sent to {invited_email}, but you are logged in as "
            f"{account_email}. Log out, then follow the link again."
        )


def start_date_on_accept(
    state: State, current: date | None, client_today: date, *, chosen_by_coach: bool
) -> date:
    """A calendar starts on the day the client joins, in their own time zone, or on a date the
    coach set: a pending client keeps a start date their coach chose before they joined."""
    if state is S.PENDING and current is not None and chosen_by_coach:
        return current
    return client_today


def check_move(*, same_program: bool, target_archived: bool, target_has_email: bool) -> None:
    """Moving a client keeps their row (and so their calendar); the target must take them."""
    if same_program:
        raise InviteError("The client is already in that program.")
    if target_archived:
        raise InviteError("An archived program takes no clients. Choose another program.")
    if target_has_email:
        raise AlreadyInProgram("This person is already in that program.")
