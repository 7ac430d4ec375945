"""Quick invite on the Programs page: name, email, Enter puts the client in Pending, and Write
training opens their calendar's first day."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.support.factories import PASSWORD, make_client, make_coach, make_program
from webapp.extensions import db
from webapp.models import Client, Program


@pytest.fixture
def programs(app, client):
    with app.app_context():
        coach = make_coach(email="coach@example.com")
        published = make_program(coach, name="Open")
        draft = make_program(coach, name="Draft", status="draft")
        ids = {"published": published.id, "draft": draft.id}
    client.login("coach@example.com", PASSWORD)
    return ids


def test_each_published_program_card_has_a_quick_invite(client, programs):
    html = client.get("/programs/").get_data(as_text=True)
    assert f'id="quick-invite-{programs["published"]}"' in html
    assert f'id="quick-invite-{programs["draft"]}"' not in html


def test_a_quick_invite_puts_the_client_in_pending_and_links_write_training(app, client, programs):
    url = f"/programs/{programs['published']}/clients/manual?quick=1"
    response = client.hx_post(url, {"manual-name": "Pat Park", "manual-email": "pat@example.com"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert f'id="quick-invite-{programs["published"]}"' in html
    assert "Pat Park is in Pending" in html
    with app.app_context():
        pat = db.session.scalar(sa.select(Client).where(Client.email == "pat@example.com"))
        assert pat.state == "pending"
        link = f"/clients/{pat.id}/calendar?open={pat.start_date.isoformat()}"
    assert re.search(rf'href="{re.escape(link)}"\s+hx-boost="true" data-focus-here>', html)
    assert 'value="pat@example.com"' not in html  # ready for the next one


def test_a_refused_quick_invite_says_why_by_the_field(app, client, programs):
    with app.app_context():
        make_client(db.session.get(Program, programs["published"]), email="pat@example.com")
    url = f"/programs/{programs['published']}/clients/manual?quick=1"
    response = client.hx_post(url, {"manual-name": "Pat", "manual-email": "pat@example.com"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(rf'id="quick-{programs["published"]}-email-error">[^<]*already', html)
    assert 'aria-invalid="true"' in html


def test_without_javascript_it_returns_to_the_programs_page(app, client, programs):
    url = f"/programs/{programs['published']}/clients/manual?quick=1"
    response = client.post(url, data={"manual-name": "Pat", "manual-email": "pat@example.com"})
    assert response.status_code == 303 and response.headers["Location"] == "/programs/"
    assert "Pat is in Pending" in client.get("/programs/").get_data(as_text=True)
