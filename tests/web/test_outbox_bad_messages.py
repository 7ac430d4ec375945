"""One message that cannot be built or sent never stops the others, and is not retried forever."""

import jinja2
import pytest
import sqlalchemy as sa
from flask_mail import BadHeaderError

from webapp.extensions import db
from webapp.models import OutboxMessage
from webapp.services import outbox as relay
from webapp.services.outbox import queue_email, send_due


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port}


def queue_three(app) -> None:
    with app.app_context():
        for n in (1, 2, 3):
            queue_email(f"person{n}@example.com", f"Message {n}", f"Body {n}")
        db.session.commit()


def rows(app) -> list[OutboxMessage]:
    with app.app_context():
        return db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()


@pytest.mark.parametrize(
    "error",
    [
        BadHeaderError(),
        UnicodeEncodeError("utf-8", "\udcff", 0, 1, "surrogates not allowed"),
        jinja2.TemplateError("a broken template"),
        RuntimeError("anything at all"),
    ],
    ids=["bad-header", "encoding", "template", "runtime"],
)
def test_a_message_that_raises_while_being_built_is_failed_and_the_others_are_sent(
    app, smtp_server, monkeypatch, error
):
    queue_three(app)
    build = relay._as_mail

    def build_or_raise(message, *args, **kwargs):
        if message.subject == "Message 2":
            raise error
        return build(message, *args, **kwargs)

    monkeypatch.setattr(relay, "_as_mail", build_or_raise)
    with app.app_context():
        assert send_due() == (2, 1)
        assert send_due() == (0, 0), "a failed message is not tried again"
    received = smtp_server.mailbox.wait_for(2)
    assert sorted(m["Subject"] for m in received) == ["Message 1", "Message 3"]
    first, second, third = rows(app)
    assert first.sent_at and third.sent_at
    assert second.sent_at is None and second.failed_at is not None
    assert type(error).__name__ in second.last_error


def test_a_subject_with_a_line_break_written_by_an_older_version_fails_alone(app, smtp_server):
    queue_three(app)
    with app.app_context():
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.subject == "Message 2")
            .values(subject="Message 2\r\nBcc: everyone@example.com")
        )
        db.session.commit()
        assert send_due() == (2, 1)
    received = smtp_server.mailbox.wait_for(2)
    assert sorted(m["To"] for m in received) == ["person1@example.com", "person3@example.com"]
    assert all(m["Bcc"] is None for m in received)
    assert rows(app)[1].failed_at is not None


def test_a_recipient_the_server_refuses_for_good_is_failed_and_the_rest_are_sent(app, smtp_server):
    async def refuse_person2(server, session, envelope, address, options):
        if address.startswith("person2@"):
            return "550 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    smtp_server.mailbox.handle_RCPT = refuse_person2
    smtp_server.stop()
    smtp_server.start()
    queue_three(app)
    with app.app_context():
        assert send_due() == (2, 1)
        assert send_due() == (0, 0)
    assert len(smtp_server.mailbox.wait_for(2)) == 2
    refused = rows(app)[1]
    assert refused.failed_at is not None and "550" in refused.last_error


def test_names_and_subjects_lose_line_breaks_and_control_characters_when_queued(app):
    with app.app_context():
        message = queue_email(
            "ana@example.com\r\n",
            "Casey\r\nBcc: everyone@example.com\x00 invites you\tto Yoga",
            "Body",
            reply_to=("Casey\nCoach\x07", "casey@example.com"),
        )
        db.session.commit()
        assert message.recipient == "ana@example.com"
        assert message.subject == "Casey Bcc: everyone@example.com invites you to Yoga"
        assert message.reply_to == "Casey Coach <casey@example.com>"


def test_the_relay_command_logs_an_unexpected_error_and_does_not_exit_with_it(
    app, runner, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise RuntimeError("not about any one message")

    monkeypatch.setattr(relay, "send_due", broken)
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0 and result.exception is None
    assert "outbox: unexpected error" in caplog.text
