"""Dates far outside a coaching calendar (year 1, 1900, 9999) and malformed ones, at every form
and URL that takes a date: refused with a message or a 404, never a 500, never half-written.
"""

from __future__ import annotations

import pytest

from tests.security.test_bad_input import snapshot
from tests.security.world import build_world
from tests.support.factories import PASSWORD

BAD_DATES = {
    "year 1": "0001-01-01",
    "year 1900": "1900-01-01",
    "year 9999": "9999-12-31",
    "just past the last day": "2101-01-01",
    "just before the first day": "1999-12-31",
    "day 30 of February": "2026-02-30",
    "month 13": "2026-13-01",
    "not a date": "next tuesday",
    "five-digit year": "10000-01-01",
    "no dashes": "20260707",
}

# form: (role, url, valid payload, the date field)
DATE_FORMS = {
    "calendar_add_entry": (
        "coach_x",
        "/clients/{client_id}/calendar/days/{bad}/entries",
        {"title": "Intervals", "body": "", "at_time": ""},
        None,
    ),
    "calendar_edit_entry": (
        "coach_x",
        "/clients/{client_id}/calendar/entries/{entry_id}",
        {"title": "Squats", "body": "", "at_time": ""},
        "on_date",
    ),
    "calendar_settings": (
        "coach_x",
        "/clients/{client_id}/calendar/settings",
        {"horizon": "14"},
        "start_date",
    ),
    "calendar_shift": (
        "coach_x",
        "/clients/{client_id}/calendar/shift",
        {"days": "7"},
        "from_date",
    ),
    "session_place": (
        "coach_x",
        "/clients/{client_id}/sessions/{session_id}/place",
        {"at_time": "09:30"},
        "on_date",
    ),
    "plus_one_pause": (
        "client_a",
        "/my/coaches/{coach_id}/plus-one",
        {"action": "pause"},
        "paused_until",
    ),
}

DATE_URLS = {
    "coach_x": [
        "/clients/{client_id}/calendar/days/{bad}",
        "/clients/{client_id}/calendar/days/{bad}/edit",
        "/clients/{client_id}/calendar?view=month&month={bad_month}",
        "/clients/{client_id}/calendar?week={bad_week}",
    ],
    "client_a": ["/my/calendar/{client_id}?from={bad}"],
}

# Pages that show the dates a form may have stored: none of them may break afterwards.
AFTERWARDS = {
    "coach_x": [
        "/clients/{client_id}/calendar",
        "/clients/{client_id}/calendar?view=month",
        "/clients/{client_id}/sessions",
        "/needs-attention",
    ],
    "client_a": [
        "/my/calendar/{client_id}",
        "/my/coaches/{coach_id}",
        "/my/coaches/{coach_id}/plus-one",
    ],
}


def _refused_with_message(html: str) -> bool:
    return 'class="error"' in html or "flash-error" in html or 'id="error"' in html


@pytest.mark.parametrize("form_name", sorted(DATE_FORMS))
def test_a_date_outside_the_calendar_is_refused_by_every_date_form(app, form_name):
    role, url, valid, field = DATE_FORMS[form_name]
    world = build_world(app)
    client = app.test_client()
    client.login(world.emails[role], PASSWORD)
    problems = []
    for kind, bad in BAD_DATES.items():
        before = snapshot(app)
        target = url.format(bad=bad, **world.ids)
        data = dict(valid) if field is None else {**valid, field: bad}
        response = client.post(target, data=data)
        where = f"{form_name} <- {kind}: {response.status_code}"
        html = response.get_data(as_text=True)
        if response.status_code >= 500:
            problems.append(f"{where} server error")
        elif response.status_code < 400 and response.status_code != 303:
            problems.append(f"{where} accepted")
        elif response.status_code == 303:
            # The sessions list answers a browser with a redirect and a flashed message.
            page = client.get(response.headers["Location"]).get_data(as_text=True)
            if "flash-error" not in page:
                problems.append(f"{where} accepted")
        elif response.status_code != 404 and not _refused_with_message(html):
            problems.append(f"{where} refused without a message")
        if snapshot(app) != before:
            problems.append(f"{where} the database changed")
        for page_url in AFTERWARDS[role]:
            shown = client.get(page_url.format(**world.ids))
            if shown.status_code >= 500:
                problems.append(f"{where} then {page_url} answered {shown.status_code}")
    assert problems == []


@pytest.mark.parametrize("role", sorted(DATE_URLS))
def test_a_date_outside_the_calendar_in_a_url_is_not_found(app, role):
    world = build_world(app)
    client = app.test_client()
    client.login(world.emails[role], PASSWORD)
    bad_months = ["0001-01", "1900-01", "9999-12", "10000-01", "2026-13", "2026", "x-y"]
    bad_weeks = ["-99999", "99999", "1e3", "x"]
    problems = []
    for template in DATE_URLS[role]:
        values = bad_months if "bad_month" in template else bad_weeks
        if "{bad}" in template:
            values = list(BAD_DATES.values())
        for bad in values:
            url = template.format(bad=bad, bad_month=bad, bad_week=bad, **world.ids)
            for get in (client.get, client.hx_get):
                response = get(url)
                if response.status_code != 404:
                    problems.append(f"{url}: {response.status_code}")
    assert problems == []


def test_a_coach_can_page_to_the_last_month_of_the_calendar_but_not_past_it(app):
    world = build_world(app)
    client = app.test_client()
    client.login(world.emails["coach_x"], PASSWORD)
    base = "/clients/{client_id}/calendar?view=month".format(**world.ids)
    last = client.get(base + "&month=2100-12")
    assert last.status_code == 200
    assert "December 2100" in last.get_data(as_text=True)
    assert "month=2101-01" not in last.get_data(as_text=True)
    first = client.get(base + "&month=2000-01")
    assert first.status_code == 200
    assert "month=1999-12" not in first.get_data(as_text=True)


def test_completing_a_session_on_the_last_day_books_the_plus_one_without_an_error(app):
    from tests.support.plusone import (
        complete_url,
        logged_in,
        make_package,
        make_pair,
        remaining_ids,
        session_row,
    )

    pair = make_pair(app)
    package_id = make_package(app, pair.coach_id, 1, 5000)
    me = logged_in(app, pair.person_email)
    me.post(f"/my/coaches/{pair.coach_id}/packages/{package_id}/book")
    me.post(f"/my/coaches/{pair.coach_id}/plus-one", data={"action": "enrol"})
    coach = logged_in(app, pair.coach_email)
    [sid] = remaining_ids(app, pair)
    placed = coach.post(
        f"/clients/{pair.client_id}/sessions/{sid}/place",
        data={"on_date": "2100-12-31", "at_time": "18:00"},
    )
    assert placed.status_code == 303
    done = coach.hx_post(complete_url(pair, sid), data={"in_list": "1"})
    assert done.status_code == 200
    assert "+1 booked one more session" in done.get_data(as_text=True)
    [plus_id] = remaining_ids(app, pair)
    assert session_row(app, plus_id).status == "remaining"
    for url in (
        f"/clients/{pair.client_id}/sessions",
        f"/clients/{pair.client_id}/calendar?view=month&month=2100-12",
        f"/my/calendar/{pair.client_id}",
    ):
        who = me if url.startswith("/my/") else coach
        assert who.get(url).status_code == 200, url
