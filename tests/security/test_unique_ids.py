"""Every page of a populated world names each element id once (labels, ARIA and htmx rely on it)."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import pytest

from tests.security.matrix import MATRIX
from tests.security.test_route_matrix import logged_in_client
from tests.security.world import ROLES, build_world

# Pages the matrix reaches only in one state: a day with an entry's editor open beside the add
# form, and the program page on each of its tabs.
EXTRA_PAGES = {
    "coach_x": [
        "/clients/{client_id}/calendar/days/{day}/edit?entry={entry_id}",
        "/clients/{client_id}/calendar?view=month",
        "/programs/{program_id}/pending",
        "/programs/{program_id}/invitations",
    ],
}


class IdCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.ids.extend(value for name, value in attrs if name == "id" and value is not None)


def repeated_ids(html: str) -> list[str]:
    collector = IdCollector()
    collector.feed(html)
    return sorted(name for name, count in Counter(collector.ids).items() if count > 1)


def pages_for(role: str) -> list[str]:
    pages = [
        template
        for (_endpoint, method), (template, expected) in MATRIX.items()
        if method == "GET" and expected.get(role) == "ok"
    ]
    return pages + EXTRA_PAGES.get(role, [])


def test_the_collector_finds_a_repeated_id():
    html = '<form><input id="csrf_token"></form><form><input id="csrf_token"><p id="x"></form>'
    assert repeated_ids(html) == ["csrf_token"]


@pytest.mark.parametrize("role", ROLES)
def test_no_page_repeats_an_id(app, role):
    world = build_world(app)
    client = logged_in_client(app, world, role)
    checked, repeats = 0, {}
    for template in pages_for(role):
        url = template.format(**world.ids, **world.tokens)
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        checked += 1
        found = repeated_ids(response.get_data(as_text=True))
        if found:
            repeats[url] = found
    assert checked > 0
    assert repeats == {}
