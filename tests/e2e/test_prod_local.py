"""`make run-prod-local`: the production stack of docs/deploy.md, proven on this machine.

The same script as the make target starts PostgreSQL, `flask db upgrade`, gunicorn (2 workers),
the relay and a local SMTP server; these tests drive it over HTTP like a browser would.
"""

from __future__ import annotations

import email
import email.policy
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.support.http import Browser
from tests.support.parts import have_postgres, need

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "prod_local.py"
READY = "ONDECK PROD-LOCAL READY"

pytestmark = pytest.mark.slow


class Stack:
    def __init__(self, output: Path):
        self.output = output
        text = output.read_text()
        self.url = re.search(r"at (http://127\.0\.0\.1:\d+)", text).group(1)
        self.env_file = Path(re.search(r"env file:\s+(\S+)", text).group(1))
        self.mail_dir = Path(re.search(r"kept in (\S+)", text).group(1))

    def env(self) -> dict:
        """The settings the stack runs with, read from its env file like systemd does."""
        pairs = (line.split("=", 1) for line in self.env_file.read_text().splitlines() if line)
        return {key: value.strip('"') for key, value in pairs}

    def flask(self, *args: str) -> str:
        env = {"PATH": os.environ["PATH"], **self.env()}
        flask = Path(sys.executable).parent / "flask"
        result = subprocess.run(
            [str(flask), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def mail_to(self, address: str, timeout: float = 20):
        """The first email the local SMTP server received for address (waits for the relay)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for path in sorted(self.mail_dir.glob("*.eml")):
                message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
                if address.lower() in message["To"].lower():
                    return message
            time.sleep(0.2)
        raise AssertionError(f"no email to {address}; stack output:\n{self.output.read_text()}")

    def mails(self) -> list:
        return [
            email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
            for p in sorted(self.mail_dir.glob("*.eml"))
        ]


def _as_a_background_job():
    # A shell starts a script's background jobs with SIGINT ignored; Ctrl-C must still stop it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    need(have_postgres(), "PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    output = tmp_path_factory.mktemp("prod-local") / "output.log"
    with output.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, str(SCRIPT)],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_as_a_background_job,
        )
    try:
        deadline = time.monotonic() + 120
        while READY not in output.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the stack did not start:\n{output.read_text()}")
            time.sleep(0.3)
        yield Stack(output)
    finally:
        process.send_signal(signal.SIGINT)  # what Ctrl-C sends
        process.wait(timeout=60)
    run_dir = Stack(output).env_file.parent
    assert not run_dir.exists(), "Ctrl-C leaves nothing behind"


def test_gunicorn_serves_the_app_in_production_mode_on_postgresql(stack):
    page = Browser(stack.url).get("/login")
    assert page.status == 200 and "Log in" in page.html
    assert page.headers["Server"].startswith("gunicorn")
    settings = stack.env()
    assert settings["ONDECK_ENV"] == "production"
    assert settings["DATABASE_URL"].startswith("postgresql://ondeck:")
    # Production turns the captured-mail page off.
    assert "Captured mail" not in page.html
    assert Browser(stack.url).get("/dev/mail/").status == 404


def sign_up_coach(stack, browser: Browser, email_address: str) -> None:
    """The sign-up form, then the confirmation link it mails, through the relay."""
    password = "a long enough passphrase 42"
    page = browser.submit(
        "/signup",
        {
            "name": "Pat Coach",
            "email": email_address,
            "password": password,
            "time_zone": "Europe/London",
        },
    )
    assert "Check your email" in page.html, page.html[:500]
    body = stack.mail_to(email_address).get_body(("plain",)).get_content()
    link = re.search(r"(http://\S+/signup/confirm/[\w-]+)", body)
    assert link and link.group(1).startswith(stack.env()["PUBLIC_URL"]), body
    path = urllib.parse.urlparse(link.group(1)).path
    page = browser.submit(path, {"password": password})
    assert page.url.endswith("/programs/"), page.html[:500]


def publish_program(browser: Browser, name: str) -> str:
    """Create and publish a program through the forms; returns its page's path."""
    page = browser.submit(
        "/programs/new",
        {"name": name, "price": "150", "currency": "GBP", "billing_period": "month"},
    )
    path = urllib.parse.urlparse(page.url).path
    assert re.fullmatch(r"/programs/\d+", path), page.html[:500]
    page = browser.submit(path, {}, action=path + "/publish")
    assert "Program published" in page.html
    return path


def test_a_coach_signs_up_and_publishes_a_program_stored_in_postgresql(stack):
    browser = Browser(stack.url)
    sign_up_coach(stack, browser, "pat@example.com")
    publish_program(browser, "Strength 1-2-1")

    url = stack.env()["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        row = connection.execute(
            sa.text(
                "SELECT p.name, p.status, p.price_minor, u.email FROM programs p "
                "JOIN users u ON u.id = p.coach_id WHERE u.email = 'pat@example.com'"
            )
        ).one()
    engine.dispose()
    assert tuple(row) == ("Strength 1-2-1", "published", 15000, "pat@example.com")


def test_an_email_goes_through_the_relay_to_the_smtp_server(stack):
    printed = stack.flask("outbox", "test-email", "ops@example.com")
    assert "Queued test email" in printed
    message = stack.mail_to("ops@example.com")
    assert message["Subject"] == "OnDeck test email"
    assert re.fullmatch(r"<[0-9a-f-]{36}@127\.0\.0\.1>", message["Message-ID"])
    assert stack.env()["PUBLIC_URL"] in message.get_body(("plain",)).get_content()
    assert "---- email to ops@example.com: OnDeck test email" in stack.output.read_text()


def test_an_invite_email_goes_through_the_relay_with_a_working_link(stack):
    browser = Browser(stack.url)
    sign_up_coach(stack, browser, "inviter@example.com")
    program = publish_program(browser, "Invite 1-2-1")
    page = browser.submit(
        program,
        {"invite-name": "Sam", "invite-email": "sam@example.com"},
        action=program + "/clients/email",
    )
    assert page.status == 200 and "sam@example.com" in page.html
    body = stack.mail_to("sam@example.com").get_body(("plain",)).get_content()
    link = re.search(r"(http://\S+/invitation/[\w-]+)", body)
    assert link and link.group(1).startswith(stack.env()["PUBLIC_URL"]), body
    invitation = Browser(stack.url).get(urllib.parse.urlparse(link.group(1)).path)
    assert invitation.status == 200 and "Invite 1-2-1" in invitation.html
