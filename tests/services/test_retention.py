"""After the retention period the financial records of an erased person go: the relay's
housekeeping deletes their bookings, sessions and ledger rows the day after the date the
erasure set, and nothing of anyone else."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.support.factories import make_client, make_client_user, make_program
from tests.support.plusone import make_package, make_pair
from webapp.extensions import db
from webapp.models import Booking, Client, CoachingSession, LedgerEntry, Package, User
from webapp.rules.money import Money
from webapp.rules.payments import ManualMethod
from webapp.services.bookings import book_package
from webapp.services.erasure import erase_client
from webapp.services.payments import record_manual
from webapp.services.retention import purge_expired

ERASED_AT = datetime(2026, 12, 2, 12, tzinfo=UTC)


def bought(app, coach_id: int, person_id: int, key: str) -> None:
    package_id = make_package(app, coach_id, 4, 20000)
    with app.app_context():
        person = db.session.get(User, person_id)
        book_package(db.session.get(Package, package_id), person, ERASED_AT)
        db.session.flush()
        record_manual(
            coach_id=coach_id,
            client_user_id=person_id,
            amount=Money(20000, "GBP"),
            method=ManualMethod.CASH,
            note="",
            form_key=key,
            now=ERASED_AT,
        )
        db.session.commit()


@pytest.fixture
def erased(app):
    """Dana bought and paid for a package, and was erased; Olive, who did the same, was not."""
    pair = make_pair(app)
    with app.app_context():
        olive = make_client_user(email="olive@example.com", name="Olive Other")
        program = make_program(db.session.get(User, pair.coach_id), name="Other")
        make_client(program, user=olive)
        olive_id = olive.id
    bought(app, pair.coach_id, pair.person_id, "dana-key-000000000000")
    bought(app, pair.coach_id, olive_id, "olive-key-000000000000")
    with app.app_context():
        coach = db.session.get(User, pair.coach_id)
        erase_client(coach, db.session.get(Client, pair.client_id), ERASED_AT)
        db.session.commit()
    return pair.person_id, olive_id


def counts(app, person_id: int) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(
            db.session.scalar(
                sa.select(sa.func.count(model.id)).where(model.client_user_id == person_id)
            )
            for model in (Booking, CoachingSession, LedgerEntry)
        )


def purge(app, at: datetime) -> int:
    with app.app_context():
        purged = purge_expired(at)
        db.session.commit()
        return purged


def test_records_stay_until_the_retention_date(app, erased):
    dana, _ = erased
    with app.app_context():
        assert db.session.get(User, dana).retain_until == ERASED_AT.date().replace(year=2036)
    assert purge(app, ERASED_AT.replace(year=2036)) == 0
    assert counts(app, dana) == (1, 4, 1)


def test_the_day_after_it_they_go_and_no_one_elses_do(app, erased):
    dana, olive = erased
    assert purge(app, ERASED_AT.replace(year=2036) + timedelta(days=1)) == 1
    assert counts(app, dana) == (0, 0, 0)
    assert counts(app, olive) == (1, 4, 1)
    with app.app_context():
        assert db.session.get(User, dana).retain_until is None
    assert purge(app, ERASED_AT.replace(year=2037)) == 0  # once
