"""The calendars and the focus ring as a person sees them: day cards that never overlap, a
tap that opens the day tapped, dates that read whole, an open day that moves no other day,
and colours that stand out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.a11y import axe_violations, backdrop, boxes, broken_words, contrast, overlapping
from tests.support.site import LAPTOP, PHONE, WIDTHS

CAL = "/clients/{client_id}/calendar"
CALENDARS = {
    "coach-week": ("coach_x", CAL, ".cal-day"),
    "coach-month": ("coach_x", CAL + "?view=month", ".cal-day"),
    "client-agenda": ("client_a", "/my/calendar/{client_id}", ".agenda-day"),
}


def open_day(tab, day_id: str) -> None:
    tab.locator(f"#{day_id} .cal-day-head").click()
    # htmx settles the swapped day with its old classes for a moment: wait for the new ones.
    expect(tab.locator(f"#{day_id}")).to_have_class(re.compile(r"\bediting\b"))
    expect(tab.locator(f"#{day_id} form.cal-add")).to_be_visible()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("calendar", CALENDARS)
def test_no_two_day_cards_overlap(site, calendar, width):
    role, path, selector = CALENDARS[calendar]
    tab = site.visit(role, path, WIDTHS[width])
    days = boxes(tab, selector)
    assert len(days) >= 7
    assert all(day["height"] >= 40 for day in days), [d for d in days if d["height"] < 40]
    assert overlapping(days) == []


@pytest.mark.parametrize("view", ["", "?view=month"])
def test_a_tap_on_a_phone_opens_the_day_tapped(site, view):
    tab = site.visit("coach_x", CAL + view, PHONE)
    for day_id in [d["id"] for d in boxes(tab, ".cal-day")][:7]:
        head = tab.locator(f"#{day_id} .cal-day-head")
        head.scroll_into_view_if_needed()
        box = head.bounding_box()
        hit = tab.evaluate(
            "([x, y]) => document.elementFromPoint(x, y)?.closest('.cal-day')?.id",
            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
        )
        assert hit == day_id


@pytest.mark.parametrize("width", [*WIDTHS, "660", "800"])
def test_month_dates_never_break_inside_a_word(site, width):
    tab = site.visit("coach_x", CAL + "?view=month", {"width": int(width), "height": 800})
    assert broken_words(tab, ".cal-month .cal-day-head") == []
    heights = tab.evaluate(
        """() => Array.from(document.querySelectorAll('.cal-month .cal-date'), el =>
             el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight))"""
    )
    assert max(heights) <= 2.05  # one line, or two at most


@pytest.mark.parametrize("width", WIDTHS)
def test_opening_a_day_in_month_view_moves_no_other_day(site, width):
    tab = site.visit("coach_x", CAL + "?view=month", WIDTHS[width])
    before = {d["id"]: (d["x"], d["width"]) for d in boxes(tab, ".cal-month .cal-day")}
    opened = list(before)[10]  # mid-month, in the middle of its week
    open_day(tab, opened)
    after = {d["id"]: (d["x"], d["width"]) for d in boxes(tab, ".cal-month .cal-day")}
    moved = {
        day: (before[day], after[day])
        for day in before
        if day != opened and abs(before[day][0] - after[day][0]) > 1
    }
    assert moved == {}
    columns = {}
    for day, (x, _width) in after.items():
        columns.setdefault(round(x), []).append(day)
    assert len(columns) == (1 if width == "390" else 7)


def test_the_opened_month_day_shows_its_editor_on_screen(site):
    tab = site.visit("coach_x", CAL + "?view=month", LAPTOP)
    day_id = [d["id"] for d in boxes(tab, ".cal-month .cal-day")][13]  # a Sunday
    open_day(tab, day_id)
    title = tab.locator(f"#{day_id}").get_by_label("Title")
    expect(title).to_be_visible()
    box = title.bounding_box()
    assert box["width"] >= 200
    assert box["x"] >= 0 and box["x"] + box["width"] <= LAPTOP["width"]


FOCUSABLE = {
    "an email field": ("/login", "#email"),
    "a button": ("/login", "button[type=submit].button"),
    "a link": ("/login", "main a"),
}


@pytest.mark.parametrize("what", FOCUSABLE)
def test_the_focus_ring_stands_out_3_to_1_from_what_surrounds_it(site, what):
    path, selector = FOCUSABLE[what]
    tab = site.visit("anonymous", path, LAPTOP)
    target = tab.locator(selector).first
    target.focus()
    tab.keyboard.press("Shift+Tab")
    tab.keyboard.press("Tab")  # by keyboard, so :focus-visible applies
    style = target.evaluate(
        "el => ({colour: getComputedStyle(el).outlineColor,"
        " width: getComputedStyle(el).outlineWidth, focused: el === document.activeElement})"
    )
    assert style["focused"]
    assert float(style["width"].removesuffix("px")) >= 2
    assert contrast(style["colour"], backdrop(tab, selector)) >= 3


@pytest.mark.parametrize("width", WIDTHS)
def test_days_outside_the_month_keep_readable_contrast(site, width):
    tab = site.visit("coach_x", CAL + "?view=month", WIDTHS[width])
    assert tab.locator(".cal-day.outside").count() > 0
    assert axe_violations(tab, {"include": [".cal-day.outside"]}, ["color-contrast"]) == []


@pytest.mark.parametrize("width", [*WIDTHS, "700", "800"])
def test_session_badges_stay_inside_their_month_day(site, width):
    tab = site.visit("coach_x", CAL + "?view=month", {"width": int(width), "height": 900})
    sticking_out = tab.evaluate(
        """() => Array.from(document.querySelectorAll('.cal-month .cal-session'))
             .filter(badge => {
               const b = badge.getBoundingClientRect();
               const day = badge.closest('.cal-day').getBoundingClientRect();
               return b.left < day.left || b.right > day.right;
             })
             .map(badge => badge.id)"""
    )
    assert tab.locator(".cal-month .cal-session").count() >= 2
    assert sticking_out == []
