"""`make run` on an empty instance: migrations, demo data, printed login, a working app."""

import os
import re
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.support.postgres import empty_database, free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def database_url(tmp_path, postgres_cluster):
    """None: `make run`'s default SQLite under instance/; or a new, empty PostgreSQL database."""
    if not postgres_cluster:
        yield None
        return
    with empty_database(postgres_cluster[0], None) as url:
        yield url


@pytest.fixture
def make_run(tmp_path, database_url):
    port = free_port()
    env = {**os.environ, "ONDECK_INSTANCE_PATH": str(tmp_path / "instance")}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    log = tmp_path / "make-run.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            ["make", "run", f"PORT={port}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url, process, log)
        yield url, log.read_text()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def _wait_for(url, process, log, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"make run exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "/login", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"make run did not serve in time:\n{log.read_text()}")


def test_make_run_serves_demo_data_the_printed_coach_can_log_into(make_run, watched_page):
    url, output = make_run
    match = re.search(r"coach:\s+(\S+)\s+password:\s+(\S+)", output)
    assert match, output
    email, password = match.groups()
    assert f"Log in at {url}/login as" in output

    page = watched_page
    page.goto(url + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    card = page.locator(".program-card", has_text="1-2-1 Coaching")
    expect(card).to_contain_text("Published")
    expect(card).to_contain_text("£200.00 per month")
    # Links the coach hands out point at the port make run serves on.
    card.get_by_role("link", name="1-2-1 Coaching").click()
    expect(page.locator("#join-url")).to_have_value(re.compile("^" + re.escape(url + "/join/")))
