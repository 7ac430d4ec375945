"""The bench's reference write is a real write of OnDeck's stack: it needs the coach's log-in
and the CSRF token, and each one bumps the coach's data version once in the database."""

import sqlalchemy as sa

from bench.least_write import URL, with_least_write
from tests.support.plusone import logged_in
from webapp.extensions import db
from webapp.models import DataVersion


def version_of(app, coach_id: int) -> int:
    with app.app_context():
        return (
            db.session.scalar(
                sa.select(DataVersion.version).where(DataVersion.coach_id == coach_id)
            )
            or 0
        )


def test_each_least_write_bumps_the_coach_version_once(app, pair):
    with_least_write(app)
    coach = logged_in(app, pair.coach_email)
    before = version_of(app, pair.coach_id)
    first = coach.hx_post(URL)
    assert first.status_code == 200
    assert "Saved." in first.get_data(as_text=True)
    coach.hx_post(URL)
    assert version_of(app, pair.coach_id) == before + 2


def test_the_least_write_refuses_a_stranger_and_a_missing_token(app, pair):
    with_least_write(app)
    stranger = app.test_client()
    anonymous = stranger.post(URL)
    assert anonymous.status_code in (302, 401)
    assert "Saved." not in anonymous.get_data(as_text=True)
    coach = logged_in(app, pair.coach_email)
    before = version_of(app, pair.coach_id)
    forged = coach.hx_post(URL, csrf=False)
    assert forged.status_code == 400
    assert "Saved." not in forged.get_data(as_text=True)
    assert version_of(app, pair.coach_id) == before
