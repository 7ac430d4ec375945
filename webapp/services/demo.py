"""Demo data for `make run` on an empty database: one coach's business, a week in."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import (
    CalendarEntry,
    Client,
    CoachingSession,
    Package,
    PlusOneEnrolment,
    Program,
)
from webapp.rules.dates import today_in
from webapp.rules.invites import Method, State
from webapp.rules.programs import BillingPeriod, ProgramStatus, ProgramType
from webapp.rules.roles import Role
from webapp.services.bookings import book_package
from webapp.services.join_links import regenerate
from webapp.services.placing import place_session
from webapp.services.users import create_user

COACH_EMAIL = "coach@ondeck.example"
CLIENT_EMAIL = "client@ondeck.example"
TIME_ZONE = "Europe/London"

WEEK = [
    ("Back squat 5×5", "Work up to a heavy five. Rest 3 minutes between sets."),
    ("Easy run 30 min", "Conversational pace."),
    ("Bench press 5×5", "Pause the first rep of every set."),
    ("Mobility 20 min", "Hips and thoracic spine."),
    ("Deadlift 3×3", "Reset every rep."),
]


def load(password: str, now: datetime) -> None:
    coach = create_user(
        name="Demo Coach",
        email=COACH_EMAIL,
        password=password,
        role=Role.COACH,
        time_zone=TIME_ZONE,
    )
    person = create_user(
        name="Demo Client",
        email=CLIENT_EMAIL,
        password=password,
        role=Role.CLIENT,
        time_zone=TIME_ZONE,
    )
    db.session.flush()
    today = today_in(now, TIME_ZONE)
    program = Program(
        coach_id=coach.id,
        name="1-2-1 Coaching",
        type=ProgramType.ONE_TO_ONE,
        price_minor=20000,
        currency="GBP",
        billing_period=BillingPeriod.MONTH,
        description="Personal coaching with training written for you, week by week.",
        welcome_message="Welcome aboard! Your first week is ready in your calendar.",
        waiver="I confirm I am fit to train and will tell my coach about any injury.",
        status=ProgramStatus.PUBLISHED,
        published_at=now,
    )
    db.session.add(program)
    db.session.flush()
    regenerate(program)

    active = Client(
        program_id=program.id,
        user_id=person.id,
        name=person.name,
        email=person.email,
        state=State.ACTIVE,
        method=Method.EMAIL,
        start_date=today,
        horizon_days=7,
        activated_at=now,
        waiver_accepted_at=now,
    )
    pending = Client(
        program_id=program.id,
        name="Sam Pending",
        email="sam@ondeck.example",
        state=State.PENDING,
        method=Method.MANUAL,
        # The coach chose next week, so it stays when Sam joins.
        start_date=today + timedelta(days=7),
        start_date_set=True,
    )
    db.session.add_all([active, pending])
    db.session.flush()
    for offset, (title, body) in enumerate(WEEK):
        db.session.add(
            CalendarEntry(
                client_id=active.id, on_date=today + timedelta(offset), title=title, body=body
            )
        )
    db.session.add(
        CalendarEntry(
            client_id=pending.id,
            on_date=pending.start_date,
            title="Assessment",
            body="Movement screen and goals.",
        )
    )

    five = Package(
        coach_id=coach.id, name="Starter", sessions_count=5, total_minor=40000, currency="GBP"
    )
    ten = Package(
        coach_id=coach.id, name="Committed", sessions_count=10, total_minor=70000, currency="GBP"
    )
    db.session.add_all([five, ten])
    db.session.flush()
    booking = book_package(five, person, now)
    db.session.flush()
    sessions = db.session.scalars(
        sa.select(CoachingSession)
        .where(CoachingSession.booking_id == booking.id)
        .order_by(CoachingSession.id)
    ).all()
    # Two sessions placed on the calendar, Tuesdays and Thursdays at 07:30 local time.
    for session, offset in zip(sessions, (1, 3), strict=False):
        local = datetime.combine(today + timedelta(offset), time(7, 30), ZoneInfo(TIME_ZONE))
        place_session(session, active, local, now=now)  # with its reminders
    db.session.add(PlusOneEnrolment(coach_id=coach.id, client_user_id=person.id, enrolled=True))
    db.session.commit()
