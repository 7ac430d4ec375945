"""The three invite methods, start to finish in Chromium."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.support.browser import confirm_sign_up, log_in
from tests.support.factories import make_client, make_coach, make_program
from tests.support.smtp import Mailbox
from webapp.extensions import db
from webapp.models import Client
from webapp.services import outbox

LINK = re.compile(r"(http://\S+/invitation/[A-Za-z0-9_-]+)")
CONFIRM_LINK = re.compile(r"(http://\S+/signup/confirm/[A-Za-z0-9_-]+)")


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port}


@pytest.fixture
def program(app):
    with app.app_context():
        coach = make_coach(email="coach@example.com", name="Casey Coach")
        return make_program(coach, name="1-2-1 Coaching")


@pytest.fixture
def coach_page(live_server, watched_page, program):
    page = watched_page
    log_in(page, live_server.url, "coach@example.com")
    page.goto(f"{live_server.url}/programs/{program.id}")
    # Survives only while the page is never fully reloaded.
    page.evaluate("window.stillTheSamePage = true")
    return page


@pytest.fixture
def other_person(browser):
    """A second person in their own browser context; fails the test on any browser problem."""
    contexts, problems = [], []

    def open_page():
        context = browser.new_context()
        contexts.append(context)
        context.on("page", lambda p: _watch(p, problems))
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert problems == [], f"browser reported problems: {problems}"


def _watch(page, problems):
    page.on(
        "console",
        lambda m: (
            problems.append(m.text) if m.type == "error" and "status of 422" not in m.text else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))


def deliver_invitation(app, smtp_server, recipient: str) -> str:
    """Run the outbox relay once and read the link from the email the SMTP server received."""
    with app.app_context():
        assert outbox.send_due() == (1, 0)
    [message] = [m for m in smtp_server.mailbox.wait_for(1) if recipient in m["To"]]
    return LINK.search(Mailbox.body(message)).group(1)


def deliver_signup_link(app, smtp_server, recipient: str) -> str:
    with app.app_context():
        assert outbox.send_due() == (1, 0)
    [message] = [m for m in smtp_server.mailbox.wait_for(1) if recipient in m["To"]]
    return CONFIRM_LINK.search(Mailbox.body(message)).group(1)


def accept_as_new_client(page, link: str, name: str | None = None):
    page.goto(link)
    if name:
        page.get_by_label("Your name").fill(name)
    page.get_by_label("Choose a password").fill("a long enough password")
    page.get_by_label("I have read and accept the waiver").check()
    page.get_by_role("button", name="Accept and join").click()
    expect(page.get_by_role("heading", name="Welcome to 1-2-1 Coaching")).to_be_visible()
    expect(page.locator(".welcome-message")).to_have_text("Welcome!")


def test_the_list_refreshes_even_when_the_button_that_changed_it_was_replaced_meanwhile(
    app, live_server, coach_page, program
):
    """A change announces itself to the whole page: if the list was redrawn while the answer
    was on its way (another tab click, a refresh), the form that sent it is gone, and the
    announcement must not go with it."""
    with app.app_context():
        ana = make_client(program, name="Ana", email="ana@example.com", state="pending")
        ana_id = ana.id
    page = coach_page
    page.get_by_role("tab", name=re.compile("Pending")).click()
    row = page.locator(f"#client-{ana_id}")
    expect(row).to_contain_text("Not sent yet")

    held = []
    page.route("**/clients/*/invite", lambda route: held.append(route))
    row.get_by_role("button", name="Send invite").click()
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the invite was never sent"

    # The list is redrawn while the invite is on its way: the button that sent it is replaced.
    page.evaluate("document.getElementById('pending-clients').dataset.drawnBefore = 'yes'")
    page.get_by_role("tab", name=re.compile("Pending")).click()
    expect(page.locator("#pending-clients[data-drawn-before]")).to_have_count(0)
    expect(row).to_contain_text("Not sent yet")

    held[0].continue_()
    expect(page.locator("#client-notice")).to_contain_text("Invitation sent to ana@example.com")
    expect(row.get_by_role("button", name="Resend invite")).to_be_visible()
    expect(row).not_to_contain_text("Not sent yet")
    assert page.evaluate("window.stillTheSamePage") is True


def test_manual_invite_then_formal_invite_by_email_then_active(
    app, live_server, coach_page, program, smtp_server, other_person
):
    page = coach_page
    page.get_by_label("Client name").fill("Ana")
    page.get_by_label("Client email").fill("ana@example.com")
    page.get_by_role("button", name="Add to Pending").click()
    expect(page.locator("#manual-invite")).to_contain_text("Ana is in Pending")
    expect(page.locator("#count-pending")).to_have_text("1")

    page.get_by_role("tab", name=re.compile("Pending")).click()
    expect(page).to_have_url(f"{live_server.url}/programs/{program.id}/pending")
    row = page.locator("#pending-clients tbody tr", has_text="Ana")
    with app.app_context():
        ana_id = db.session.scalar(sa.select(Client.id).where(Client.email == "ana@example.com"))
    expect(row.get_by_role("link", name="Ana")).to_have_attribute(
        "href", f"/clients/{ana_id}/calendar"
    )
    expect(row).to_contain_text("Not sent yet")

    row.get_by_role("button", name="Send invite").click()
    expect(page.locator("#client-notice")).to_contain_text("Invitation sent to ana@example.com")
    expect(row.get_by_role("button", name="Resend invite")).to_be_visible()

    link = deliver_invitation(app, smtp_server, "ana@example.com")
    accept_as_new_client(other_person(), link)

    page.get_by_role("tab", name=re.compile("Active")).click()
    expect(page.locator("#active-clients")).to_contain_text("Ana")
    expect(page.locator("#count-active")).to_have_text("1")
    expect(page.locator("#count-pending")).to_have_text("0")
    page.get_by_role("tab", name=re.compile("Pending")).click()
    expect(page.locator("#pending-empty")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True

    with app.app_context():
        ana = db.session.get(Client, ana_id)
        assert (ana.state, ana.method, ana.user_id is not None) == ("active", "manual", True)


def test_email_invite_is_active_directly_and_never_pending(
    app, live_server, coach_page, program, smtp_server, other_person
):
    page = coach_page
    page.get_by_label("Name (optional)").fill("Bo")
    page.get_by_label("Email", exact=True).fill("bo@example.com")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator("#email-invite")).to_contain_text("Invitation sent to bo@example.com")
    expect(page.locator("#count-invitations")).to_have_text("1")
    expect(page.locator("#count-pending")).to_have_text("0")
    page.get_by_role("tab", name=re.compile("Pending")).click()
    expect(page.locator("#pending-empty")).to_be_visible()
    page.get_by_role("tab", name=re.compile("Invitations")).click()
    expect(page.locator("#email-invitations")).to_contain_text("bo@example.com")

    link = deliver_invitation(app, smtp_server, "bo@example.com")
    accept_as_new_client(other_person(), link)

    page.get_by_role("tab", name=re.compile("Active")).click()
    expect(page.locator("#active-clients")).to_contain_text("Bo")
    expect(page.locator("#count-pending")).to_have_text("0")
    expect(page.locator("#count-invitations")).to_have_text("0")
    assert page.evaluate("window.stillTheSamePage") is True
    with app.app_context():
        states = db.session.execute(sa.select(Client.email, Client.state, Client.method)).all()
    assert states == [("bo@example.com", "active", "email")]


@contextmanager
def serve_page(html: str):
    """Another origin (http://localhost:PORT, a different site from 127.0.0.1) serving `html`."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=functools.partial(server.serve_forever, 0.1), daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def test_join_link_followed_from_a_widget_on_another_site(
    app, live_server, coach_page, program, smtp_server, other_person
):
    page = coach_page
    page.get_by_role("button", name="Make a join link").click()
    snippet = page.locator("#join-snippet-widget")
    expect(snippet).to_have_value(re.compile(r"<iframe src=\"http://127\.0\.0\.1:\d+/join/"))
    embed = snippet.input_value()

    site = f"<!doctype html><title>Casey's site</title><h1>Train with Casey</h1>{embed}"
    with serve_page(site) as site_url:
        visitor = other_person()
        visitor.goto(site_url)
        widget = visitor.frame_locator("iframe")
        expect(widget.locator(".widget-name")).to_have_text("1-2-1 Coaching")
        expect(widget.locator(".widget-price")).to_contain_text("£200.00 per month")
        with visitor.context.expect_page() as opened:
            widget.get_by_role("link", name="Join").click()
        join = opened.value
        join.set_default_timeout(10_000)
        expect(join.get_by_role("heading", name="1-2-1 Coaching")).to_be_visible()
        join.get_by_label("Your name").fill("Zoe")
        join.get_by_label("Email").fill("zoe@example.com")
        join.get_by_label("Choose a password").fill("a long enough password")
        join.get_by_label("I have read and accept the waiver").check()
        join.get_by_role("button", name="Join 1-2-1 Coaching").click()
        expect(join.get_by_role("heading", name="Check your email")).to_be_visible()
        confirm_sign_up(
            join, deliver_signup_link(app, smtp_server, "zoe@example.com"), "a long enough password"
        )
        expect(join.get_by_role("heading", name="Welcome to 1-2-1 Coaching")).to_be_visible()

    page.get_by_role("tab", name=re.compile("Active")).click()
    expect(page.locator("#active-clients")).to_contain_text("Zoe")
    with app.app_context():
        states = db.session.execute(sa.select(Client.email, Client.state, Client.method)).all()
    assert states == [("zoe@example.com", "active", "link")]
