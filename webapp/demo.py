"""Demo data for `make run` on an empty database."""

from __future__ import annotations

from webapp.accounts import create_user
from webapp.extensions import db
from webapp.models import ROLE_CLIENT, ROLE_COACH, Program
from webapp.models.types import utcnow

COACH_EMAIL = "coach@ondeck.example"
CLIENT_EMAIL = "client@ondeck.example"


def load(password: str) -> None:
    coach = create_user(
        name="Demo Coach",
        email=COACH_EMAIL,
        password=password,
        role=ROLE_COACH,
        time_zone="Europe/London",
    )
    create_user(
        name="Demo Client",
        email=CLIENT_EMAIL,
        password=password,
        role=ROLE_CLIENT,
        time_zone="Europe/London",
    )
    db.session.flush()
    db.session.add(
        Program(
            coach_id=coach.id,
            name="1-2-1 Coaching",
            type="one_to_one",
            price_minor=20000,
            currency="GBP",
            billing_period="month",
            description="Personal coaching with training written for you, week by week.",
            welcome_message="Welcome aboard! Your first week is ready in your calendar.",
            waiver="I confirm I am fit to train and will tell my coach about any injury.",
            status="published",
            published_at=utcnow(),
        )
    )
    db.session.commit()
