"""Caching never serves a stale page: after each write of a random sequence, made through the
app's own routes by the coach, the client and another coach (calendar, settings, invites, the
program, bookings, payments, sessions completed), every cached page is the page a render with
the cache off gives (their CSRF tokens aside)."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.support.plusone import logged_in, make_package, make_pair
from tests.web.test_programs import VALID
from webapp.extensions import db
from webapp.models import CalendarEntry, CoachingSession
from webapp.web.response_cache import store

T0 = datetime.now(UTC).replace(second=0, microsecond=0)
pytestmark = pytest.mark.usefixtures("time")
TODAY = date.today()
TITLES = st.sampled_from(["Run 5 km", "Back squat 5x5", "Rest", "Swim & <drills>", "Hills"])
DAYS = st.integers(min_value=0, max_value=20)
TOKENS = re.compile(
    r'(csrf_token"[^>]*value=")[^"]+|("X-CSRFToken": ")[^"]+'
    r'|(name="key" type="hidden" value=")[^"]+'
)


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


def normal(html: str) -> str:
    return TOKENS.sub(lambda m: (m.group(1) or m.group(2) or m.group(3)) + "TOKEN", html)


class World:
    def __init__(self, app, pair, coach):
        self.app, self.pair, self.coach = app, pair, coach
        self.person = logged_in(app, pair.person_email)
        self.other = make_pair(app, n=2)
        self.other_coach = logged_in(app, self.other.coach_email)
        self.package = make_package(app, pair.coach_id, 2, 16000)

    def remaining(self) -> list[int]:
        with self.app.app_context():
            query = sa.select(CoachingSession.id).where(
                CoachingSession.client_user_id == self.pair.person_id,
                CoachingSession.status == "remaining",
            )
            return list(db.session.scalars(query.order_by(CoachingSession.id)))

    def entries(self, client_id: int) -> list[int]:
        with self.app.app_context():
            query = sa.select(CalendarEntry.id).where(CalendarEntry.client_id == client_id)
            return list(db.session.scalars(query.order_by(CalendarEntry.id)))

    def pages(self):
        p, o = self.pair, self.other
        coach_pages = [
            "/programs/",
            f"/programs/{p.program_id}",
            f"/programs/{p.program_id}/active",
            f"/programs/{p.program_id}/pending",
            f"/clients/{p.client_id}/calendar",
            f"/clients/{p.client_id}/calendar?week=2",
            f"/clients/{p.client_id}/sessions",
            f"/clients/{p.client_id}/payments",
        ]
        for url in coach_pages:
            yield self.coach, url, False
            yield self.coach, url, True
        month = TODAY.strftime("%Y-%m")
        for url in (
            f"/reports?from={month}&to={month}&currency=GBP",
            "/needs-attention",
        ):
            yield self.coach, url, False
        yield self.coach, "/needs-attention", True  # the menu's fragment
        yield self.person, f"/my/calendar/{p.client_id}", False
        yield self.person, f"/my/calendar/{p.client_id}", True
        yield self.person, f"/my/coaches/{p.coach_id}", False
        yield self.other_coach, f"/clients/{o.client_id}/calendar", True


def get(browser, url: str, htmx: bool) -> str:
    answer = browser.hx_get(url) if htmx else browser.get(url)
    assert answer.status_code == 200, (url, answer.status_code)
    return answer.get_data(as_text=True)


def pick(ids: list[int], index: int) -> int | None:
    return ids[index % len(ids)] if ids else None


# Each write is a POST through the app's own route; one without htmx follows its redirect, as
# a browser does, so its flash message is shown (and spent) on the page it lands on.
def add_entry(w: World, offset: int, title: str, _index: int) -> None:
    base = f"/clients/{w.pair.client_id}/calendar"
    w.coach.hx_post(f"{base}/days/{day(offset)}/entries", data={"title": title})


def edit_entry(w: World, offset: int, title: str, index: int) -> None:
    entry = pick(w.entries(w.pair.client_id), index)
    if entry is not None:
        w.coach.hx_post(
            f"/clients/{w.pair.client_id}/calendar/entries/{entry}",
            data={"title": title, "body": "Easy pace", "at_time": "", "on_date": day(offset)},
        )


def delete_entry(w: World, _offset: int, _title: str, index: int) -> None:
    entry = pick(w.entries(w.pair.client_id), index)
    if entry is not None:
        w.coach.hx_post(f"/clients/{w.pair.client_id}/calendar/entries/{entry}/delete")


def move_entry(w: World, offset: int, _title: str, index: int) -> None:
    entry = pick(w.entries(w.pair.client_id), index)
    if entry is not None:
        w.coach.hx_post(
            f"/clients/{w.pair.client_id}/calendar/entries/{entry}/move",
            data={"on_date": day(offset)},
        )


def set_horizon(w: World, offset: int, _title: str, index: int) -> None:
    horizon = ["7", "14", "28", "all"][index % 4]
    w.coach.post(
        f"/clients/{w.pair.client_id}/calendar/settings",
        data={"start_date": day(-(offset % 3)), "horizon": horizon},
        follow_redirects=True,
    )


def invite(w: World, offset: int, title: str, _index: int) -> None:
    w.coach.post(
        f"/programs/{w.pair.program_id}/clients/manual",
        data={"manual-name": f"Pat {offset}", "manual-email": f"pat{offset}@example.com"},
        follow_redirects=True,
    )


def rename_program(w: World, _offset: int, title: str, _index: int) -> None:
    w.coach.post(
        f"/programs/{w.pair.program_id}/edit",
        data={**VALID, "name": f"Coaching: {title}"},
        follow_redirects=True,
    )


def client_logs(w: World, _offset: int, title: str, index: int) -> None:
    entry = pick(w.entries(w.pair.client_id), index)
    if entry is not None:
        w.person.post(
            f"/my/calendar/{w.pair.client_id}/entries/{entry}/log",
            data={"done": "y" if index % 2 else "", "note": title},
            follow_redirects=True,
        )


def client_moves_zone(w: World, _offset: int, _title: str, index: int) -> None:
    zone = ["Europe/London", "Pacific/Auckland", "America/New_York"][index % 3]
    details = {"name": "Dana Client 1", "time_zone": zone}
    w.person.post("/account", data=details, follow_redirects=True)


def coach_books(w: World, _offset: int, _title: str, index: int) -> None:
    page = w.coach.get(f"/clients/{w.pair.client_id}/sessions").get_data(as_text=True)
    form = page.split('id="book-for"', 1)[1].split("</form>", 1)[0]
    key = re.search(r'name="key" type="hidden" value="([^"]+)"', form).group(1)
    w.coach.post(
        f"/clients/{w.pair.client_id}/sessions/book",
        data={"package": str(w.package), "payment": ["due", "cash"][index % 2], "key": key},
        follow_redirects=True,
    )


def coach_records_payment(w: World, offset: int, title: str, _index: int) -> None:
    page = w.coach.get(f"/clients/{w.pair.client_id}/payments").get_data(as_text=True)
    key = re.search(r'name="key" type="hidden" value="([^"]+)"', page).group(1)
    w.coach.post(
        f"/clients/{w.pair.client_id}/payments/manual",
        data={
            "price": f"{offset + 1}.50",
            "currency": "GBP",
            "method": "cash",
            "note": title,
            "key": key,
        },
        follow_redirects=True,
    )


def coach_completes(w: World, _offset: int, _title: str, index: int) -> None:
    session = pick(w.remaining(), index)
    if session is not None:
        w.coach.hx_post(f"/clients/{w.pair.client_id}/sessions/{session}/complete")


def coach_undoes(w: World, _offset: int, _title: str, index: int) -> None:
    with w.app.app_context():
        query = sa.select(CoachingSession.id).where(
            CoachingSession.client_user_id == w.pair.person_id,
            CoachingSession.status == "completed",
        )
        done = list(db.session.scalars(query.order_by(CoachingSession.id)))
    session = pick(done, index)
    if session is not None:
        w.coach.hx_post(f"/clients/{w.pair.client_id}/sessions/{session}/undo")


def other_coach_writes(w: World, offset: int, title: str, _index: int) -> None:
    base = f"/clients/{w.other.client_id}/calendar"
    w.other_coach.hx_post(f"{base}/days/{day(offset)}/entries", data={"title": title})


WRITES = [
    add_entry,
    edit_entry,
    delete_entry,
    move_entry,
    set_horizon,
    invite,
    rename_program,
    client_logs,
    client_moves_zone,
    coach_books,
    coach_records_payment,
    coach_completes,
    coach_undoes,
    other_coach_writes,
]
STEPS = st.lists(
    st.tuples(st.sampled_from(WRITES), DAYS, TITLES, st.integers(0, 50)), min_size=1, max_size=4
)


@pytest.fixture
def world(app, pair, coach):
    return World(app, pair, coach)


@settings(
    max_examples=8,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # a failure shows unshrunk: fast
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=STEPS)
def test_every_cached_page_equals_a_fresh_render_after_each_write(app, world, steps):
    for browser, url, htmx in world.pages():
        get(browser, url, htmx)  # every page is in the cache before the first write
    for write, offset, title, index in steps:
        write(world, offset, title, index)
        for browser, url, htmx in world.pages():
            cached = get(browser, url, htmx)
            app.config["RESPONSE_CACHE"] = "off"
            try:
                fresh = get(browser, url, htmx)
            finally:
                app.config["RESPONSE_CACHE"] = "memory"
            assert normal(cached) == normal(fresh), (write.__name__, url, htmx)
    with app.test_request_context():
        assert store().hits > 0  # the pages compared were served from the cache too
