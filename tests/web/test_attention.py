"""Needs attention: clients short of written training, and clients whose sessions have run out."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.support.factories import (
    PASSWORD,
    make_client,
    make_client_user,
    make_coach,
    make_program,
)
from tests.support.plusone import make_package
from tests.support.queries import counted_queries
from webapp.extensions import db
from webapp.models import (
    Booking,
    CalendarEntry,
    Client,
    CoachingSession,
    Package,
    PlusOneEnrolment,
    Program,
    User,
)
from webapp.services.bookings import book_package, set_enrolment

NOW = datetime(2026, 3, 10, 12, tzinfo=UTC)
TODAY = NOW.date()


pytestmark = pytest.mark.usefixtures("frozen_clock")  # at NOW


@pytest.fixture
def coach(app):
    with app.app_context():
        return make_coach(email="coach@example.com", name="Casey Coach")


@pytest.fixture
def program(app, coach):
    with app.app_context():
        return make_program(coach)


def member(app, program, name, *, state="active") -> Client:
    """A client with an account in `program`."""
    with app.app_context():
        email = name.split()[0].lower() + "@example.com"
        person = make_client_user(email=email, name=name)
        return make_client(program, user=person, state=state)


def booked(app, coach_id, row: Client, *, sessions=2, used=2, no_auto_renewal=False):
    """The client books a package of `sessions` with the coach and has used `used` of them."""
    package_id = make_package(app, coach_id, sessions, sessions * 5000)
    if no_auto_renewal:
        with app.app_context():
            db.session.get(Package, package_id).no_auto_renewal = True
            db.session.commit()
    with app.app_context():
        booking = book_package(
            db.session.get(Package, package_id), db.session.get(User, row.user_id), NOW
        )
        db.session.flush()
        done = db.session.scalars(
            sa.select(CoachingSession.id).where(CoachingSession.booking_id == booking.id)
        ).all()[:used]
        db.session.execute(
            sa.update(CoachingSession)
            .where(CoachingSession.id.in_(done))
            .values(status="completed", completed_at=NOW)
        )
        db.session.commit()


def plus_one(app, coach_id, row: Client, action="enrol", until=None):
    with app.app_context():
        set_enrolment(coach_id, row.user_id, action, until=until, today=TODAY)
        db.session.commit()


def attention_page(app, email="coach@example.com") -> str:
    client = app.test_client()
    client.login(email, PASSWORD)
    response = client.get("/needs-attention")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def run_out(html: str) -> dict[str, str]:
    """Sessions run out, as the coach reads it: {client name: reason}."""
    section = html.split('id="sessions-run-out-list"', 1)[1].split("</ul>", 1)[0]
    rows = re.findall(r'<li [^>]*id="run-out-\d+">\s*<div>(.*?)<p [^>]*>(.*?)</p>', section)
    return {name.strip(): reason for name, reason in rows}


def needs_training(html: str) -> list[str]:
    section = html.split('id="needs-training-list"', 1)[1].split('id="sessions-run-out"', 1)[0]
    return re.findall(r"<span>(.*?) <span", section)


class TestSessionsRunOut:
    def test_a_client_with_a_session_left_is_not_listed(self, app, coach, program):
        ada = member(app, program, "Ada Enrolled")
        booked(app, coach.id, ada, sessions=3, used=2)
        plus_one(app, coach.id, ada)
        assert "Ada Enrolled" not in run_out(attention_page(app))

    def test_a_client_with_no_session_left_and_no_plus_one_is_listed_with_why(
        self, app, coach, program
    ):
        ben = member(app, program, "Ben Lapsed")
        booked(app, coach.id, ben)
        html = attention_page(app)
        assert run_out(html) == {"Ben Lapsed": "Not enrolled in +1."}
        assert f'href="/clients/{ben.id}/sessions"' in html

    def test_a_client_who_left_plus_one_is_listed_as_not_enrolled(self, app, coach, program):
        ben = member(app, program, "Ben Lapsed")
        booked(app, coach.id, ben)
        plus_one(app, coach.id, ben)
        plus_one(app, coach.id, ben, "unenrol")
        assert run_out(attention_page(app)) == {"Ben Lapsed": "Not enrolled in +1."}

    def test_a_paused_client_is_listed_with_the_date_plus_one_resumes(self, app, coach, program):
        cleo = member(app, program, "Cleo Paused")
        booked(app, coach.id, cleo)
        plus_one(app, coach.id, cleo)
        plus_one(app, coach.id, cleo, "pause", until=date(2026, 4, 1))
        assert run_out(attention_page(app)) == {"Cleo Paused": "+1 is paused until 1 Apr 2026."}

    def test_a_last_package_without_auto_renewal_is_the_reason(self, app, coach, program):
        dev = member(app, program, "Dev Custom")
        booked(app, coach.id, dev)
        booked(app, coach.id, dev, no_auto_renewal=True)
        plus_one(app, coach.id, dev)
        assert run_out(attention_page(app)) == {
            "Dev Custom": "Last package does not offer auto-renewal."
        }

    def test_enrolling_after_the_last_session_leaves_nothing_for_plus_one_to_renew(
        self, app, coach, program
    ):
        eve = member(app, program, "Eve Late")
        booked(app, coach.id, eve)
        plus_one(app, coach.id, eve)
        assert run_out(attention_page(app)) == {
            "Eve Late": "Enrolled in +1, but no session is left to complete, so +1 will not "
            "book one."
        }

    def test_the_sessions_page_gives_the_same_reason(self, app, coach, program):
        eve = member(app, program, "Eve Late")
        booked(app, coach.id, eve)
        plus_one(app, coach.id, eve)
        client = app.test_client()
        client.login("coach@example.com", PASSWORD)
        html = client.get(f"/clients/{eve.id}/sessions").get_data(as_text=True)
        why = re.search(r'id="plus-one-why">(.*?)</p>', html).group(1)
        assert why == (
            "+1 will not book: Enrolled in +1, but no session is left to complete, "
            "so +1 will not book one."
        )

    def test_never_booked_and_pending_clients_are_not_listed(self, app, coach, program):
        member(app, program, "Mo Monthly")  # paid by the month: no package, nothing runs out
        pat = member(app, program, "Pat Pending", state="pending")
        booked(app, coach.id, pat)
        html = attention_page(app)
        assert run_out(html) == {}
        assert "Every active client who has booked a package has a session left" in html

    def test_another_coachs_client_never_appears(self, app, coach, program):
        with app.app_context():
            other = make_coach(email="other@example.com", name="Olly Other")
            theirs = make_program(other)
        oscar = member(app, theirs, "Oscar Theirs")
        booked(app, other.id, oscar)
        # My client ran out with the other coach, but has a session left with me.
        ada = member(app, program, "Ada Mine")
        booked(app, coach.id, ada, sessions=2, used=1)
        with app.app_context():
            make_client(db.session.get(Program, theirs.id), user=db.session.get(User, ada.user_id))
        booked(app, other.id, ada)
        assert run_out(attention_page(app)) == {}
        theirs_html = attention_page(app, "other@example.com")
        assert run_out(theirs_html) == {
            "Ada Mine": "Not enrolled in +1.",
            "Oscar Theirs": "Not enrolled in +1.",
        }

    def test_a_client_in_two_of_my_programs_is_listed_once(self, app, coach, program):
        ben = member(app, program, "Ben Lapsed")
        booked(app, coach.id, ben)
        with app.app_context():
            premium = make_program(db.session.get(User, coach.id), name="Premium")
            make_client(premium, user=db.session.get(User, ben.user_id))
        assert attention_page(app).count("Not enrolled in +1.") == 1


class TestPage:
    def test_both_sections_on_one_page_linked_from_the_coach_navigation(self, app, coach, program):
        with app.app_context():
            make_client(program, name="Tia Training", start_date=TODAY)
        ben = member(app, program, "Ben Lapsed")
        booked(app, coach.id, ben)
        with app.app_context():
            db.session.add_all(
                CalendarEntry(client_id=ben.id, on_date=TODAY + timedelta(days=n), title="Run")
                for n in range(1, 8)
            )
            db.session.commit()
        html = attention_page(app)
        assert "<title>Needs attention · OnDeck</title>" in html
        # The top bar's Needs attention dropdown leads to the page too.
        assert 'id="attention-menu"' in html
        assert '<a href="/needs-attention">Open Needs attention</a>' in html
        assert needs_training(html) == ["Tia Training"]
        assert run_out(html) == {"Ben Lapsed": "Not enrolled in +1."}

    def test_an_empty_page_says_everyone_is_fine(self, app, coach, program):
        html = attention_page(app)
        assert "Every active and pending client has training written up to their horizon." in html
        assert "Every active client who has booked a package has a session left" in html

    @pytest.mark.parametrize("who", ["client", "anonymous"])
    def test_only_coaches_have_the_page(self, app, coach, program, who):
        member(app, program, "Ben Lapsed")
        client = app.test_client()
        if who == "client":
            client.login("ben@example.com", PASSWORD)
        response = client.get("/needs-attention")
        html = response.get_data(as_text=True)
        assert "Needs attention" not in html
        if who == "client":
            assert response.status_code == 404
        else:
            assert "/login" in response.headers["Location"]


class TestActiveTab:
    def test_a_client_whose_sessions_ran_out_has_a_badge_with_the_reason(self, app, coach, program):
        ada = member(app, program, "Ada Enrolled")
        booked(app, coach.id, ada, sessions=3, used=2)
        plus_one(app, coach.id, ada)
        ben = member(app, program, "Ben Lapsed")
        booked(app, coach.id, ben)
        client = app.test_client()
        client.login("coach@example.com", PASSWORD)
        html = client.get(f"/programs/{program.id}/active").get_data(as_text=True)
        rows = {
            row.id: re.search(rf'<tr id="client-{row.id}">(.*?)</tr>', html, re.S).group(1)
            for row in (ada, ben)
        }
        assert "Sessions run out" not in rows[ada.id]
        assert (
            f'<a class="badge badge-warn sessions-run-out" href="/clients/{ben.id}/sessions" '
            'title="Not enrolled in +1.">Sessions run out</a>'
        ) in rows[ben.id]


def _seed(app, coach_id: int, program_id: int, first: int, stop: int) -> None:
    """Clients in every state the page tells apart, a quarter each, in a few statements."""
    with app.app_context():
        people = [
            User(
                email=f"bulk{n}@example.com",
                name=f"Bulk {n:03d}",
                role="client",
                time_zone="Europe/London",
                password_hash="-",
            )
            for n in range(first, stop)
        ]
        db.session.add_all(people)
        db.session.flush()
        for n, person in zip(range(first, stop), people, strict=True):
            db.session.add(
                Client(
                    program_id=program_id,
                    user_id=person.id,
                    name=person.name,
                    email=person.email,
                    state="active",
                    method="link",
                    start_date=TODAY,
                    activated_at=NOW,
                )
            )
            kind = n % 4
            if kind == 0:
                continue  # never booked a package
            booking = Booking(
                coach_id=coach_id,
                client_user_id=person.id,
                kind="package",
                sessions_count=2,
                total_minor=10000,
                rate_minor=5000,
                currency="GBP",
                booked_at=NOW,
            )
            db.session.add(booking)
            db.session.add_all(
                CoachingSession(
                    booking=booking,
                    coach_id=coach_id,
                    client_user_id=person.id,
                    status="remaining" if kind == 1 and i == 0 else "completed",
                )
                for i in range(2)
            )
            db.session.add(
                PlusOneEnrolment(
                    coach_id=coach_id,
                    client_user_id=person.id,
                    enrolled=kind != 2,
                    paused_until=TODAY + timedelta(days=9) if kind == 3 else None,
                )
            )
        db.session.commit()


def test_the_page_runs_the_same_queries_for_5_and_500_clients(app, coach, program):
    client = app.test_client()
    client.login("coach@example.com", PASSWORD)
    _seed(app, coach.id, program.id, 0, 5)
    with counted_queries(app) as few:
        html = client.get("/needs-attention").get_data(as_text=True)
    assert len(run_out(html)) == 2 and len(needs_training(html)) == 5
    _seed(app, coach.id, program.id, 5, 500)
    with counted_queries(app) as many:
        html = client.get("/needs-attention").get_data(as_text=True)
    reasons = run_out(html)
    assert len(reasons) == 250 and len(needs_training(html)) == 500
    assert reasons["Bulk 002"] == "Not enrolled in +1."
    assert reasons["Bulk 499"] == "+1 is paused until 19 Mar 2026."
    assert len(few) == len(many) <= 6, "\n".join(q[:100] for q in many)


def test_the_active_tab_badges_run_the_same_queries_for_5_and_500_clients(app, coach, program):
    client = app.test_client()
    client.login("coach@example.com", PASSWORD)
    url = f"/programs/{program.id}/active"
    _seed(app, coach.id, program.id, 0, 5)
    with counted_queries(app) as few:
        html = client.get(url).get_data(as_text=True)
    assert html.count(">Sessions run out</a>") == 2
    _seed(app, coach.id, program.id, 5, 500)
    # Every one of the 20 pages of 25 costs the same; together they show every badge.
    pages = []
    for page in range(1, 21):
        with counted_queries(app) as many:
            pages.append(client.get(f"{url}?page={page}").get_data(as_text=True))
        assert len(few) == len(many), (page, few, many)
    html = "".join(pages)
    assert html.count('<tr id="client-') == 500
    assert html.count(">Sessions run out</a>") == 250
    assert html.count('title="+1 is paused until 19 Mar 2026.">Sessions run out') == 125
