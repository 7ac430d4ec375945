"""The feed as Mozilla's ical.js (Thunderbird's calendar engine) reads it, inside Chromium."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import vobject

from tests.support import icaljs
from tests.support.feed import CLOCK_CHANGES, session_instants, subscribed_client


@pytest.fixture
def ical_js(watched_page):
    return icaljs.load(watched_page)


def as_start(event: dict) -> datetime | date:
    return icaljs.instant(event["start"])


def read(page, text: str) -> list[dict]:
    return icaljs.read(page, text)


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
