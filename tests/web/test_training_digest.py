"""The client's optional new-training digest: at most one email a day, an hour after the coach
writes days the client can see, listing those days."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.support.plusone import logged_in
from tests.support.reminders import booked, relay
from webapp.extensions import db
from webapp.models import OutboxMessage, User

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # Monday; the client sees 7 days ahead


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port}


def _write(coach, pair, on: date, title: str = "Run"):
    response = coach.post(
        f"/clients/{pair.client_id}/calendar/days/{on.isoformat()}/entries",
        data={"title": title, "body": "", "at_time": ""},
    )
    assert response.status_code in (200, 303), response.get_data(as_text=True)[:300]


def _digests(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(OutboxMessage)
                .where(OutboxMessage.kind == "digest")
                .order_by(OutboxMessage.id)
            )
        )


def _want_digest(app, pair):
    me = logged_in(app, pair.person_email)
    me.post("/account/reminders", data={"reminders-reminders": "y", "reminders-digest": "y"})
    with app.app_context():
        assert db.session.get(User, pair.person_id).training_digest


def test_days_written_in_one_sitting_are_one_email_an_hour_later(app, pair, time, smtp_server):
    booked(app, pair, sessions=1)  # the calendar starts in 2026
    _want_digest(app, pair)
    coach = logged_in(app, pair.coach_email)
    for n in range(3):
        _write(coach, pair, date(2026, 12, 8) + timedelta(days=n), f"Run {n}")
    _write(coach, pair, date(2026, 12, 30), "Beyond the horizon")
    assert len(_digests(app)) == 1
    time.advance(minutes=59)
    assert relay(app) == (0, 0)
    time.advance(minutes=1)
    assert relay(app) == (1, 0)
    [mail] = smtp_server.mailbox.wait_for(1)
    assert mail["Subject"] == "New training from Casey Coach 1"
    body = smtp_server.mailbox.body(mail)
    for day in ("Tuesday 8 December", "Wednesday 9 December", "Thursday 10 December"):
        assert f"- {day} 2026" in body
    assert "30 December" not in body


def test_at_most_one_digest_a_day(app, pair, time, smtp_server):
    booked(app, pair, sessions=1)
    _want_digest(app, pair)
    coach = logged_in(app, pair.coach_email)
    _write(coach, pair, date(2026, 12, 8))
    time.advance(hours=1)
    assert relay(app) == (1, 0)
    time.advance(hours=1)
    _write(coach, pair, date(2026, 12, 9))  # the same day: tomorrow's digest tells of it
    rows = _digests(app)
    assert [r.dedupe_key.rsplit(":", 1)[1] for r in rows] == ["2026-12-07", "2026-12-08"]
    time.advance(hours=3)
    assert relay(app) == (0, 0)
    time.now = datetime(2026, 12, 8, 8, 0, tzinfo=UTC)
    assert relay(app) == (1, 0)
    first, second = smtp_server.mailbox.wait_for(2)
    assert "Wednesday 9 December 2026" in smtp_server.mailbox.body(second)
    assert "Tuesday 8 December" not in smtp_server.mailbox.body(second)


def test_no_digest_for_a_client_who_did_not_ask(app, pair, time):
    booked(app, pair, sessions=1)
    coach = logged_in(app, pair.coach_email)
    _write(coach, pair, date(2026, 12, 8))
    assert _digests(app) == []
