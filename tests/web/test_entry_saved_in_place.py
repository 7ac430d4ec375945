"""Saving an entry without changing its date answers with that entry alone, and what it answers
is exactly what the day's editor shows for it when drawn afresh."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from tests.support.factories import PASSWORD, make_client, make_coach, make_program
from tests.support.seen import page_text
from webapp.extensions import db
from webapp.models import CalendarEntry, EntryMove

NOW = datetime(2026, 11, 22, 11, 30, tzinfo=UTC)
START = date(2026, 11, 16)
DAY = date(2026, 11, 18)

pytestmark = pytest.mark.usefixtures("frozen_clock")  # at NOW


class _Element(HTMLParser):
    """The markup of the element with one id, up to its own closing tag."""

    def __init__(self, wanted: str):
        super().__init__(convert_charrefs=False)
        self.wanted, self.tag, self.depth = wanted, None, 0
        self.start = self.end = None

    def handle_starttag(self, tag, attrs):
        if self.tag is None and dict(attrs).get("id") == self.wanted:
            self.tag, self.depth, self.start = tag, 1, self.getpos()
        elif tag == self.tag and self.end is None and self.start is not None:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == self.tag and self.end is None and self.start is not None:
            self.depth -= 1
            if self.depth == 0:
                line, column = self.getpos()
                self.end = (line, column + len(f"</{tag}>"))


def element(html: str, element_id: str) -> str:
    parser = _Element(element_id)
    parser.feed(html)
    assert parser.start and parser.end, f"no element #{element_id}"
    lines = html.splitlines(keepends=True)
    offset = [0]
    for line in lines:
        offset.append(offset[-1] + len(line))
    begin = offset[parser.start[0] - 1] + parser.start[1]
    finish = offset[parser.end[0] - 1] + parser.end[1]
    return html[begin:finish]


def comparable(markup: str) -> str:
    """Markup with its whitespace folded and CSRF tokens (signed per request) blanked."""
    markup = re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token" value=""', markup)
    return " ".join(markup.split())


@pytest.fixture
def day(app):
    """A client's day with two entries; the first was moved there from the day before."""
    with app.app_context():
        coach = make_coach(email="coach@example.com")
        row = make_client(make_program(coach), start_date=START, horizon_days=7)
        first = CalendarEntry(client_id=row.id, on_date=DAY, position=0, title="Hill repeats")
        second = CalendarEntry(client_id=row.id, on_date=DAY, position=1, title="Stretch")
        db.session.add_all([first, second])
        db.session.flush()
        db.session.add(
            EntryMove(
                entry_id=first.id,
                moved_by_id=coach.id,
                moved_at=NOW,
                from_date=date(2026, 11, 17),
                to_date=DAY,
            )
        )
        db.session.commit()
        return {"client": row.id, "first": first.id, "second": second.id}


def stored(app, entry_id):
    with app.app_context():
        entry = db.session.get(CalendarEntry, entry_id)
        return entry.on_date, entry.title, entry.body, entry.at_time


@pytest.mark.parametrize("query", ["", "?compact=1"], ids=["week", "month cell"])
def test_a_save_on_the_same_date_answers_with_the_entry_as_the_editor_draws_it(
    app, client, day, query
):
    client.login("coach@example.com", PASSWORD)
    base = f"/clients/{day['client']}/calendar"
    response = client.hx_post(
        f"{base}/entries/{day['first']}{query}",
        data={"title": "Hill repeats ×8", "body": "90 s up", "at_time": "07:15", "on_date": DAY},
    )
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == f"#entry-{day['first']}"
    assert response.headers["HX-Reswap"] == "outerHTML"
    answered = response.get_data(as_text=True)
    text = page_text(answered)
    assert "07:15 Hill repeats ×8" in text and "90 s up" in text
    assert "Moved 17 Nov → 18 Nov" in text
    assert "Stretch" not in text and "Add" not in text  # the rest of the day is left as it is
    assert stored(app, day["first"]) == (DAY, "Hill repeats ×8", "90 s up", time(7, 15))

    editor = client.hx_get(f"{base}/days/{DAY.isoformat()}/edit{query}").get_data(as_text=True)
    assert comparable(answered) == comparable(element(editor, f"entry-{day['first']}"))


def test_a_save_that_moves_the_entry_answers_with_the_whole_day_it_left(app, client, day):
    client.login("coach@example.com", PASSWORD)
    base = f"/clients/{day['client']}/calendar"
    response = client.hx_post(
        f"{base}/entries/{day['first']}", data={"title": "Hill repeats", "on_date": "2026-11-19"}
    )
    assert "HX-Retarget" not in response.headers
    text = page_text(response.get_data(as_text=True))
    assert "“Hill repeats” moved to Thu 19 Nov 2026." in text
    listed = element(response.get_data(as_text=True), f"entry-{day['second']}")
    assert "Stretch" in page_text(listed) and "Add" in text
    assert f'id="entry-{day["first"]}"' not in response.get_data(as_text=True)
    assert stored(app, day["first"])[0] == date(2026, 11, 19)


def test_a_save_that_fails_answers_in_place_with_the_message_and_writes_nothing(app, client, day):
    client.login("coach@example.com", PASSWORD)
    response = client.hx_post(
        f"/clients/{day['client']}/calendar/entries/{day['first']}",
        data={"title": "", "body": "kept?", "on_date": DAY},
    )
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == f"#entry-{day['first']}"
    html = response.get_data(as_text=True)
    title = re.search(rf'<input[^>]*id="title-entry-{day["first"]}"[^>]*>', html)
    assert 'aria-invalid="true"' in title.group(0)
    assert "Give the training a title." in page_text(html)
    assert "kept?" in element(html, f"body-entry-{day['first']}")  # what was typed stays
    assert "Stretch" not in page_text(html)
    assert stored(app, day["first"]) == (DAY, "Hill repeats", "", None)


@pytest.mark.parametrize("query", ["", "?compact=1"], ids=["week", "month cell"])
def test_opening_and_cancelling_an_entrys_editor_happen_in_place(app, client, day, query):
    client.login("coach@example.com", PASSWORD)
    base = f"/clients/{day['client']}/calendar"
    iso = DAY.isoformat()
    sep = "&" if query else "?"
    opened = client.hx_get(f"{base}/days/{iso}/edit{query}{sep}entry={day['first']}")
    assert opened.headers["HX-Retarget"] == f"#entry-{day['first']}"
    # The same editor the whole page draws for that entry, alone.
    page = client.get(f"{base}/days/{iso}/edit{query}{sep}entry={day['first']}")
    assert "<html" in page.get_data(as_text=True)
    assert comparable(opened.get_data(as_text=True)) == comparable(
        element(page.get_data(as_text=True), f"entry-{day['first']}")
    )
    assert 'value="Hill repeats"' in opened.get_data(as_text=True)

    cancel = re.search(r'hx-get="([^"]+)"[^>]*data-cancel-entry', opened.get_data(as_text=True))
    closed = client.hx_get(cancel.group(1).replace("&amp;", "&"))
    assert closed.headers["HX-Retarget"] == f"#entry-{day['first']}"
    editor = client.hx_get(f"{base}/days/{iso}/edit{query}").get_data(as_text=True)
    assert comparable(closed.get_data(as_text=True)) == comparable(
        element(editor, f"entry-{day['first']}")
    )
    # Without JavaScript, Cancel is a link back to the day's editor.
    plain = client.get(cancel.group(1).replace("&amp;", "&"))
    assert plain.status_code == 302
    assert plain.headers["Location"].endswith(f"/calendar/days/{iso}/edit{query}")
    assert stored(app, day["first"]) == (DAY, "Hill repeats", "", None)


def test_another_coach_cannot_open_or_show_an_entry(app, client, day):
    with app.app_context():
        make_coach(email="other@example.com")
    client.login("other@example.com", PASSWORD)
    base = f"/clients/{day['client']}/calendar"
    shown = client.hx_get(f"{base}/entries/{day['first']}")
    assert shown.status_code == 404 and "HX-Retarget" not in shown.headers
    assert "Hill repeats" not in shown.get_data(as_text=True)
    opened = client.hx_get(f"{base}/days/{DAY.isoformat()}/edit?entry={day['first']}")
    assert opened.status_code == 404
    assert "Hill repeats" not in opened.get_data(as_text=True)


def test_without_javascript_a_save_still_goes_back_to_the_days_editor(app, client, day):
    client.login("coach@example.com", PASSWORD)
    response = client.post(
        f"/clients/{day['client']}/calendar/entries/{day['first']}",
        data={"title": "Hill repeats ×6", "on_date": DAY, "csrf_token": client.csrf_token()},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/calendar/days/{DAY.isoformat()}/edit")
    with app.app_context():
        titles = db.session.scalars(
            sa.select(CalendarEntry.title).order_by(CalendarEntry.position)
        ).all()
    assert titles == ["Hill repeats ×6", "Stretch"]
