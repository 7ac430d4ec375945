"""Every page, with its editors and menus open, at a laptop's width and a phone's: nothing
axe-core rates serious or critical; on a phone or a small tablet, nothing scrolls sideways."""

from __future__ import annotations

import pytest

from tests.browser.site_pages import NOT_PAGES, VISITS
from tests.security.matrix import MATRIX
from tests.support.a11y import axe_violations, sideways_overflow
from tests.support.site import PHONE, SMALL_TABLET, WIDTHS


def test_every_page_route_is_visited():
    gets = {endpoint for endpoint, method in MATRIX if method == "GET"}
    visited = {visit.endpoint for visit in VISITS}
    assert gets - visited - set(NOT_PAGES) == set()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("visit", VISITS, ids=str)
def test_a_screen_reader_meets_no_serious_barrier_on_any_page(site, visit, width):
    tab = site.visit(visit.role, visit.path, WIDTHS[width])
    if visit.opens:
        visit.opens(tab)
    assert axe_violations(tab) == []


@pytest.mark.parametrize("size", [PHONE, SMALL_TABLET], ids=lambda size: str(size["width"]))
@pytest.mark.parametrize("visit", VISITS, ids=str)
def test_no_page_scrolls_sideways_on_a_phone_or_a_small_tablet(site, visit, size):
    tab = site.visit(visit.role, visit.path, size)
    if visit.opens:
        visit.opens(tab)
    assert sideways_overflow(tab) <= 0
