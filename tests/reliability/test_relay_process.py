"""The relay as its own process through SMTP outages, crashes and database outages."""

from __future__ import annotations

import time
from collections import Counter

import pytest
import sqlalchemy as sa

from tests.reliability.support import (
    GatedMailbox,
    Relay,
    outbox_rows,
    postgres_down,
    sqlite_locked,
    wait_until,
)
from tests.support.smtp import SmtpServer
from webapp.extensions import db
from webapp.models import OutboxMessage
from webapp.services.outbox import queue_email

pytestmark = pytest.mark.slow


def queue(app, count: int, start: int = 1) -> None:
    with app.app_context():
        for n in range(start, start + count):
            queue_email(f"person{n}@example.com", f"Message {n}", f"Body {n}")
        db.session.commit()


def all_sent(app):
    return lambda: all(row.sent_at is not None for row in outbox_rows(app))


@pytest.fixture
def relay(app, tmp_path):
    started: list[Relay] = []

    def start(smtp_port: int) -> Relay:
        started.append(Relay(app, smtp_port, tmp_path / "relay.log").start())
        return started[-1]

    yield start
    for process in started:
        if process.running:
            process.kill()


def test_mail_written_during_an_smtp_outage_is_delivered_once_when_it_returns(app, relay):
    smtp = SmtpServer()  # its port is chosen, but nothing listens yet: the outage
    worker = relay(smtp.port)
    queue(app, 3)
    wait_until(
        lambda: all(row.attempts == 1 and row.last_error for row in outbox_rows(app)),
        15,
        "the relay did not try each message while SMTP was down",
    )
    assert all(row.sent_at is None for row in outbox_rows(app)), "waiting in the outbox"

    smtp.start()
    try:
        # Each message is retried after its back-off (5 seconds after the first failure).
        wait_until(all_sent(app), 20, f"not delivered after the outage:\n{worker.output()}")
        time.sleep(0.5)  # room for any duplicate to arrive
        received = smtp.mailbox.messages
    finally:
        smtp.stop()
    assert sorted(m["Subject"] for m in received) == ["Message 1", "Message 2", "Message 3"]
    assert [row.attempts for row in outbox_rows(app)] == [2, 2, 2]
    assert worker.running and worker.stop() == 0


def test_a_relay_killed_mid_batch_and_restarted_sends_every_message_exactly_once(app, relay):
    """The guarantee (see webapp/outbox.py): one committed claim per message, sent_at committed
    right after the server's 250. The relay is killed at a fixed point, while the server holds
    the 10th message's RCPT, so the test is deterministic: messages 1-9 were accepted and
    committed as sent, the 10th is claimed but was never accepted, 11-30 are untouched. The
    restarted relay sends 11-30 at once and the 10th when its lease ends; nothing twice.
    (A kill between a 250 and its commit could still double one message; its stable
    Message-ID lets a receiver drop that copy. That window is a few milliseconds.)
    """
    smtp = SmtpServer()
    smtp.mailbox = GatedMailbox(hold_at=10)
    smtp.start()
    try:
        queue(app, 30)
        first = relay(smtp.port)
        assert smtp.mailbox.held.wait(20), f"the relay never reached message 10:\n{first.output()}"
        first.kill()
        smtp.mailbox.release.set()

        rows = outbox_rows(app)
        assert [r.id for r in rows if r.sent_at] == list(range(1, 10))
        assert rows[9].sent_at is None and rows[9].claimed_until is not None
        assert all(r.claimed_until is None for r in rows[10:]), "only one message is claimed"

        second = relay(smtp.port)
        wait_until(all_sent(app), 20, f"not all sent after the restart:\n{second.output()}")
        time.sleep(0.5)  # room for any duplicate to arrive
        received = list(smtp.mailbox.messages)
        assert second.stop() == 0
    finally:
        smtp.mailbox.release.set()
        smtp.stop()
    ids = Counter(m["Message-ID"] for m in received)
    assert len(received) == 30
    assert set(ids) == {row.message_id for row in outbox_rows(app)}
    assert max(ids.values()) == 1
    assert all(r.attempts == 1 and r.sent_at for r in outbox_rows(app))


def test_a_relay_keeps_running_through_a_database_outage_and_continues(
    app, relay, smtp_server, postgres_cluster
):
    worker = relay(smtp_server.port)
    queue(app, 2)
    smtp_server.mailbox.wait_for(2)
    wait_until(all_sent(app), 10, "the first messages were not marked sent")

    if postgres_cluster:
        with postgres_down(postgres_cluster[1]):
            # Polls fail while the server is down; a loaded machine may take a while to log one.
            wait_until(
                lambda: "database unavailable" in worker.output(),
                15,
                f"the relay did not report the outage:\n{worker.output()}",
            )
    else:
        with sqlite_locked(app.config["SQLALCHEMY_DATABASE_URI"]):
            time.sleep(1.5)  # the relay waits for the lock
    assert worker.running

    queue(app, 2, start=3)
    smtp_server.mailbox.wait_for(4)
    wait_until(all_sent(app), 10, f"not sent after the outage:\n{worker.output()}")
    time.sleep(0.3)
    assert sorted(m["Subject"] for m in smtp_server.mailbox.messages) == [
        f"Message {n}" for n in range(1, 5)
    ]
    assert worker.running and worker.stop() == 0


def test_two_relays_running_at_once_deliver_each_message_exactly_once(app, relay):
    smtp = SmtpServer()
    smtp.mailbox = GatedMailbox()  # slow per message, holds nothing
    smtp.start()
    try:
        queue(app, 30)
        workers = [relay(smtp.port), relay(smtp.port)]
        wait_until(all_sent(app), 30, "two relays did not deliver everything")
        time.sleep(0.5)  # room for any duplicate to arrive
        received = list(smtp.mailbox.messages)
        assert [w.stop() for w in workers] == [0, 0]
    finally:
        smtp.stop()
    ids = Counter(m["Message-ID"] for m in received)
    assert len(received) == 30 and max(ids.values()) == 1
    assert all(r.attempts == 1 for r in outbox_rows(app))


def test_a_message_that_cannot_be_sent_is_failed_and_the_relay_sends_the_rest_and_stays_up(
    app, relay, smtp_server
):
    queue(app, 3)
    with app.app_context():
        # A line break in a header: what an older version could have written.
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.subject == "Message 2")
            .values(subject="Message 2\r\nBcc: everyone@example.com")
        )
        db.session.commit()
    worker = relay(smtp_server.port)
    smtp_server.mailbox.wait_for(2)
    wait_until(
        lambda: outbox_rows(app)[1].failed_at is not None,
        10,
        f"the bad message was not marked failed:\n{worker.output()}",
    )
    queue(app, 2, start=4)
    smtp_server.mailbox.wait_for(4)
    time.sleep(2.5)  # past the claim time: a bad message must not come round again
    assert sorted(m["Subject"] for m in smtp_server.mailbox.messages) == [
        "Message 1",
        "Message 3",
        "Message 4",
        "Message 5",
    ]
    rows = outbox_rows(app)
    assert [bool(r.sent_at) for r in rows] == [True, False, True, True, True]
    assert rows[1].attempts == 1 and rows[1].last_error
    assert "message 2 to person2@example.com failed" in worker.output()
    assert worker.running and worker.stop() == 0
