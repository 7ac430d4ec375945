from datetime import UTC, date, datetime, timedelta

import pytest

from webapp.rules.attention import AttentionReason, reasons, sessions_run_out
from webapp.rules.money import Money
from webapp.rules.plusone import (
    Enrolment,
    PackageBooking,
    PlusOneError,
    Reason,
    outlook,
    package_rate,
)

TODAY = date(2026, 3, 10)
ENROLLED = Enrolment(enrolled=True)


def package(*, auto=True):
    total = Money(40000, "GBP")
    return PackageBooking(
        sessions_count=5,
        total=total,
        rate=package_rate(5, total),
        auto_renewal_allowed=auto,
        booked_at=datetime(2026, 3, 1, 12, tzinfo=UTC),
    )


@pytest.mark.parametrize(
    ("remaining", "enrolment", "last", "reason", "message"),
    [
        # A session left: nothing has run out, whatever +1 would do later.
        (1, None, package(), None, None),
        (3, Enrolment(enrolled=False), package(auto=False), None, None),
        # Never booked a package (paid by the month, say): not the coach's +1 concern.
        (0, None, None, None, None),
        (0, ENROLLED, None, None, None),
        # Run out, and +1 will not book: the reason the coach reads.
        (0, None, package(), Reason.NOT_ENROLLED, "Not enrolled in +1."),
        (0, Enrolment(enrolled=False), package(), Reason.NOT_ENROLLED, "Not enrolled in +1."),
        (
            0,
            Enrolment(True, TODAY + timedelta(days=5)),
            package(),
            Reason.PAUSED,
            "+1 is paused until 15 Mar 2026.",
        ),
        (
            0,
            ENROLLED,
            package(auto=False),
            Reason.NO_AUTO_RENEWAL,
            "Last package does not offer auto-renewal.",
        ),
        # Enrolled and ready, yet +1 books only on a completion, and none is left to complete.
        (
            0,
            ENROLLED,
            package(),
            Reason.NOTHING_TO_COMPLETE,
            "Enrolled in +1, but no session is left to complete, so +1 will not book one.",
        ),
        (0, Enrolment(True, TODAY), package(), Reason.NOTHING_TO_COMPLETE, None),
    ],
)
def test_sessions_run_out_says_why_plus_one_will_not_book(
    remaining, enrolment, last, reason, message
):
    why = sessions_run_out(remaining=remaining, enrolment=enrolment, last=last, today=TODAY)
    if reason is None:
        assert why is None
    else:
        assert why.reason is reason and not why.books
        if message is not None:
            assert why.message == message


def test_a_pause_ends_on_the_clients_own_today():
    paused = Enrolment(True, date(2026, 3, 11))
    before = sessions_run_out(remaining=0, enrolment=paused, last=package(), today=TODAY)
    on_the_day = sessions_run_out(
        remaining=0, enrolment=paused, last=package(), today=date(2026, 3, 11)
    )
    assert before.reason is Reason.PAUSED
    assert on_the_day.reason is Reason.NOTHING_TO_COMPLETE


def test_negative_remaining_sessions_are_refused():
    with pytest.raises(PlusOneError):
        sessions_run_out(remaining=-1, enrolment=None, last=package(), today=TODAY)


@pytest.mark.parametrize(
    ("remaining", "enrolment", "reason"),
    [
        (1, ENROLLED, Reason.BOOK),
        (0, ENROLLED, Reason.NOTHING_TO_COMPLETE),
        (0, Enrolment(enrolled=False), Reason.NOT_ENROLLED),
        (2, Enrolment(enrolled=False), Reason.NOT_ENROLLED),
    ],
)
def test_the_outlook_books_only_while_a_session_is_left_to_complete(remaining, enrolment, reason):
    decision = outlook(remaining=remaining, enrolment=enrolment, last=package(), today=TODAY)
    assert decision.reason is reason
    assert decision.books == (reason is Reason.BOOK)


GAP, RUN_OUT = AttentionReason.TRAINING_GAP, AttentionReason.SESSIONS_RUN_OUT
DUE, RENEWAL = AttentionReason.PAYMENT_DUE, AttentionReason.RENEWAL_FAILED


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ({}, ()),
        ({"payment_due": True, "training_gap": True}, (GAP, DUE)),
        (
            {"renewal_failed": True, "sessions_run_out": True, "payment_due": True},
            (RUN_OUT, DUE, RENEWAL),
        ),
        ({"renewal_failed": True}, (RENEWAL,)),
    ],
)
def test_reasons_put_training_first_then_sessions_then_money(flags, expected):
    given = dict.fromkeys(
        ("training_gap", "sessions_run_out", "payment_due", "renewal_failed"), False
    )
    assert reasons(**(given | flags)) == expected
