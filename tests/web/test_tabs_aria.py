"""The program page's client tabs follow the ARIA tab pattern, whole page and fragment alike."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tests.support.factories import PASSWORD, make_client, make_coach, make_program

TABS = ("active", "pending", "invitations")


class Roles(HTMLParser):
    """The attributes of every element that has a role or an id."""

    def __init__(self):
        super().__init__()
        self.elements: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if "role" in found or "id" in found:
            self.elements.append({"tag": tag, **found})

    def with_role(self, role):
        return [element for element in self.elements if element.get("role") == role]

    def by_id(self, id_):
        return next((element for element in self.elements if element.get("id") == id_), None)


def parse(html: str) -> Roles:
    roles = Roles()
    roles.feed(html)
    return roles


@pytest.fixture
def program_id(app, client):
    with app.app_context():
        program = make_program(make_coach(email="coach@example.com"))
        make_client(program, name="Ana Lima", email="ana@example.com")
        make_client(program, name="Pat Pending", email="pat@example.com", state="pending")
        program_id = program.id
    client.login("coach@example.com", PASSWORD)
    return program_id


@pytest.mark.parametrize("as_fragment", [False, True], ids=["page", "fragment"])
@pytest.mark.parametrize("open_tab", TABS)
def test_the_open_tab_is_selected_and_controls_the_panel_it_labels(
    client, program_id, open_tab, as_fragment
):
    url = f"/programs/{program_id}/{open_tab}"
    html = (client.hx_get(url) if as_fragment else client.get(url)).get_data(as_text=True)
    assert ("<html" in html) is not as_fragment
    roles = parse(html)

    [tablist] = roles.with_role("tablist")
    assert tablist.get("aria-label") == "Clients"
    tabs = roles.with_role("tab")
    assert [tab["id"] for tab in tabs] == [f"tab-{key}" for key in TABS]
    assert {tab["id"]: tab["aria-selected"] for tab in tabs} == {
        f"tab-{key}": "true" if key == open_tab else "false" for key in TABS
    }
    # Each tab is still a link to its own page, and htmx loads it in place.
    assert [tab["href"] for tab in tabs] == [f"/programs/{program_id}/{key}" for key in TABS]
    assert all(tab["hx-get"] == tab["href"] and tab["hx-push-url"] == "true" for tab in tabs)

    [panel] = roles.with_role("tabpanel")
    assert {tab["aria-controls"] for tab in tabs} == {panel["id"]}
    assert panel["aria-labelledby"] == f"tab-{open_tab}"
    assert roles.by_id(panel["id"]) is panel


def test_the_open_tabs_panel_holds_its_list(client, program_id):
    html = client.get(f"/programs/{program_id}/pending").get_data(as_text=True)
    panel_start = html.index('role="tabpanel"')
    assert html.index("Pat Pending") > panel_start
    assert "Ana Lima" not in html
