"""Mozilla's ical.js (Thunderbird's calendar engine) inside Chromium, to read what OnDeck wrote."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

ICAL_JS = Path(__file__).parents[1] / "vendor" / "ical.js-2.2.1" / "ical.es5.min.js"

# Each event as ical.js sees it: its start and end as UTC instants, or dates for all-day events.
READ_EVENTS = """(text) => {
    const calendar = new ICAL.Component(ICAL.parse(text));
    const moment = (time) => time ? {
        date: time.isDate ? time.toString() : null,
        unix: time.isDate ? null : time.toUnixTime(),
    } : null;
    return calendar.getAllSubcomponents("vevent").map((component) => {
        const event = new ICAL.Event(component);
        return {
            uid: event.uid,
            summary: event.summary,
            location: event.location,
            start: moment(event.startDate),
            end: moment(event.endDate),
        };
    });
}"""


def load(page):
    """A blank page with ical.js loaded."""
    page.goto("about:blank")
    page.add_script_tag(path=str(ICAL_JS))
    assert page.evaluate("typeof ICAL.parse") == "function"
    return page


def read(page, text: str) -> list[dict]:
    return page.evaluate(READ_EVENTS, text)


def instant(moment: dict) -> datetime | date:
    if moment["date"] is not None:
        return date.fromisoformat(moment["date"])
    return datetime.fromtimestamp(moment["unix"], UTC)
