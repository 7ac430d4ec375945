"""The feed as Mozilla's ical.js (Thunderbird's calendar engine) reads it, inside Chromium."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import vobject

from tests.support.feed import CLOCK_CHANGES, session_instants, subscribed_client

ICAL_JS = Path(__file__).parents[1] / "vendor" / "ical.js-2.2.1" / "ical.es5.min.js"

# Each event as ical.js sees it: the start's UTC instant, or the date of an all-day event.
READ_EVENTS = """(text) => {
    const calendar = new ICAL.Component(ICAL.parse(text));
    return calendar.getAllSubcomponents("vevent").map((component) => {
        const event = new ICAL.Event(component);
        const start = event.startDate;
        return {
            uid: event.uid,
            summary: event.summary,
            date: start.isDate ? start.toString() : null,
            unix: start.isDate ? null : start.toUnixTime(),
        };
    });
}"""


@pytest.fixture
def ical_js(watched_page):
    """A blank page in Chromium with ical.js loaded."""
    watched_page.goto("about:blank")
    watched_page.add_script_tag(path=str(ICAL_JS))
    assert watched_page.evaluate("typeof ICAL.parse") == "function"
    return watched_page


def read(page, text: str) -> list[dict]:
    return page.evaluate(READ_EVENTS, text)


def as_start(event: dict) -> datetime | date:
    if event["date"] is not None:
        return date.fromisoformat(event["date"])
    return datetime.fromtimestamp(event["unix"], UTC)


@pytest.mark.parametrize("zone", sorted(CLOCK_CHANGES))
def test_icaljs_and_vobject_read_every_entry_and_session_at_the_instant_written(
    app, client, ical_js, zone
):
    sub = subscribed_client(app, zone)
    text = client.get(sub.feed_path).get_data(as_text=True)

    events = read(ical_js, text)
    by_title = {e["summary"]: as_start(e) for e in events}
    assert {title: by_title.get(title) for title in sub.expected} == sub.expected
    sessions = sorted(as_start(e) for e in events if "session" in e["summary"].lower())
    assert sessions == session_instants(zone)

    # Both parsers agree event by event, matched by UID.
    icaljs_by_uid = {e["uid"]: as_start(e) for e in events}
    vobject_by_uid = {}
    for event in vobject.readOne(text).vevent_list:
        start = event.dtstart.value
        vobject_by_uid[event.uid.value] = (
            start.astimezone(UTC) if isinstance(start, datetime) else start
        )
    assert vobject_by_uid == icaljs_by_uid
