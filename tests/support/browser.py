"""Playwright against a live server, driving Debian's Chromium (never a downloaded browser)."""

from __future__ import annotations

import pytest

from tests.support.factories import PASSWORD
from tests.support.http import Browser
from tests.support.live import LiveServer
from tests.support.parts import CHROMIUM, have_chromium, need


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    need(have_chromium(), f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def live_server(app):
    """The app served from a thread; it shares the test's file database or PostgreSQL."""
    server = LiveServer(app).start()
    app.config["PUBLIC_URL"] = server.url
    yield server
    server.stop()


@pytest.fixture
def page_problems(page):
    """Console errors, CSP violations and uncaught exceptions seen by the page."""
    problems: list[str] = []

    def on_console(message):
        # Forms answer invalid input with 422 and the form again: expected, not a problem.
        if message.type == "error" and "status of 422" not in message.text:
            problems.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


@pytest.fixture
def watched_page(page, page_problems):
    """A page that fails the test if anything went wrong in the browser."""
    page.set_default_timeout(10_000)
    yield page
    problems = page_problems
    if any(p.startswith("htmx:sendAbort") for p in problems):
        # A request still in flight when the page navigates is aborted by the browser, and htmx
        # logs the abort and its failed request: nothing the person sees went wrong.
        aborted = ("htmx:sendAbort", "htmx:afterRequest")
        problems = [p for p in problems if not p.startswith(aborted)]
    assert problems == [], f"browser reported problems: {problems}"


def log_in(page, base_url: str, email: str, password: str | None = None) -> None:
    """Log in without typing: the log-in form is posted over plain HTTP with the browser's
    user agent, its session cookie handed to the browser, and the browser sent where a log-in
    lands. Tests about logging in itself use log_in_with_the_form."""
    agent = page.evaluate("navigator.userAgent")
    visitor = Browser(base_url, follow_redirects=False, headers={"User-Agent": agent})
    answer = visitor.submit("/login", {"email": email, "password": password or PASSWORD})
    assert answer.status in (302, 303), f"log-in refused for {email}: {answer.html[:300]}"
    page.context.add_cookies(
        [
            {"name": c.name, "value": c.value, "url": base_url, "httpOnly": True, "sameSite": "Lax"}
            for c in visitor.cookies()
        ]
    )
    page.goto(base_url + "/login")


def log_in_with_the_form(page, base_url: str, email: str, password: str | None = None) -> None:
    """Log in through the real form, as a person would."""
    page.goto(base_url + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password or PASSWORD)
    page.get_by_role("button", name="Log in").click()


def confirm_sign_up(page, link: str, password: str) -> None:
    """Open the sign-up link from the email and finish with the password chosen."""
    page.goto(link)
    page.get_by_label("The password you chose").fill(password)
    page.get_by_role("button", name="Create my account").click()
