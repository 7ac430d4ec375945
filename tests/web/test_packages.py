"""The coach's packages page: N sessions for a total price, public or custom for one client."""

import re

import pytest
import sqlalchemy as sa

from tests.support.factories import make_client, make_client_user, make_program
from tests.support.plusone import logged_in, make_package, make_pair
from webapp.extensions import db
from webapp.models import Package

VALID = {"sessions_count": "5", "price": "400.00", "currency": "GBP", "name": "", "offered_to": ""}


def packages(app) -> list[Package]:
    with app.app_context():
        return list(db.session.scalars(sa.select(Package).order_by(Package.id)))


class TestCreate:
    def test_packages_show_their_per_session_rate(self, app, coach):
        coach.post("/packages/", data=VALID)
        response = coach.post(
            "/packages/",
            data={**VALID, "sessions_count": "10", "price": "700"},
            follow_redirects=True,
        )
        html = response.get_data(as_text=True)
        assert "Package added: 10 sessions for £700.00 (£70.00 per session)" in html
        assert "5 sessions for £400.00" in html and "£80.00 per session" in html
        assert "10 sessions for £700.00" in html and "£70.00 per session" in html
        assert [(p.sessions_count, p.total_minor, p.offered_to_id) for p in packages(app)] == [
            (5, 40000, None),
            (10, 70000, None),
        ]

    def test_a_custom_package_without_auto_renewal_for_one_client(self, app, pair, coach):
        html = coach.get("/packages/").get_data(as_text=True)
        assert "Do not offer auto-renewal on this package" in html
        assert "Dana Client 1" in html
        data = {
            **VALID,
            "sessions_count": "3",
            "price": "100",
            "offered_to": str(pair.person_id),
            "no_auto_renewal": "y",
        }
        html = coach.post("/packages/", data=data, follow_redirects=True).get_data(as_text=True)
        assert "Custom for Dana Client 1" in html and "No auto-renewal" in html
        assert "£33.33 per session" in html
        [package] = packages(app)
        assert (package.offered_to_id, package.no_auto_renewal) == (pair.person_id, True)

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"sessions_count": "0"}, "sessions_count", "at least one session"),
            ({"sessions_count": "-2"}, "sessions_count", "at least one session"),
            ({"sessions_count": "five"}, "sessions_count", "whole number"),
            ({"sessions_count": "1001"}, "sessions_count", "at most 500"),
            ({"price": "-400"}, "price", "cannot be negative"),
            ({"price": ""}, "price", "Enter a price"),
            ({"price": "400.005"}, "price", "at most 2 decimal places"),
            ({"price": "1e15"}, "price", "in full"),
            ({"price": "1000000000000000"}, "price", "too large"),
            ({"currency": "XYZ"}, "currency", "Choose a currency"),
            ({"name": "n" * 500}, "name", "at most 120 characters"),
            ({"no_auto_renewal": "y"}, "no_auto_renewal", "Only a custom package"),
        ],
    )
    def test_bad_input_gets_a_message_by_the_field_and_writes_nothing(
        self, app, coach, changes, field, message
    ):
        response = coach.post("/packages/", data={**VALID, **changes})
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert re.search(rf'id="{field}-error">[^<]*{re.escape(message)}', html), html[-3000:]
        assert packages(app) == []

    def test_a_package_cannot_be_offered_to_another_coachs_client(self, app, pair, coach):
        other = make_pair(app, n=2)
        with app.app_context():
            # Also: a client user pending (not active) in this coach's program is not a choice.
            program = make_program(_coach(pair), name="Second program")
            pending_user = make_client_user(email="pending@example.com")
            make_client(program, user=pending_user, state="pending")
        for person_id in (other.person_id, pending_user.id, 999999):
            response = coach.post("/packages/", data={**VALID, "offered_to": str(person_id)})
            assert response.status_code == 422
            assert "Choose one of your active clients" in response.get_data(as_text=True)
        assert packages(app) == []


def _coach(pair):
    from webapp.models import User

    return db.session.get(User, pair.coach_id)


class TestArchive:
    def test_archiving_hides_a_package_from_clients_and_keeps_it_listed(self, app, pair, coach):
        package_id = make_package(app, pair.coach_id, 5, 40000)
        html = coach.post(f"/packages/{package_id}/archive", follow_redirects=True).get_data(
            as_text=True
        )
        assert "Package archived" in html and "Archived" in html
        me = logged_in(app, pair.person_email)
        assert "5 sessions for £400.00" not in me.get(f"/my/coaches/{pair.coach_id}").get_data(
            as_text=True
        )

    def test_another_coachs_package_cannot_be_archived(self, app, pair, coach):
        other = make_pair(app, n=2)
        theirs = make_package(app, other.coach_id, 5, 40000)
        assert coach.post(f"/packages/{theirs}/archive").status_code == 404
        assert packages(app)[0].archived_at is None

    def test_only_coaches_see_the_packages_page(self, app, pair):
        me = logged_in(app, pair.person_email)
        refused = me.get("/packages/")
        assert refused.status_code == 404 and "per session" not in refused.get_data(as_text=True)
        anonymous = app.test_client().get("/packages/")
        assert "/login" in anonymous.headers["Location"]


def test_the_packages_link_is_in_the_coach_navigation(app, coach):
    html = coach.get("/programs/").get_data(as_text=True)
    assert '<a href="/packages/">Packages</a>' in html


def test_the_packages_page_links_to_each_clients_sessions(app, pair, coach):
    html = coach.get("/packages/").get_data(as_text=True)
    assert f'<a href="/clients/{pair.client_id}/sessions">Dana Client 1</a>' in html
