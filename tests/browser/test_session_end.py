"""Two tabs of one browser: logged out in one, the other's htmx actions go to the log-in page."""

from __future__ import annotations

from datetime import UTC, datetime, time
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.support.browser import log_in, log_in_with_the_form
from tests.support.factories import (
    make_client,
    make_client_user,
    make_coach,
    make_program,
    place_booked_session,
)
from webapp.extensions import db
from webapp.models import CalendarEntry

START = datetime.now(ZoneInfo("Europe/London")).date()  # the week the calendar opens on


@pytest.fixture
def world(app):
    """A coach with two programs and one active client, who has an entry and a session."""
    with app.app_context():
        coach = make_coach(email="coach@example.com")
        program = make_program(coach, name="1-2-1 Coaching")
        make_program(coach, name="Premium")
        ana = make_client_user(email="ana@example.com", name="Ana Lima")
        row = make_client(program, user=ana, start_date=START, horizon_days=None)
        place_booked_session(
            coach_id=coach.id,
            client_user_id=ana.id,
            calendar_client_id=row.id,
            at=datetime.combine(START, time(9, 30), UTC),
        )
        db.session.add(CalendarEntry(client_id=row.id, on_date=START, title="Hill repeats"))
        db.session.commit()
        return {"program_id": program.id, "client_id": row.id}


def tab(context, problems):
    """A page of the shared browser context that records what goes wrong in it."""
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("dialog", lambda dialog: dialog.accept())

    def on_console(message):
        # The refused htmx request itself (401) is the expected answer, not a problem.
        if message.type == "error" and "status of 401" not in message.text:
            problems.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return page


def open_a_day(page, world):
    page.locator(f"#day-{START.isoformat()} .cal-day-head").click()


def mark_complete(page, world):
    page.get_by_role("button", name="Mark complete").click()


def a_tab(page, world):
    page.get_by_role("tab", name="Pending").click()


def move_or_remove(page, world):
    page.get_by_label("Move Ana Lima to").select_option(label="Premium")
    page.get_by_role("button", name="Move", exact=True).click()


def mark_done(page, world):
    page.get_by_label("Done").check()
    page.get_by_role("button", name="Save").click()


def open_move_menu(page):
    page.get_by_text("Move or remove").first.click()
    expect(page.get_by_label("Move Ana Lima to")).to_be_visible()


def open_log_form(page):
    page.get_by_role("link", name="Mark done / add a note").click()
    expect(page.get_by_label("Done")).to_be_visible()


# (who, the page they are on, what they had opened before the other tab logged out, the action)
SCENARIOS = {
    "open a day": ("coach@example.com", "/clients/{client_id}/calendar", None, open_a_day),
    "mark complete": ("coach@example.com", "/clients/{client_id}/calendar", None, mark_complete),
    "a tab": ("coach@example.com", "/programs/{program_id}/active", None, a_tab),
    "move or remove": (
        "coach@example.com",
        "/programs/{program_id}/active",
        open_move_menu,
        move_or_remove,
    ),
    "a client's mark done": (
        "ana@example.com",
        "/my/calendar/{client_id}",
        open_log_form,
        mark_done,
    ),
}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_after_logging_out_in_one_tab_an_action_in_the_other_goes_to_login_and_back(
    app, live_server, context, world, scenario
):
    email, page_template, prepare, act = SCENARIOS[scenario]
    where = page_template.format(**world)
    problems: list[str] = []
    first, second = tab(context, problems), tab(context, problems)
    log_in_with_the_form(first, live_server.url, email)
    first.wait_for_load_state()
    first.goto(live_server.url + where)
    if prepare:
        prepare(first)
    second.goto(live_server.url + where)
    second.get_by_role("button", name="Log out").click()
    expect(second.get_by_role("heading", name="Log in")).to_be_visible()

    act(first, world)

    # The whole tab is the log-in page (nothing of it swapped into the page it was on).
    expect(first.get_by_role("heading", name="Log in")).to_be_visible()
    expect(first.locator("h1")).to_have_count(1)
    location = urlsplit(first.url)
    assert (location.path, parse_qs(location.query).get("next")) == ("/login", [where])
    expect(first.get_by_text("Please log in to see that page.")).to_be_visible()

    first.get_by_label("Email").fill(email)
    first.get_by_label("Password").fill("correct horse battery")
    first.get_by_role("button", name="Log in").click()
    expect(first).to_have_url(live_server.url + where)
    assert problems == [], f"browser reported problems: {problems}"


def test_an_htmx_post_with_a_refused_token_shows_a_notice_and_changes_nothing(
    app, live_server, page, world
):
    page.set_default_timeout(10_000)
    log_in(page, live_server.url, "coach@example.com")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/clients/{world['client_id']}/calendar")
    # What an old page would send: a token this session no longer accepts.
    page.evaluate(
        """() => {
        document.body.setAttribute("hx-headers", '{"X-CSRFToken": "an-expired-token"}');
        document.querySelectorAll("[name=csrf_token]").forEach((f) => { f.value = "expired"; });
        }"""
    )

    page.get_by_role("button", name="Mark complete").click()

    notice = page.locator("#htmx-error")
    expect(notice).to_be_visible()
    expect(notice).to_have_text(
        "This form has expired or was not sent from OnDeck. Reload the page and try again."
    )
    expect(page.get_by_role("button", name="Mark complete")).to_be_visible()
    expect(page.locator("h1")).to_have_count(1)
