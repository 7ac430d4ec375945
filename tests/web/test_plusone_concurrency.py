"""Exactly once: many "mark complete" requests at the same moment book one +1 session."""

import threading

import pytest

from tests.support.plusone import (
    bookings,
    complete_url,
    logged_in,
    make_package,
    make_pair,
    remaining_ids,
    session_row,
)
from tests.support.queued import outbox

ACCEPTABLE = {200, 201, 204, 303, 409, 422}


def tabs(app, email: str, count: int):
    """`count` test clients sharing one logged-in coach session, like browser tabs."""
    first = logged_in(app, email)
    token = first.csrf_token()  # a page after logging in: its session now holds the token's secret
    cookie = first.get_cookie("session")
    clients = []
    for _ in range(count):
        tab = app.test_client()
        tab.set_cookie(cookie.key, cookie.value)
        tab._csrf = token
        clients.append(tab)
    return clients


def run_together(calls):
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(index, call):
        barrier.wait()
        try:
            results[index] = call()
        except Exception as error:  # a crash is a failure we want to see, not a hang
            results[index] = error

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def enrolled_pair_with(app, sessions: int):
    pair = make_pair(app)
    me = logged_in(app, pair.person_email)
    package_id = make_package(app, pair.coach_id, sessions, sessions * 8000)
    me.post(f"/my/coaches/{pair.coach_id}/packages/{package_id}/book")
    me.post(f"/my/coaches/{pair.coach_id}/plus-one", data={"action": "enrol"})
    return pair


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "form"])
def test_50_concurrent_completions_of_the_last_session_book_exactly_one(app, htmx):
    pair = enrolled_pair_with(app, 1)
    [last] = remaining_ids(app, pair)
    url = complete_url(pair, last)

    def call_with(tab):
        return (tab.hx_post(url) if htmx else tab.post(url)).status_code

    results = run_together(
        [lambda tab=tab: call_with(tab) for tab in tabs(app, pair.coach_email, 50)]
    )

    assert all(isinstance(status, int) for status in results), results
    assert set(results) <= ACCEPTABLE, results
    assert session_row(app, last).status == "completed"
    [plus] = bookings(app, pair, "plus_one")
    assert plus.caused_by_session_id == last and plus.sessions_count == 1
    assert len(remaining_ids(app, pair)) == 1
    assert len(outbox(app)) == 2


def test_the_last_two_sessions_completed_at_once_still_book_one(app):
    pair = enrolled_pair_with(app, 2)
    first, second = remaining_ids(app, pair)
    tab_a, tab_b = tabs(app, pair.coach_email, 2)
    results = run_together(
        [
            lambda: tab_a.hx_post(complete_url(pair, first)).status_code,
            lambda: tab_b.hx_post(complete_url(pair, second)).status_code,
        ]
    )
    assert results == [200, 200]
    assert len(bookings(app, pair, "plus_one")) == 1
    assert len(remaining_ids(app, pair)) == 1
    assert len(outbox(app)) == 2
