"""Acceptance: a coach's export zip, loaded into an empty OnDeck with `flask ondeck import`,
gives the same pages: programs, program page and tabs, each client's calendar, the reports'
figures, a client's calendar and their feed's events."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
import vobject

from tests.support import moved, rich_coach
from tests.support.factories import PASSWORD
from tests.support.plusone import logged_in
from tests.support.seen import feed_events, page_text
from tests.web.test_password_reset import NEW_PASSWORD, ask_for_link, choose, reset_path
from webapp.extensions import db
from webapp.models import Booking, Client, CoachingSession, OutboxMessage, Program, User

NOW = datetime(2026, 3, 11, 10, 0, tzinfo=UTC)
pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def empty_ondeck(tmp_path, postgres_cluster):
    with moved.empty_ondeck(postgres_cluster, tmp_path / "moved.sqlite3") as app:
        yield app


def _ids(app):
    """The coach's programs and calendars by name, and the demo client's own calendar."""
    with app.app_context():
        programs = db.session.execute(
            sa.select(Program.name, Program.id)
            .join(User, User.id == Program.coach_id)
            .where(User.email == rich_coach.COACH_EMAIL)
            .order_by(Program.name)
        ).all()
        calendars = db.session.execute(
            sa.select(Client.name, Client.id)
            .where(Client.program_id.in_([pid for _, pid in programs]))
            .order_by(Client.name)
        ).all()
        mine = db.session.scalar(
            sa.select(Client.id)
            .join(User, User.id == Client.user_id)
            .where(User.email == rich_coach.CLIENT_EMAIL)
        )
    return programs, calendars, mine


def _logged_in(app, email: str, password: str):
    browser = app.test_client()
    browser.login(email, password)
    return browser


def _seen(app, password: str = PASSWORD) -> dict[str, object]:
    programs, calendars, mine = _ids(app)
    coach = _logged_in(app, rich_coach.COACH_EMAIL, password)
    seen: dict[str, object] = {
        "programs": page_text(coach.get("/programs/").get_data(as_text=True))
    }
    for name, program_id in programs:
        for tab in ("", "/active", "/pending", "/invitations"):
            page = coach.get(f"/programs/{program_id}{tab}")
            seen[f"{name}{tab}"] = page_text(page.get_data(as_text=True))
    for name, client_id in calendars:
        for page in ("calendar", "sessions", "payments"):
            html = coach.get(f"/clients/{client_id}/{page}").get_data(as_text=True)
            seen[f"{page} of {name}"] = page_text(html)
    for currency in ("GBP", "EUR"):
        page = coach.get(f"/reports?from=2025-12&to=2026-03&currency={currency}")
        seen[f"reports {currency}"] = _figures(page.get_data(as_text=True))
    person = _logged_in(app, rich_coach.CLIENT_EMAIL, password)
    seen["my calendar"] = page_text(person.get(f"/my/calendar/{mine}").get_data(as_text=True))
    person.post(f"/my/calendar/{mine}/feed")
    page = person.get(f"/my/calendar/{mine}").get_data(as_text=True)
    feed = re.search(r"http://localhost(/feeds/[A-Za-z0-9_-]+\.ics)", page)
    assert feed, "the client's page shows their feed's address"
    seen["feed"] = feed_events(person.get(feed.group(1)).get_data())
    return seen


def _waiting_reminders(app) -> list[tuple]:
    """Reminders still to send: when each is due, before which session, for whom."""
    with app.app_context():
        rows = db.session.execute(
            sa.select(OutboxMessage.next_attempt_at, CoachingSession.scheduled_at, User.email)
            .join(CoachingSession, CoachingSession.id == OutboxMessage.session_id)
            .join(User, User.id == CoachingSession.client_user_id)
            .where(
                OutboxMessage.kind == "reminder",
                OutboxMessage.sent_at.is_(None),
                OutboxMessage.skipped_at.is_(None),
            )
            .order_by(OutboxMessage.next_attempt_at, User.email)
        )
        return [tuple(row) for row in rows]


def _plus_one_causes(app) -> list[tuple]:
    """Each +1 booking and the completed session that caused it (a reference by plain id)."""
    with app.app_context():
        rows = db.session.execute(
            sa.select(Booking.rate_minor, CoachingSession.completed_at, User.email)
            .join(CoachingSession, CoachingSession.id == Booking.caused_by_session_id)
            .join(User, User.id == CoachingSession.client_user_id)
            .where(Booking.kind == "plus_one")
        )
        return [tuple(row) for row in rows]


def _figures(html: str) -> list[str]:
    """The reports page's table rows, as text."""
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S)
    assert rows, "the reports page has tables"
    return [page_text(row) for row in rows]


def _export(app) -> bytes:
    coach = logged_in(app, rich_coach.COACH_EMAIL)
    response = coach.get("/account/export.zip")
    assert response.mimetype == "application/zip"
    return response.get_data()


def test_the_coachs_export_re_imports_into_an_empty_ondeck_to_the_same_pages(
    app, empty_ondeck, tmp_path
):
    rich_coach.build(app, NOW)
    before = _seen(app)
    path = tmp_path / "export.zip"
    path.write_bytes(_export(app))

    result = empty_ondeck.test_cli_runner().invoke(args=["ondeck", "import", str(path)])

    assert result.exit_code == 0, result.output
    assert f"Imported the business of {rich_coach.COACH_EMAIL}" in result.output
    assert "Forgot your password?" in result.output
    browser = empty_ondeck.test_client()
    for email in (rich_coach.COACH_EMAIL, rich_coach.CLIENT_EMAIL):  # until they reset it
        refused = browser.post("/login", data={"email": email, "password": PASSWORD})
        assert refused.status_code == 422
        assert "/login" in browser.get("/account").headers["Location"]
    for email in (rich_coach.COACH_EMAIL, rich_coach.CLIENT_EMAIL):  # by the emailed link
        person = empty_ondeck.test_client()
        ask_for_link(person, email)
        chosen = choose(person, reset_path(empty_ondeck, email))
        assert "Your password is changed" in person.get(chosen.headers["Location"]).get_data(
            as_text=True
        )
    after = _seen(empty_ondeck, NEW_PASSWORD)

    assert _plus_one_causes(empty_ondeck) == _plus_one_causes(app)
    assert [email for *_, email in _plus_one_causes(app)] == [rich_coach.EURO_EMAIL]
    assert _waiting_reminders(empty_ondeck) == _waiting_reminders(app)
    assert len(_waiting_reminders(app)) >= 2
    assert after.keys() == before.keys()
    for page, text in before.items():
        assert after[page] == text, page
    # The pages compared are not empty: the figures, a training log, the +1 and the feed.
    assert "Total €300.00 €0.00 €300.00 3 1 1" in before["reports EUR"]
    assert "Total £480.00 £30.00 £450.00 1 0 1" in before["reports GBP"]
    assert "Felt strong, last set slow." in str(before["my calendar"])
    assert "+1 session at €100.00" in str(before["calendar of Eva Euro"])
    assert "Moved 10 Mar → 11 Mar by Demo Coach" in str(before["calendar of Demo Client"])
    assert "newbie@example.com" in str(before["1-2-1 Coaching/invitations"])
    assert len(before["feed"]) == 7


def test_the_zip_holds_json_csvs_and_a_calendar_per_client(app, tmp_path):
    rich_coach.build(app, NOW)
    body = _export(app)
    archive = zipfile.ZipFile(io.BytesIO(body))
    names = archive.namelist()
    assert names[0] == "data.json"
    assert {"reports/ledger.csv", "reports/months-GBP.csv", "reports/months-EUR.csv"} <= set(names)
    assert {"reports/liability-GBP.csv", "reports/liability-EUR.csv"} <= set(names)
    calendars = [name for name in names if name.startswith("calendars/")]
    assert len(calendars) == 3  # Demo Client, Sam Pending, Eva Euro
    assert any("eva-euro" in name for name in calendars)
    head = archive.read("data.json")[:80].decode()
    assert head.startswith('{"format": "ondeck-export", "version": 1')
    eva = archive.read(next(name for name in calendars if "eva-euro" in name)).decode()
    events = {event.summary.value: event for event in vobject.readOne(eva).vevent_list}
    assert events["Intervals 6×400 m"].dtstart.value == datetime(2026, 3, 11, 17, 30, tzinfo=UTC)
    assert "+1 coaching session" in events
    # Another unzip than Python's reads it too (Info-ZIP, where installed).
    if shutil.which("unzip"):
        (tmp_path / "export.zip").write_bytes(body)
        tested = subprocess.run(
            ["unzip", "-t", str(tmp_path / "export.zip")], capture_output=True, text=True
        )
        assert tested.returncode == 0, tested.stdout
        assert "No errors detected" in tested.stdout
