"""A coach with a bit of everything, for the export tests: the demo business, a second program
in euros, sessions completed (one causing a +1 booking), payments, a card charge and its
refund, a moved entry and session, a training log and an outstanding invitation.

Another coach's business is made first, so the coach's rows never start at id 1.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from tests.support.factories import PASSWORD, make_client, make_client_user, make_program
from tests.support.plusone import make_pair
from webapp.extensions import db
from webapp.models import (
    CalendarEntry,
    Client,
    CoachingSession,
    EntryMove,
    Invitation,
    LedgerEntry,
    Package,
    PlusOneEnrolment,
    SessionMove,
    User,
)
from webapp.rules.money import Money
from webapp.rules.payments import ManualMethod
from webapp.services import demo, tokens
from webapp.services.bookings import book_package, complete_session
from webapp.services.payments import record_manual
from webapp.services.placing import place_session

COACH_EMAIL = demo.COACH_EMAIL
CLIENT_EMAIL = demo.CLIENT_EMAIL
EURO_EMAIL = "eva@example.com"
EURO_PROGRAM = "Online coaching"


def build(app, now: datetime) -> None:
    """The rich coach, logging in with PASSWORD; call with the clock frozen at `now`."""
    make_pair(app, n=9)
    with app.test_request_context():
        demo.load(PASSWORD, now)
        coach = db.session.scalar(sa.select(User).where(User.email == COACH_EMAIL))
        person = db.session.scalar(sa.select(User).where(User.email == CLIENT_EMAIL))
        assert coach is not None and person is not None
        _euros(coach, now)
        _pounds(coach, person, now)
        db.session.commit()


def _euros(coach: User, now: datetime) -> None:
    program = make_program(coach, name=EURO_PROGRAM, currency="EUR", price_minor=15000)
    program.created_at = now - timedelta(days=3)  # listed after the demo's program
    eva = make_client_user(email=EURO_EMAIL, name="Eva Euro", time_zone="Europe/Berlin")
    row = make_client(program, user=eva, start_date=(now - timedelta(days=3)).date())
    db.session.add(
        CalendarEntry(
            client_id=row.id,
            on_date=now.date(),
            at_time=time(18, 30),
            title="Intervals 6×400 m",
            body="Jog 200 m between.",
        )
    )
    package = Package(
        coach_id=coach.id, name="Euro trio", sessions_count=3, total_minor=30000, currency="EUR"
    )
    db.session.add(package)
    db.session.add(PlusOneEnrolment(coach_id=coach.id, client_user_id=eva.id, enrolled=True))
    db.session.flush()
    booking = book_package(package, eva, now - timedelta(days=30))
    db.session.flush()
    record_manual(
        coach_id=coach.id,
        client_user_id=eva.id,
        amount=Money(30000, "EUR"),
        method=ManualMethod.BANK_TRANSFER,
        note="Trio, by transfer",
        form_key="eva-trio",
        now=now - timedelta(days=30),
    )
    sessions = _sessions_of(booking.id)
    local = datetime.combine(now.date() + timedelta(days=2), time(9), ZoneInfo("Europe/Berlin"))
    place_session(sessions[0], row, local - timedelta(days=7), now=now - timedelta(days=10))
    for session in sessions:  # the last one books a +1 at the package's rate
        complete_session(session, coach=coach, client_user=eva, now=now - timedelta(days=1))
    plus_one = db.session.scalars(
        sa.select(CoachingSession).where(
            CoachingSession.client_user_id == eva.id,
            CoachingSession.status == "remaining",
        )
    ).one()
    place_session(plus_one, row, local, now=now)
    db.session.add(
        SessionMove(
            session_id=plus_one.id,
            calendar_client_id=row.id,
            moved_by_id=coach.id,
            from_at=local - timedelta(days=1),
            to_at=local,
        )
    )


def _pounds(coach: User, person: User, now: datetime) -> None:
    calendar = db.session.scalar(sa.select(Client).where(Client.user_id == person.id))
    assert calendar is not None
    entry = db.session.scalars(
        sa.select(CalendarEntry)
        .where(CalendarEntry.client_id == calendar.id)
        .order_by(CalendarEntry.on_date)
    ).first()
    assert entry is not None
    entry.done_at, entry.client_note = now, "Felt strong, last set slow."
    db.session.add(
        EntryMove(
            entry_id=entry.id,
            moved_by_id=coach.id,
            from_date=entry.on_date - timedelta(days=1),
            to_date=entry.on_date,
        )
    )
    first = db.session.scalars(
        sa.select(CoachingSession)
        .where(CoachingSession.client_user_id == person.id)
        .order_by(CoachingSession.id)
    ).first()
    assert first is not None
    complete_session(first, coach=coach, client_user=person, now=now - timedelta(days=40))
    record_manual(
        coach_id=coach.id,
        client_user_id=person.id,
        amount=Money(40000, "GBP"),
        method=ManualMethod.CASH,
        note="Starter, cash",
        form_key="demo-starter",
        now=now - timedelta(days=40),
    )
    charge = LedgerEntry(
        coach_id=coach.id,
        client_user_id=person.id,
        kind="charge",
        status="succeeded",
        amount_minor=8000,
        currency="GBP",
        provider_id="pi_rich_coach",
        card_last4="4242",
        created_at=now - timedelta(days=5),
        settled_at=now - timedelta(days=5),
    )
    db.session.add(charge)
    db.session.flush()
    db.session.add(
        LedgerEntry(
            coach_id=coach.id,
            client_user_id=person.id,
            kind="refund",
            status="succeeded",
            amount_minor=3000,
            currency="GBP",
            provider_id="re_rich_coach",
            refund_of_id=charge.id,
            created_at=now - timedelta(days=4),
            settled_at=now - timedelta(days=4),
        )
    )
    program_id = calendar.program_id
    db.session.add(
        Invitation(
            program_id=program_id,
            email="newbie@example.com",
            name="Nia Newbie",
            kind="email",
            token_hash=tokens.hash_token(tokens.new_random_token()),
            invited_by_id=coach.id,
            sent_at=now,
            expires_at=now + timedelta(days=14),
        )
    )


def _sessions_of(booking_id: int) -> list[CoachingSession]:
    return list(
        db.session.scalars(
            sa.select(CoachingSession)
            .where(CoachingSession.booking_id == booking_id)
            .order_by(CoachingSession.id)
        )
    )
