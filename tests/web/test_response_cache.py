"""The response cache serves a page again only while nothing it shows has changed: a write
makes the next request fresh, a person never gets another's page, the CSRF token is always
the session's own, and If-None-Match is answered with 304."""

import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from tests.support.factories import PASSWORD
from tests.support.plusone import logged_in, make_package, make_pair
from tests.support.queries import counted_queries
from tests.web.test_plusone import add_sessions
from webapp import create_app
from webapp.extensions import db
from webapp.models import Booking, CoachingSession, LedgerEntry
from webapp.web.response_cache import store

T0 = datetime.now(UTC).replace(second=0, microsecond=0)  # the client starts today
TODAY = date.today().isoformat()
pytestmark = pytest.mark.usefixtures("time")
TOKEN = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


def tokens(html: str) -> set[str]:
    return {a or b for a, b in TOKEN.findall(html)}


def same_but_tokens(html: str) -> str:
    return TOKEN.sub("TOKEN", re.sub(r'"X-CSRFToken": "[^"]+"', "TOKEN", html))


def kept(app):
    with app.test_request_context():
        return store()


def week(pair) -> str:
    return f"/clients/{pair.client_id}/calendar"


def test_a_hit_is_the_page_a_fresh_render_gives(app, pair, coach):
    first = coach.hx_get(week(pair)).get_data(as_text=True)
    second = coach.hx_get(week(pair)).get_data(as_text=True)
    assert kept(app).hits == 1
    app.config["RESPONSE_CACHE"] = "off"
    fresh = coach.hx_get(week(pair)).get_data(as_text=True)
    assert same_but_tokens(second) == same_but_tokens(first) == same_but_tokens(fresh)
    assert "Run 5 km" not in fresh


def test_a_write_makes_the_next_request_fresh(app, pair, coach):
    coach.hx_get(week(pair))
    coach.hx_post(f"{week(pair)}/days/{TODAY}/entries", data={"title": "Run 5 km"})
    html = coach.hx_get(week(pair)).get_data(as_text=True)
    assert "Run 5 km" in html
    assert kept(app).hits == 0
    # The client's own calendar, cached before, shows it too.
    person = logged_in(app, pair.person_email)
    assert "Run 5 km" in person.hx_get(f"/my/calendar/{pair.client_id}").get_data(as_text=True)


def test_a_client_sees_their_coachs_write_at_once(app, pair, coach, time):
    person = logged_in(app, pair.person_email)
    mine = f"/my/calendar/{pair.client_id}"
    person.hx_get(mine)
    person.hx_get(mine)
    assert kept(app).hits == 1
    coach.hx_post(f"{week(pair)}/days/{TODAY}/entries", data={"title": "Swim drills"})
    assert "Swim drills" in person.hx_get(mine).get_data(as_text=True)


def test_another_coach_never_gets_the_cached_page(app, pair, coach):
    coach.hx_get(week(pair))
    other = make_pair(app, n=2)
    intruder = logged_in(app, other.coach_email)
    answer = intruder.hx_get(week(pair))
    assert answer.status_code == 404
    assert pair.person_email not in answer.get_data(as_text=True)


def test_each_browser_gets_its_own_sessions_csrf_token(app, pair, coach):
    laptop_page = coach.get(f"/programs/{pair.program_id}").get_data(as_text=True)
    phone = logged_in(app, pair.coach_email)  # the same coach, logged in elsewhere
    hits = kept(app).hits
    phone_page = phone.get(f"/programs/{pair.program_id}").get_data(as_text=True)
    assert kept(app).hits == hits + 1
    assert tokens(phone_page) and tokens(phone_page).isdisjoint(tokens(laptop_page))
    # The phone's token, from the cached page, is one its session accepts.
    [token] = tokens(phone_page)
    answer = phone.post(
        f"/programs/{pair.program_id}/clients/manual",
        data={"csrf_token": token, "manual-name": "Pat", "manual-email": "pat@example.com"},
        csrf=False,
    )
    assert answer.status_code in (200, 303)
    assert "pat@example.com" in phone.get(f"/programs/{pair.program_id}/pending").get_data(
        as_text=True
    )


def test_if_none_match_gets_304_until_something_changes(app, pair, coach):
    first = coach.hx_get(week(pair))
    etag = first.headers["ETag"]
    again = coach.hx_get(week(pair), headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    coach.hx_post(f"{week(pair)}/days/{TODAY}/entries", data={"title": "Hills"})
    changed = coach.hx_get(week(pair), headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "Hills" in changed.get_data(as_text=True)
    assert changed.headers["ETag"] != etag


def test_a_flash_message_is_shown_once_and_never_kept(app, pair, coach):
    coach.get(f"/programs/{pair.program_id}/pending")  # kept, without a message
    invited = coach.post(
        f"/programs/{pair.program_id}/clients/manual",
        data={"manual-name": "Pat", "manual-email": "pat@example.com"},
    )
    shown = coach.get(invited.location).get_data(as_text=True)
    later = coach.get(invited.location).get_data(as_text=True)
    assert "Pat" in shown and "flash-success" in shown
    assert "Pat" in later and "flash-success" not in later


def test_the_minute_is_part_of_the_key(app, pair, coach, time):
    coach.hx_get(week(pair))
    time.advance(minutes=1)
    coach.hx_get(week(pair))
    assert kept(app).hits == 0


def test_off_keeps_nothing(app, pair, coach):
    before = (kept(app).hits, kept(app).misses)
    app.config["RESPONSE_CACHE"] = "off"
    coach.hx_get(week(pair))
    coach.hx_get(week(pair))
    app.config["RESPONSE_CACHE"] = "memory"
    assert (kept(app).hits, kept(app).misses) == before


def test_an_unknown_setting_is_refused(app_config):
    with pytest.raises(RuntimeError, match="RESPONSE_CACHE must be one of"):
        create_app({**app_config, "RESPONSE_CACHE": "redis"})


def test_a_hit_costs_one_query_the_user_and_the_versions_together(app, pair, coach):
    coach.hx_get(week(pair))
    with counted_queries(app, cold=False) as statements:
        html = coach.hx_get(week(pair)).get_data(as_text=True)
    assert 'id="calendar-panel"' in html
    assert len(statements) == 1 and "data_versions" in statements[0]


FORM_KEY = re.compile(r'name="key" type="hidden" value="([^"]+)"')


def _manual_payments(app, pair) -> list[int]:
    with app.app_context():
        query = sa.select(LedgerEntry.amount_minor).where(
            LedgerEntry.client_user_id == pair.person_id, LedgerEntry.method == "cash"
        )
        return sorted(db.session.scalars(query))


def test_each_copy_of_the_payments_page_has_form_keys_of_its_own(app, pair, coach):
    url = f"/clients/{pair.client_id}/payments"
    first = coach.get(url).get_data(as_text=True)
    hits = kept(app).hits
    second = coach.get(url).get_data(as_text=True)
    assert kept(app).hits == hits + 1  # the second visit was a copy
    [first_key], [second_key] = FORM_KEY.findall(first), FORM_KEY.findall(second)
    assert first_key != second_key
    assert same_but_tokens(FORM_KEY.sub("KEY", first)) == same_but_tokens(
        FORM_KEY.sub("KEY", second)
    )
    # Two forms shown are two payments; the same form sent twice is one.
    for key, amount in ((first_key, "12.00"), (second_key, "30.00"), (second_key, "30.00")):
        coach.post(
            f"{url}/manual",
            data={"price": amount, "currency": "GBP", "method": "cash", "key": key},
        )
    assert _manual_payments(app, pair) == [1200, 3000]


def test_each_copy_of_the_sessions_page_books_once_per_form_shown(app, pair, coach):
    package = make_package(app, pair.coach_id, 2, 16000)
    url = f"/clients/{pair.client_id}/sessions"
    pages = [coach.get(url).get_data(as_text=True) for _ in range(2)]
    assert kept(app).hits >= 1
    keys = [FORM_KEY.search(page.split('id="book-for"', 1)[1]).group(1) for page in pages]
    assert keys[0] != keys[1]
    for key in (keys[0], keys[1], keys[1]):
        coach.post(f"{url}/book", data={"package": str(package), "payment": "cash", "key": key})
    with app.app_context():
        booked = db.session.scalars(
            sa.select(Booking.id).where(Booking.client_user_id == pair.person_id)
        ).all()
    assert len(booked) == 2


def test_a_token_from_a_later_copy_is_still_one_the_session_accepts(app, pair, coach):
    url = f"/programs/{pair.program_id}"
    pages = [coach.get(url).get_data(as_text=True) for _ in range(3)]
    assert kept(app).hits == 2
    [token] = tokens(pages[2])
    answer = coach.post(
        f"/programs/{pair.program_id}/clients/manual",
        data={"csrf_token": token, "manual-name": "Lee", "manual-email": "lee@example.com"},
        csrf=False,
    )
    assert answer.status_code in (200, 303)
    assert "lee@example.com" in coach.get(f"{url}/pending").get_data(as_text=True)
    # After logging out and in again, copies carry the new session's token, not the old one.
    coach.logout()
    coach.login(pair.coach_email, PASSWORD)
    [fresh] = tokens(coach.get(url).get_data(as_text=True))
    assert fresh != token


def test_undoing_a_completion_shows_at_once_on_both_sides(app, pair, coach):
    add_sessions(app, pair, 4)  # two completed, two remaining
    person = logged_in(app, pair.person_email)
    theirs, ours = f"/my/coaches/{pair.coach_id}", f"/clients/{pair.client_id}/sessions"
    for browser, url in ((person, theirs), (coach, ours), (person, theirs), (coach, ours)):
        assert 'id="remaining-count">2<' in browser.get(url).get_data(as_text=True)
    with app.app_context():
        done = db.session.scalar(
            sa.select(CoachingSession.id).where(
                CoachingSession.client_user_id == pair.person_id,
                CoachingSession.status == "completed",
            )
        )
    coach.hx_post(f"/clients/{pair.client_id}/sessions/{done}/undo")
    for browser, url in ((person, theirs), (coach, ours)):
        assert 'id="remaining-count">3<' in browser.get(url).get_data(as_text=True), url
