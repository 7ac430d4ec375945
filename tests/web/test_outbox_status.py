"""How the outbox is doing, in one line: waiting, sent, failed and the oldest waiting age."""

from datetime import timedelta

import sqlalchemy as sa

from tests.support.factories import PASSWORD, make_coach
from webapp import clock
from webapp.extensions import db
from webapp.models import OutboxMessage
from webapp.services.outbox import queue_email


def fill_outbox(app, to: str = "person{n}@example.com") -> None:
    """Three sent, one failed for good, two waiting (the older one queued 95 minutes ago)."""
    now = clock.now()
    with app.app_context():
        for n in range(6):
            queue_email(to.format(n=n), f"Message {n}", "Body")
        db.session.flush()
        rows = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
        for row in rows[:3]:
            row.sent_at = now
        rows[3].failed_at = now
        rows[3].last_error = "RuntimeError: broken"
        rows[4].created_at = now - timedelta(minutes=95)
        rows[5].created_at = now - timedelta(minutes=3)
        db.session.commit()


def test_outbox_status_prints_the_counts_and_the_oldest_waiting_age(app, runner):
    fill_outbox(app)
    result = runner.invoke(args=["outbox", "status"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "outbox: waiting 2, sent 3, failed 1, oldest waiting 1h 35m"


def test_outbox_status_of_an_empty_outbox_says_nothing_is_waiting(app, runner):
    result = runner.invoke(args=["outbox", "status"])
    assert result.output.strip() == "outbox: waiting 0, sent 0, failed 0, oldest waiting none"


def test_the_captured_mail_page_shows_the_counts_and_which_message_failed(app, client):
    # Captured mail shows a coach only their own mail: these six are to the coach.
    fill_outbox(app, to="coach@example.com")
    with app.app_context():
        make_coach(email="coach@example.com")
    client.login("coach@example.com", PASSWORD)
    html = client.get("/dev/mail/").get_data(as_text=True)
    assert "waiting 2, sent 3, failed 1, oldest waiting 1h 35m" in html
    assert "failed: RuntimeError: broken" in html


def test_the_relay_prints_the_status_line_after_a_round_that_sent_mail(app, runner):
    with app.app_context():
        queue_email("person@example.com", "Hello", "Body")
        db.session.commit()
    result = runner.invoke(args=["outbox", "send"])
    assert result.output.splitlines() == [
        "outbox: sent 1, failed 0",
        "outbox: waiting 0, sent 1, failed 0, oldest waiting none",
    ]
