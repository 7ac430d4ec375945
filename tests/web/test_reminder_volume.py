"""A thousand reminders due in the same minute: the relay's normal rounds send every one, once,
to a real SMTP server that counts what it receives."""

import time as stopwatch
from collections import Counter
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from tests.support.factories import make_client, make_client_user
from tests.support.plusone import Pair, make_pair
from tests.support.reminders import booked, london, relay
from webapp.extensions import db
from webapp.models import Client, CoachingSession, OutboxMessage, Program, User
from webapp.services.outbox import queue_email
from webapp.services.placing import place_session

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
THURSDAY = date(2026, 12, 10)
CLIENTS, PACKAGES, SESSIONS = 10, 10, 10  # 1,000 sessions, all on Thursday at 18:30
BATCH = 50  # `flask outbox send`'s default batch


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port}


def _thousand_sessions(app, time) -> list[str]:
    pair = make_pair(app)
    with app.app_context():
        db.session.execute(
            sa.update(User).where(User.id == pair.coach_id).values(reminder_offsets="120")
        )
        db.session.commit()
    people = [pair]
    for n in range(CLIENTS - 1):
        with app.app_context():
            person = make_client_user(email=f"c{n}@example.com", name=f"Client {n}")
            row = make_client(db.session.get(Program, pair.program_id), user=person)
            people.append(Pair(pair.coach_id, pair.coach_email, person.id, person.email, row.id, 1))
    for who in people:
        ids = [i for _ in range(PACKAGES) for i in booked(app, who, sessions=SESSIONS)]
        with app.app_context():
            calendar = db.session.get(Client, who.client_id)
            at = london(THURSDAY, 18, 30)
            for session in db.session.scalars(
                sa.select(CoachingSession).where(CoachingSession.id.in_(ids))
            ):
                place_session(session, calendar, at, now=time.now, mover_id=who.coach_id)
            db.session.commit()
    return [who.person_email for who in people]


def _plain_round(app) -> float:
    """How long the relay takes for one round of 50 ordinary messages, on this machine now."""
    with app.app_context():
        for n in range(BATCH):
            queue_email(f"plain{n}@example.com", "Hello", "Hello " * 100, html="<p>Hi</p>" * 50)
        db.session.commit()
    started = stopwatch.monotonic()
    assert relay(app) == (BATCH, 0)
    return stopwatch.monotonic() - started


def test_a_thousand_reminders_due_in_one_minute_go_out_once_each_in_normal_rounds(
    app, time, smtp_server
):
    emails = _thousand_sessions(app, time)
    plain = _plain_round(app)
    time.now = london(THURSDAY, 16, 30).astimezone(UTC)
    started = stopwatch.monotonic()
    rounds = sent = 0
    while True:
        done = relay(app)
        rounds += 1
        sent += done[0]
        assert done[1] == 0
        if done[0] < BATCH:
            break
    elapsed = stopwatch.monotonic() - started
    assert sent == 1000
    assert rounds == 1000 // BATCH + 1  # full rounds, then one that finds nothing left
    plain = max(plain, _plain_round(app))  # ordinary mail before and after, the slower
    mails = smtp_server.mailbox.wait_for(1000 + 2 * BATCH)
    reminders = [m for m in mails if m["Subject"].startswith("Reminder:")]
    assert len(reminders) == 1000
    assert len({m["Message-ID"] for m in reminders}) == 1000, "no message twice"
    assert Counter(m["To"] for m in reminders) == {e: 100 for e in emails}
    with app.app_context():
        unsent = db.session.scalar(
            sa.select(sa.func.count()).where(OutboxMessage.sent_at.is_(None))
        )
    assert unsent == 0
    # A reminder is composed when due (a few more queries), then sent like any message: a round
    # of 50 stays within a small multiple of a round of 50 ordinary messages, measured on the
    # same machine at the same time (about 2x on SQLite and PostgreSQL alike).
    per_round = elapsed / (rounds - 1)
    assert per_round < 4 * plain, f"{per_round:.2f}s a round of reminders, {plain:.2f}s plain"
    print(f"1,000 reminders in {elapsed:.1f}s: {per_round:.2f}s a round, plain {plain:.2f}s")
