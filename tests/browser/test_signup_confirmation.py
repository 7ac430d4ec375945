"""Spec: a join-link sign-up is confirmed through the emailed link before anything is joined."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.browser.test_invites import deliver_signup_link
from tests.support.browser import confirm_sign_up
from tests.support.factories import make_client, make_coach, make_program
from tests.web.signup_support import write_entry
from webapp.extensions import db
from webapp.models import Client, Program
from webapp.services.join_links import PURPOSE, regenerate
from webapp.services.tokens import derived_token

PASSWORD = "a long enough password"


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port}


@pytest.fixture
def join_path(app):
    """A published program with a join link, and Ana pending in it with training written."""
    with app.app_context():
        coach = make_coach(email="coach@example.com", name="Casey Coach")
        program = make_program(coach, name="1-2-1 Coaching")
        ana = make_client(program, name="Ana", email="ana@example.com", state="pending")
        stored = db.session.get(Program, program.id)
        regenerate(stored)
        db.session.commit()
        token = derived_token(PURPOSE, stored.join_salt)
    write_entry(app, ana.id, "Hill sprints")
    return f"/join/{token}"


def test_a_pending_client_signs_up_by_link_confirms_from_her_inbox_and_is_active(
    app, live_server, watched_page, smtp_server, join_path
):
    page = watched_page
    page.goto(live_server.url + join_path)
    page.get_by_label("Your name").fill("Ana")
    page.get_by_label("Email").fill("ana@example.com")
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("I have read and accept the waiver").check()
    page.get_by_role("button", name="Join 1-2-1 Coaching").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    expect(page.locator("#signup-sent")).to_contain_text("ana@example.com")
    with app.app_context():
        assert db.session.scalar(sa.select(Client.state)) == "pending"

    link = deliver_signup_link(app, smtp_server, "ana@example.com")
    page.goto(link)
    expect(page.get_by_role("heading", name="Finish signing up")).to_be_visible()
    with app.app_context():
        assert db.session.scalar(sa.select(Client.user_id)) is None  # opening changes nothing
    confirm_sign_up(page, link, PASSWORD)
    expect(page.get_by_role("heading", name="Welcome to 1-2-1 Coaching")).to_be_visible()
    page.get_by_role("link", name="My calendar").click()
    expect(page.get_by_text("Hill sprints")).to_be_visible()
    with app.app_context():
        ana = db.session.scalar(sa.select(Client))
    assert (ana.state, ana.method, ana.start_date) == ("active", "link", date.today())
    assert ana.user_id is not None
