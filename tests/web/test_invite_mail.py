"""Invitation emails go through the outbox; an SMTP outage delays them, loses nothing."""

import pytest
import sqlalchemy as sa

from tests.support.factories import PASSWORD
from tests.support.queued import outbox
from tests.support.smtp import Mailbox, SmtpServer
from tests.web.invites_support import clients_in, coach_with_program
from webapp import clock
from webapp.extensions import db
from webapp.models import OutboxMessage
from webapp.services import outbox as relay


@pytest.fixture
def smtp_server():
    # Started and stopped by the test itself, to play an outage.
    server = SmtpServer()
    yield server
    server.stop()


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port}


def test_with_smtp_down_inviting_succeeds_and_the_email_is_delivered_once_later(
    app, client, smtp_server
):
    _, program = coach_with_program(app)
    client.login("coach@example.com", PASSWORD)
    client.post(
        f"/programs/{program.id}/clients/manual",
        data={"manual-name": "Ana", "manual-email": "ana@example.com"},
    )
    [ana] = clients_in(app, program.id)
    response = client.hx_post(f"/clients/{ana.id}/invite")
    assert response.status_code == 200
    assert "Invitation sent to ana@example.com" in response.get_data(as_text=True)

    with app.app_context():
        assert relay.send_due() == (0, 1)  # the server is down: the relay keeps the email
    [waiting] = outbox(app)
    assert waiting.sent_at is None and waiting.attempts == 1 and waiting.last_error

    smtp_server.start()
    with app.app_context():
        assert relay.send_due() == (0, 0)  # not due yet: the relay backs off
        db.session.execute(sa.update(OutboxMessage).values(next_attempt_at=clock.now()))
        db.session.commit()
        assert relay.send_due() == (1, 0)
        assert relay.send_due() == (0, 0)
    [mail] = smtp_server.mailbox.wait_for(1)
    assert mail["To"] == "ana@example.com"
    assert "/invitation/" in Mailbox.body(mail)
    assert len(smtp_server.mailbox.messages) == 1
    [sent] = outbox(app)
    assert sent.sent_at is not None


def test_captured_invitations_show_a_followable_link(app, client):
    app.config["MAIL_SERVER"] = ""
    _, program = coach_with_program(app)
    client.login("coach@example.com", PASSWORD)
    client.post(
        f"/programs/{program.id}/clients/email",
        data={"invite-name": "Bo", "invite-email": "bo@example.com"},
    )
    html = client.get("/dev/mail/").get_data(as_text=True)
    assert "Casey Coach invites you to 1-2-1 Coaching" in html
    assert '<a href="http://localhost/invitation/' in html
