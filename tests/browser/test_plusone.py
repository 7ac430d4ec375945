"""Packages and +1 in a real browser: coach and client, one session always on deck."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.support.browser import log_in
from tests.support.plusone import bookings, make_package, remaining_ids
from tests.support.queued import outbox
from tests.support.smtp import Mailbox


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port}


@pytest.fixture
def page(watched_page):
    # Confirmation questions ("Book 5 sessions…?", "Undo this completion?") are answered yes.
    watched_page.on("dialog", lambda dialog: dialog.accept())
    return watched_page


def log_out(page):
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()


def client_books(page, url, pair, package_text):
    log_in(page, url, pair.person_email)
    page.get_by_role("link", name=re.compile("Casey Coach 1")).click()
    card = page.locator(".package-card", has_text=package_text)
    card.get_by_role("button", name="Book").click()
    expect(page.locator(".flash-success")).to_contain_text(
        "Payment is settled with your coach outside OnDeck for now"
    )


def client_enrols(page):
    page.get_by_role("link", name="Manage +1 Program Preferences").click()
    page.get_by_role("button", name="Enrol in +1").click()
    expect(page.locator("#plus-one-status")).to_contain_text("+1 enrolled")


def open_sessions(page, url, pair):
    page.goto(f"{url}/clients/{pair.client_id}/sessions")


def mark_complete(page, session_id):
    row = page.locator(f"#session-{session_id}")
    row.get_by_role("button", name="Mark complete").click()
    expect(row.locator(".notice")).to_contain_text("Session completed")
    return row


def test_the_fifth_completion_books_one_session_at_80_and_emails_both(
    app, live_server, page, pair, smtp_server
):
    url = live_server.url
    log_in(page, url, pair.coach_email)
    page.get_by_role("link", name="Packages").click()
    page.get_by_label("Sessions").fill("5")
    page.get_by_label("Total price").fill("400.00")
    page.get_by_role("button", name="Add package").click()
    expect(page.locator("#package-list")).to_contain_text("£80.00 per session")
    log_out(page)

    client_books(page, url, pair, "5 sessions for £400.00")
    client_enrols(page)
    log_out(page)

    log_in(page, url, pair.coach_email)
    open_sessions(page, url, pair)
    expect(page.locator("#plus-one-rate")).to_contain_text("+1 rate £80.00 — from 5 × £400.00")
    ids = remaining_ids(app, pair)
    for session_id in ids[:4]:
        row = mark_complete(page, session_id)
        expect(row.locator(".notice")).to_contain_text("No +1 booking")
    expect(page.locator("#used-count")).to_have_text("4")
    assert bookings(app, pair, "plus_one") == []

    row = mark_complete(page, ids[4])
    expect(row.locator(".notice")).to_contain_text("+1 booked one more session at £80.00")
    [plus_id] = remaining_ids(app, pair)
    expect(page.locator(f"#session-{plus_id}")).to_contain_text("+1 session")
    expect(page.locator("#remaining-count")).to_have_text("1")

    from webapp.services.outbox import send_due

    with app.app_context():
        send_due()
    smtp_server.mailbox.wait_for(2)
    assert len(smtp_server.mailbox.messages) == 2
    for address in (pair.person_email, pair.coach_email):
        [message] = smtp_server.mailbox.to(address)
        assert "booked at your current rate of £80.00" in Mailbox.body(
            message
        ) or "booked at their current rate of £80.00" in Mailbox.body(message)


def test_a_new_package_before_the_last_session_sets_the_rate_to_70(app, live_server, page, pair):
    url = live_server.url
    make_package(app, pair.coach_id, 5, 40000)
    make_package(app, pair.coach_id, 10, 70000)
    client_books(page, url, pair, "5 sessions for £400.00")
    client_enrols(page)
    log_out(page)
    log_in(page, url, pair.coach_email)
    open_sessions(page, url, pair)
    for session_id in remaining_ids(app, pair)[:4]:
        mark_complete(page, session_id)
    log_out(page)

    client_books(page, url, pair, "10 sessions for £700.00")
    log_out(page)
    log_in(page, url, pair.coach_email)
    open_sessions(page, url, pair)
    expect(page.locator("#plus-one-rate")).to_contain_text("+1 rate £70.00 — from 10 × £700.00")
    remaining = remaining_ids(app, pair)
    for session_id in remaining:
        row = mark_complete(page, session_id)
    expect(row.locator(".notice")).to_contain_text("+1 booked one more session at £70.00")
    assert [b.rate_minor for b in bookings(app, pair, "plus_one")] == [7000]


def test_a_package_without_auto_renewal_books_nothing_and_the_coach_sees_why(
    app, live_server, page, pair
):
    url = live_server.url
    make_package(app, pair.coach_id, 1, 5000)
    client_books(page, url, pair, "1 session for £50.00")
    client_enrols(page)
    log_out(page)

    log_in(page, url, pair.coach_email)
    page.get_by_role("link", name="Packages").click()
    page.get_by_label("Sessions").fill("2")
    page.get_by_label("Total price").fill("90")
    page.get_by_label("Offered to").select_option(label="Dana Client 1")
    page.get_by_label("Do not offer auto-renewal on this package").check()
    page.get_by_role("button", name="Add package").click()
    expect(page.locator("#package-list")).to_contain_text("Custom for Dana Client 1")
    log_out(page)

    client_books(page, url, pair, "2 sessions for £90.00")
    log_out(page)
    log_in(page, url, pair.coach_email)
    open_sessions(page, url, pair)
    expect(page.locator("#plus-one-why")).to_have_text(
        "+1 will not book: Last package does not offer auto-renewal."
    )
    for session_id in remaining_ids(app, pair):
        row = mark_complete(page, session_id)
    expect(row.locator(".notice")).to_contain_text(
        "No +1 booking: Last package does not offer auto-renewal."
    )
    assert bookings(app, pair, "plus_one") == [] and outbox(app) == []


def test_enrolment_needs_a_package_pausing_stops_plus_one_and_the_chain_continues(
    app, live_server, page, pair
):
    url = live_server.url
    make_package(app, pair.coach_id, 1, 6000)
    log_in(page, url, pair.person_email)
    page.get_by_role("link", name="Manage +1 Program Preferences").click()
    page.get_by_role("button", name="Enrol in +1").click()
    expect(page.locator("#plus-one-error")).to_contain_text("Book a package with this coach first")

    page.get_by_role("link", name="Coaching with Casey Coach 1").click()
    page.locator(".package-card").get_by_role("button", name="Book").click()
    client_enrols(page)
    page.get_by_label("Pause until").fill((date.today() + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Pause").click()
    expect(page.locator(".flash-success")).to_contain_text("+1 is paused")
    log_out(page)

    log_in(page, url, pair.coach_email)
    open_sessions(page, url, pair)
    [first] = remaining_ids(app, pair)
    row = mark_complete(page, first)
    expect(row.locator(".notice")).to_contain_text("No +1 booking: +1 is paused until")
    row.get_by_role("button", name="Undo completion").click()
    expect(row.locator(".notice")).to_contain_text("Completion undone")
    log_out(page)

    log_in(page, url, pair.person_email)
    page.goto(f"{url}/my/coaches/{pair.coach_id}/plus-one")
    page.get_by_role("button", name="Resume now").click()
    log_out(page)

    log_in(page, url, pair.coach_email)
    open_sessions(page, url, pair)
    mark_complete(page, first)
    [second] = remaining_ids(app, pair)
    row = mark_complete(page, second)
    expect(row.locator(".notice")).to_contain_text("+1 booked one more session at £60.00")
    assert len(bookings(app, pair, "plus_one")) == 2


def test_a_double_click_on_mark_complete_books_one(app, live_server, page, pair):
    url = live_server.url
    make_package(app, pair.coach_id, 1, 5000)
    client_books(page, url, pair, "1 session for £50.00")
    client_enrols(page)
    log_out(page)
    log_in(page, url, pair.coach_email)
    open_sessions(page, url, pair)
    [last] = remaining_ids(app, pair)
    row = page.locator(f"#session-{last}")
    row.get_by_role("button", name="Mark complete").dblclick()
    expect(row.locator(".notice")).to_contain_text("+1 booked one more session at £50.00")
    page.reload()
    expect(page.locator(".session-row")).to_have_count(2)
    assert len(bookings(app, pair, "plus_one")) == 1
    assert len(outbox(app)) == 2


def test_undo_voids_the_unused_plus_one_and_a_second_undo_is_safe(app, live_server, page, pair):
    url = live_server.url
    make_package(app, pair.coach_id, 1, 5000)
    client_books(page, url, pair, "1 session for £50.00")
    client_enrols(page)
    log_out(page)
    log_in(page, url, pair.coach_email)
    open_sessions(page, url, pair)
    [last] = remaining_ids(app, pair)
    row = mark_complete(page, last)
    [plus_id] = remaining_ids(app, pair)
    row.get_by_role("button", name="Undo completion").dblclick()
    expect(row.locator(".notice")).to_contain_text(
        "The +1 booking it caused (1 session at £50.00) was voided"
    )
    expect(page.locator(f"#session-{plus_id}")).to_contain_text("Void")
    expect(page.locator("#bookings")).to_contain_text("Voided")
    [plus] = bookings(app, pair, "plus_one")
    assert plus.voided_at is not None
    assert remaining_ids(app, pair) == [last]
