"""What a person sees of a page or a feed, with nothing that names a row or a secret: the
text of the HTML (no tags, scripts or attributes), and a feed's events by what they say."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from icalendar import Calendar

# Secret tokens in URLs shown as text (join links, feeds): new in every installation.
_TOKENS = re.compile(r"/(join|feeds|j)/[A-Za-z0-9_-]{20,}")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def page_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    text = " ".join(" ".join(parser.parts).split())
    return _TOKENS.sub(r"/\1/TOKEN", text)


def feed_events(body: bytes) -> list[tuple[str, ...]]:
    """Each event's summary, description, start, end and last change, in order."""
    return sorted(
        (
            str(event.get("summary", "")),
            str(event.get("description", "")),
            *(event.decoded(name).isoformat() for name in ("dtstart", "dtend", "dtstamp")),
        )
        for event in Calendar.from_ical(body).walk("VEVENT")
    )
