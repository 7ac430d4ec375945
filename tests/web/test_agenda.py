"""The coach's optional morning agenda: planned by the relay, one per day, sent at 07:00 in the
coach's time zone with today's sessions, who needs attention and yesterday's +1 bookings."""

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from tests.support.plusone import logged_in
from tests.support.reminders import booked, london, place, relay
from webapp.extensions import db
from webapp.models import Booking, OutboxMessage
from webapp.services.agenda import plan_agendas

T0 = datetime(2026, 12, 7, 13, 0, tzinfo=UTC)  # Monday afternoon in London
TUESDAY = date(2026, 12, 8)


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port}


def _agendas(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(OutboxMessage)
                .where(OutboxMessage.kind == "agenda")
                .order_by(OutboxMessage.id)
            )
        )


def _plan(app, time, when: datetime) -> int:
    time.now = when.astimezone(UTC)
    with app.app_context():
        made = plan_agendas(time.now)
        db.session.commit()
        return made


def _turn_agenda(coach, on: bool):
    data = {"reminders-offsets": "24, 2"} | ({"reminders-agenda": "y"} if on else {})
    return coach.post("/account/reminders", data=data)


def test_the_agenda_arrives_at_seven_with_the_days_sessions_attention_and_plus_ones(
    app, pair, time, smtp_server
):
    coach = logged_in(app, pair.coach_email)
    [only] = booked(app, pair, sessions=1)
    place(coach, pair, only, TUESDAY, "10:00")
    with app.app_context():
        db.session.add(
            Booking(
                coach_id=pair.coach_id,
                client_user_id=pair.person_id,
                kind="plus_one",
                sessions_count=1,
                total_minor=5000,
                rate_minor=5000,
                currency="GBP",
                booked_at=london(date(2026, 12, 7), 11, 0),
            )
        )
        db.session.commit()
    _turn_agenda(coach, on=True)
    [planned] = _agendas(app)
    assert planned.next_attempt_at == london(TUESDAY, 7, 0)

    time.now = london(TUESDAY, 6, 59).astimezone(UTC)
    assert relay(app) == (0, 0)
    time.now = london(TUESDAY, 7, 0).astimezone(UTC)
    assert relay(app) == (1, 0)
    [mail] = smtp_server.mailbox.wait_for(1)
    assert mail["To"] == pair.coach_email
    assert mail["Subject"] == "Your agenda for Tuesday 8 December 2026"
    body = smtp_server.mailbox.body(mail).replace("\r\n", "\n")
    assert "Sessions today:\n- 10:00 Dana Client 1\n" in body
    assert "Needs training (fewer days written than they see):\n- Dana Client 1\n" in body
    assert "+1 bookings yesterday:\n- Dana Client 1: one session at £50.00\n" in body


def test_one_agenda_a_day_however_often_relays_plan(app, pair, time):
    coach = logged_in(app, pair.coach_email)
    _turn_agenda(coach, on=True)
    assert _plan(app, time, london(date(2026, 12, 7), 15, 0)) == 0, "Tuesday's is planned"
    assert _plan(app, time, london(TUESDAY, 7, 30)) == 0
    assert _plan(app, time, london(TUESDAY, 12, 0)) == 1, "in the afternoon, Wednesday's"
    assert _plan(app, time, london(TUESDAY, 12, 1)) == 0
    keys = [row.dedupe_key for row in _agendas(app)]
    assert keys == [f"agenda:{pair.coach_id}:2026-12-08", f"agenda:{pair.coach_id}:2026-12-09"]


def test_turning_the_agenda_off_cancels_the_one_planned(app, pair, time, smtp_server):
    coach = logged_in(app, pair.coach_email)
    _turn_agenda(coach, on=True)
    _turn_agenda(coach, on=False)
    [row] = _agendas(app)
    assert row.skip_reason == "cancelled: the coach turned the agenda off"
    assert _plan(app, time, london(TUESDAY, 12, 0)) == 0
    time.now = london(TUESDAY, 7, 0).astimezone(UTC)
    assert relay(app) == (0, 0)
    assert smtp_server.mailbox.messages == []
