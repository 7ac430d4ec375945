import re

import pytest
import sqlalchemy as sa

from tests.support.factories import PASSWORD, make_client, make_coach, make_program
from webapp.extensions import db
from webapp.models import Program, User

VALID = {
    "name": "1-2-1 Coaching",
    "price": "200.00",
    "currency": "GBP",
    "billing_period": "month",
    "description": "Personal coaching",
    "welcome_message": "Welcome!",
    "waiver": "I am fit.",
}


@pytest.fixture
def coach_client(app, client):
    with app.app_context():
        make_coach(email="coach@example.com")
    client.login("coach@example.com", PASSWORD)
    return client


def programs(app) -> list[Program]:
    with app.app_context():
        return db.session.scalars(sa.select(Program)).all()


class TestCreate:
    def test_a_program_is_created_as_a_draft_with_money_in_minor_units(self, app, coach_client):
        response = coach_client.post("/programs/new", data=VALID, follow_redirects=True)
        html = response.get_data(as_text=True)
        assert "1-2-1 Coaching" in html and "£200.00 per month" in html and "Draft" in html
        [program] = programs(app)
        assert (program.price_minor, program.currency, program.billing_period, program.status) == (
            20000,
            "GBP",
            "month",
            "draft",
        )
        assert (program.waiver, program.welcome_message) == ("I am fit.", "Welcome!")

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("name", "", "Give the program a name"),
            ("name", "n" * 10_000, "at most 120 characters"),
            ("price", "-5", "cannot be negative"),
            ("price", "two hundred", "as a number"),
            ("price", "", "Enter a price"),
            ("currency", "XYZ", "Choose a currency"),
            ("description", "d" * 10_000, "at most 4,000 characters"),
            ("welcome_message", "w" * 10_000, "at most 4,000 characters"),
            ("waiver", "w" * 10_000, "at most 8,000 characters"),
            ("billing_period", "fortnight", "Not a valid choice"),
        ],
    )
    def test_bad_input_gets_a_message_by_the_field_and_writes_nothing(
        self, app, coach_client, field, value, message
    ):
        response = coach_client.post("/programs/new", data={**VALID, field: value})
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert re.search(rf'id="{field}-error">[^<]*{re.escape(message)}', html), html[-3000:]
        assert programs(app) == []


class TestLifecycle:
    def test_publish_then_archive(self, app, coach_client):
        coach_client.post("/programs/new", data=VALID)
        html = coach_client.post("/programs/1/publish", follow_redirects=True).get_data(
            as_text=True
        )
        assert "Program published" in html
        assert programs(app)[0].status == "published"
        html = coach_client.post("/programs/1/archive", follow_redirects=True).get_data(
            as_text=True
        )
        assert "Program archived" in html
        assert programs(app)[0].status == "archived"

    def test_archiving_a_program_with_clients_is_refused(self, app, coach_client):
        with app.app_context():
            coach = db.session.scalar(sa.select(User).where(User.email == "coach@example.com"))
            program = make_program(coach)
            make_client(program, state="pending")
        html = coach_client.post(f"/programs/{program.id}/archive", follow_redirects=True).get_data(
            as_text=True
        )
        assert "Move them to another program before archiving" in html
        assert programs(app)[0].status == "published"

    def test_edit_changes_fields(self, app, coach_client):
        coach_client.post("/programs/new", data=VALID)
        form = coach_client.get("/programs/1/edit").get_data(as_text=True)
        assert 'value="200.00"' in form
        coach_client.post("/programs/1/edit", data={**VALID, "name": "Premium", "price": "300"})
        [program] = programs(app)
        assert (program.name, program.price_minor) == ("Premium", 30000)


class TestOwnership:
    @pytest.mark.parametrize(
        ("method", "path"),
        [
            ("get", "/programs/{id}"),
            ("get", "/programs/{id}/edit"),
            ("post", "/programs/{id}/edit"),
            ("post", "/programs/{id}/publish"),
            ("post", "/programs/{id}/archive"),
        ],
    )
    def test_another_coachs_program_is_a_404(self, app, coach_client, method, path):
        with app.app_context():
            other = make_program(
                make_coach(email="other@example.com"), status="draft", name="Theirs"
            )
        response = getattr(coach_client, method)(
            path.format(id=other.id), data={**VALID, "name": "Mine"}
        )
        assert response.status_code == 404
        assert "Theirs" not in response.get_data(as_text=True)
        [program] = programs(app)
        assert (program.name, program.status) == ("Theirs", "draft")

    def test_a_coach_lists_only_their_own_programs(self, app, coach_client):
        with app.app_context():
            make_program(make_coach(), name="Someone else's")
        coach_client.post("/programs/new", data=VALID)
        html = coach_client.get("/programs/").get_data(as_text=True)
        assert "1-2-1 Coaching" in html and "Someone else" not in html

    @pytest.mark.parametrize("path", ["/programs/", "/programs/new", "/programs/1"])
    def test_login_required(self, client, path):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


class TestPages:
    def test_security_headers_on_every_page(self, client):
        response = client.get("/login")
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert "HX-Request" in response.headers["Vary"]

    def test_pages_include_vendored_htmx_and_no_inline_script(self, client):
        html = client.get("/login").get_data(as_text=True)
        assert "/static/htmx-2.0.11.min.js" in html
        assert '"allowEval": false' in html
        assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None
        script = client.get("/static/htmx-2.0.11.min.js")
        assert b"htmx" in script.data
        script.close()
