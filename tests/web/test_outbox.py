"""The outbox relay: mail written with the change, delivered later, retried, never doubled."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.support.queued import outbox
from webapp.extensions import db
from webapp.models import OutboxMessage
from webapp.services.outbox import backoff, queue_email, send_due


@pytest.fixture
def app_config(app_config, smtp_server):
    return {
        **app_config,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_server.port,
        "MAIL_TIMEOUT_SECONDS": 2,
    }


def queue(app, n=1):
    with app.app_context():
        for i in range(n):
            queue_email(f"person{i}@example.com", f"Hello {i}", f"Body {i}")
        db.session.commit()


def test_queued_mail_is_delivered_once_with_a_stable_message_id(app, smtp_server):
    queue(app, 2)
    with app.app_context():
        assert send_due() == (2, 0)
        assert send_due() == (0, 0)
    messages = smtp_server.mailbox.wait_for(2)
    assert sorted(m["Subject"] for m in messages) == ["Hello 0", "Hello 1"]
    assert (
        smtp_server.mailbox.body(smtp_server.mailbox.to("person1@example.com")[0]).strip()
        == "Body 1"
    )
    assert {m["Message-ID"] for m in messages} == {m.message_id for m in outbox(app)}
    assert all(m.sent_at is not None and m.attempts == 1 for m in outbox(app))


def test_mail_rolled_back_with_its_change_is_never_sent(app, smtp_server):
    with app.app_context():
        queue_email("ghost@example.com", "Never", "Never")
        db.session.rollback()
        assert send_due() == (0, 0)
    assert outbox(app) == []


def test_an_smtp_outage_loses_nothing_and_retries_with_backoff(app, smtp_server):
    queue(app)
    smtp_server.stop()
    with app.app_context():
        assert send_due() == (0, 1)
    [message] = outbox(app)
    assert message.sent_at is None and message.attempts == 1
    assert "Connection" in message.last_error or "refused" in message.last_error.lower()
    assert message.next_attempt_at > message.created_at
    with app.app_context():
        assert send_due() == (0, 0), "not due again before its back-off ends"
        db.session.execute(sa.update(OutboxMessage).values(next_attempt_at=message.created_at))
        db.session.commit()
    smtp_server.start()
    with app.app_context():
        assert send_due() == (1, 0)
    assert len(smtp_server.mailbox.wait_for(1)) == 1
    assert outbox(app)[0].sent_at is not None


def test_two_relays_never_send_the_same_message(app, smtp_server):
    queue(app, 6)
    with app.app_context():
        from webapp.services.outbox import _claim_due

        first = _claim_due(4)
        second = _claim_due(4)
        db.session.rollback()
    assert len(first) == 4 and len(second) == 2 and not set(first) & set(second)


@pytest.mark.parametrize(("attempts", "seconds"), [(1, 5), (2, 10), (3, 20), (20, 3600)])
def test_backoff_doubles_up_to_an_hour(attempts, seconds):
    assert backoff(attempts) == timedelta(seconds=seconds)
