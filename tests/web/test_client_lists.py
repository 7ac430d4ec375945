"""The Active and Pending tabs a page at a time, with a search by name or email."""

import re

import pytest

from tests.support.factories import PASSWORD, make_client, make_coach, make_program

NAMES = re.compile(r'<tr id="client-\d+">\s*<td[^>]*><a href="[^"]+">([^<]+)</a>')


@pytest.fixture
def program_id(app, client):
    """Coach Casey's program with 30 active clients (Client 00 … Client 29) and 2 pending."""
    with app.app_context():
        coach = make_coach(email="coach@example.com")
        program = make_program(coach)
        for n in reversed(range(30)):
            make_client(program, name=f"Client {n:02d}", email=f"c{n:02d}@example.com")
        make_client(program, name="Ana 100% Lima", email="ana_lima@example.com", state="pending")
        make_client(program, name="Bea Costa", email="bea@example.org", state="pending")
        program_id = program.id
    client.login("coach@example.com", PASSWORD)
    return program_id


def names(html):
    return NAMES.findall(html)


def test_the_active_tab_shows_25_clients_a_page_in_name_order(client, program_id):
    html = client.get(f"/programs/{program_id}/active").get_data(as_text=True)
    assert names(html) == [f"Client {n:02d}" for n in range(25)]
    assert "1–25 of 30 · page 1 of 2" in html
    assert f'href="/programs/{program_id}/active?page=2" rel="next"' in html
    assert 'rel="prev"' not in html
    # The tab's count stays the whole program's, not the page's.
    assert re.search(r'id="count-active">30<', html)

    html = client.get(f"/programs/{program_id}/active?page=2").get_data(as_text=True)
    assert names(html) == [f"Client {n:02d}" for n in range(25, 30)]
    assert "26–30 of 30 · page 2 of 2" in html and 'rel="next"' not in html
    assert f'href="/programs/{program_id}/active?page=1" rel="prev"' in html


@pytest.mark.parametrize(
    ("page", "shown"),
    [("9", "Client 25"), ("0", "Client 00"), ("-3", "Client 00"), ("two", "Client 00")],
)
def test_a_page_out_of_range_or_not_a_number_shows_the_nearest_page(
    client, program_id, page, shown
):
    response = client.get(f"/programs/{program_id}/active?page={page}")
    assert response.status_code == 200
    assert names(response.get_data(as_text=True))[0] == shown


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("client 2", [f"Client {n}" for n in range(20, 30)]),
        ("  C07@EXAMPLE.com ", ["Client 07"]),
        ("nobody", []),
    ],
)
def test_the_search_matches_name_or_email_in_any_case(client, program_id, search, found):
    html = client.get(f"/programs/{program_id}/active", query_string={"q": search}).get_data(
        as_text=True
    )
    assert names(html) == found
    assert f'value="{search.strip()}"' in html
    if not found:
        assert "No active client's name or email contains “nobody”" in html


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("100%", ["Ana 100% Lima"]),
        ("a_l", ["Ana 100% Lima"]),
        ("%", ["Ana 100% Lima"]),
        ("_", ["Ana 100% Lima"]),
        (".org", ["Bea Costa"]),
    ],
)
def test_wildcards_in_a_search_are_plain_characters(client, program_id, search, found):
    html = client.get(f"/programs/{program_id}/pending", query_string={"q": search}).get_data(
        as_text=True
    )
    assert names(html) == found


def test_a_search_pages_within_its_matches(client, program_id):
    html = client.get(f"/programs/{program_id}/active?q=client&page=2").get_data(as_text=True)
    assert names(html)[0] == "Client 25" and "26–30 of 30" in html
    assert f'href="/programs/{program_id}/active?q=client&amp;page=1" rel="prev"' in html
    # Past the end of a search's matches, its first page.
    html = client.get(f"/programs/{program_id}/active?q=client+1&page=2").get_data(as_text=True)
    assert names(html) == [f"Client {n}" for n in range(10, 20)]


def test_a_search_or_page_from_htmx_swaps_only_the_list(client, program_id):
    response = client.hx_get(
        f"/programs/{program_id}/active?q=client+0",
        headers={"HX-Target": "client-panel"},
    )
    html = response.get_data(as_text=True)
    assert names(html) == [f"Client 0{n}" for n in range(10)]
    # Not the tabs, nor the search box being typed in, nor the page around them.
    assert 'id="tab-active"' not in html and 'id="client-search"' not in html
    assert "<html" not in html
    assert 'id="client-page" name="page" value="1"' in html
    # The same URL answers differently per target, and says so to any cache.
    assert {"HX-Request", "HX-Target"} <= set(response.vary)


def test_the_client_area_refresh_keeps_the_search_and_page(client, program_id):
    html = client.get(f"/programs/{program_id}/active?q=client&page=2").get_data(as_text=True)
    area = re.search(r'<div id="client-area"[^>]*>', html).group(0)
    assert 'hx-include="#client-search, #client-page"' in area
    assert 'id="client-page" name="page" value="2"' in html
    assert re.search(r'id="client-search" name="q" value="client"', html)


def test_a_short_list_has_no_search_box_or_pages(app, client, program_id):
    html = client.get(f"/programs/{program_id}/pending").get_data(as_text=True)
    assert names(html) == ["Ana 100% Lima", "Bea Costa"]
    assert 'id="client-search"' not in html and 'class="pager"' not in html


def test_another_coachs_program_is_still_a_404_with_a_search(app, client, program_id):
    with app.app_context():
        other = make_program(make_coach(email="other@example.com"), name="Theirs")
        make_client(other, name="Hidden Person")
        other_id = other.id
    response = client.get(f"/programs/{other_id}/active?q=hidden")
    assert response.status_code == 404
    assert "Hidden Person" not in response.get_data(as_text=True)
