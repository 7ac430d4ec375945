"""What a receiver gets: a unique Message-ID, a Subject that decodes right, an HTML part with
buttons, and a Reply-To that reaches the coach. Read from the raw messages the SMTP server got."""

import re

import pytest
import sqlalchemy as sa

from tests.support.databases import test_config
from tests.support.factories import PASSWORD, make_coach, make_program
from tests.support.smtp import Mailbox
from webapp import create_app
from webapp.extensions import db
from webapp.models import OutboxMessage
from webapp.services.outbox import queue_email, send_due

PUBLIC_URL = "https://coach.example.com"


@pytest.fixture
def app_config(app_config, smtp_server):
    return {
        **app_config,
        "PUBLIC_URL": PUBLIC_URL,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_server.port,
    }


def queue_one(app, subject="Hello", **options) -> None:
    with app.app_context():
        queue_email("person@example.com", subject, "Body", **options)
        db.session.commit()


def relay(app) -> None:
    with app.app_context():
        send_due()


def test_message_ids_are_unique_across_installs_under_the_public_domain(
    app, app_config, smtp_server, tmp_path
):
    other = create_app(
        {**app_config, **test_config(f"sqlite:///{tmp_path / 'other.sqlite3'}")}
        | {"PUBLIC_URL": PUBLIC_URL, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port}
    )
    with other.app_context():
        db.create_all()
    for install in (app, other):
        queue_one(install)
        relay(install)
    with other.app_context():
        db.engine.dispose()
    first, second = (m["Message-ID"] for m in smtp_server.mailbox.wait_for(2))
    assert first != second
    for message_id in (first, second):
        assert re.fullmatch(r"<[0-9a-f-]{36}@coach\.example\.com>", message_id), message_id


def test_a_message_sent_again_after_a_crash_keeps_its_message_id(app, smtp_server):
    queue_one(app)
    relay(app)
    with app.app_context():
        # As if the relay died between the server's 250 and the commit of sent_at.
        db.session.execute(sa.update(OutboxMessage).values(sent_at=None, claimed_until=None))
        db.session.commit()
    relay(app)
    first, again = smtp_server.mailbox.wait_for(2)
    assert first["Message-ID"] == again["Message-ID"]


SUBJECTS = [
    *(f"+1: one more session for Dana {'Q' * n} booked at £40.00" for n in range(10, 30)),
    "x " * 24 + "booked at £40.00",
    "+1: one more session for Zoë Ångström-Łukasiewicz with Renée Çelik-Øvergård booked "
    "at £40.00 (5 × £200.00) — the per-session rate of the last package booked, placed "
    "a week on from Tuesday",
]


def test_long_subjects_with_pounds_and_accented_names_decode_to_the_same_text(app, smtp_server):
    with app.app_context():
        for subject in SUBJECTS:
            queue_email("person@example.com", subject, "Body")
        db.session.commit()
        send_due(limit=100)
    received = smtp_server.mailbox.wait_for(len(SUBJECTS))
    assert [m["Subject"] for m in received] == SUBJECTS


@pytest.fixture
def invitation(app, smtp_server):
    """The email invitation of a coach whose name looks like markup, as the client got it."""
    with app.app_context():
        coach = make_coach(email="coach@example.com", name="Casey <script>alert(1)</script> Coach")
        program_id = make_program(coach).id
    client = app.test_client()
    client.login("coach@example.com", PASSWORD)
    client.post(
        f"/programs/{program_id}/clients/email",
        data={"invite-name": "Bo <b>Bold</b>", "invite-email": "bo@example.com"},
    )
    relay(app)
    [mail] = smtp_server.mailbox.wait_for(1)
    return mail


def test_an_invitation_has_a_plain_and_an_html_part_with_the_link_as_a_button(invitation):
    assert invitation.get_content_type() == "multipart/alternative"
    plain = Mailbox.body(invitation)
    html = invitation.get_body(preferencelist=("html",)).get_content()
    link = re.search(r"https://coach\.example\.com/invitation/[A-Za-z0-9_-]+", plain).group(0)
    button = re.search(rf'<a href="{re.escape(link)}"[^>]*>([^<]+)</a>', html)
    assert button, html
    assert "Accept the invitation" in button.group(1)
    assert "padding" in button.group(0) and "background" in button.group(0)
    assert "<img" not in html and "<link" not in html and "<style" not in html


def test_names_in_the_html_part_stay_text(invitation):
    html = invitation.get_body(preferencelist=("html",)).get_content()
    assert "<script>" not in html and "<b>" not in html
    assert "Casey &lt;script&gt;alert(1)&lt;/script&gt; Coach" in html
    assert "Bo &lt;b&gt;Bold&lt;/b&gt;" in html


def test_an_invitation_replies_to_the_coach(invitation):
    [address] = invitation["Reply-To"].addresses
    assert address.addr_spec == "coach@example.com"
    assert address.display_name == "Casey <script>alert(1)</script> Coach"


def test_a_password_reset_has_its_link_as_a_button_and_no_reply_to(app, smtp_server):
    with app.app_context():
        make_coach(email="coach@example.com", name="Casey Coach")
    app.test_client().post("/password/forgot", data={"email": "coach@example.com"})
    relay(app)
    [mail] = smtp_server.mailbox.wait_for(1)
    html = mail.get_body(preferencelist=("html",)).get_content()
    link = re.search(r"https://coach\.example\.com/\S+", Mailbox.body(mail)).group(0)
    assert re.search(rf'<a href="{re.escape(link)}"[^>]*>Choose a new password</a>', html)
    assert mail["Reply-To"] is None
