"""Captured mail (development): each coach reads only mail to themselves and their clients."""

import pytest

from tests.support.factories import PASSWORD, make_client, make_coach, make_program
from tests.web.invites_support import clients_in


@pytest.fixture
def coaches(app):
    with app.app_context():
        x = make_coach(email="x@example.com", name="Xena Coach")
        y = make_coach(email="y@example.com", name="Yuri Coach")
        program = make_program(x)
        make_client(program, name="Pat Pending", email="pat@example.com", state="pending")
    return x, y, program


def captured(app, email):
    browser = app.test_client()
    browser.login(email, PASSWORD)
    return browser.get("/dev/mail/").get_data(as_text=True)


def invite(app, program, email):
    browser = app.test_client()
    browser.login("x@example.com", PASSWORD)
    browser.post(
        f"/programs/{program.id}/clients/email",
        data={"invite-name": "Bo", "invite-email": email},
    )


def test_another_coach_does_not_see_a_coachs_invitation_link(app, coaches):
    _x, _y, program = coaches
    invite(app, program, "bo@example.com")
    mine = captured(app, "x@example.com")
    assert "to bo@example.com" in mine and "/invitation/" in mine
    theirs = captured(app, "y@example.com")
    assert "bo@example.com" not in theirs and "/invitation/" not in theirs
    assert "No mail yet." in theirs


def test_a_coach_sees_mail_to_themselves_and_their_pending_clients_only(app, client, coaches):
    _x, _y, program = coaches
    with app.app_context():
        [pat] = [c for c in clients_in(app, program.id) if c.email == "pat@example.com"]
    browser = app.test_client()
    browser.login("x@example.com", PASSWORD)
    browser.post(f"/clients/{pat.id}/invite")
    for email in ("x@example.com", "y@example.com"):
        client.post("/password/forgot", data={"email": email})
    mine = captured(app, "x@example.com")
    assert "to pat@example.com" in mine and "to x@example.com" in mine
    assert "to y@example.com" not in mine
    theirs = captured(app, "y@example.com")
    assert "to y@example.com" in theirs
    assert "to x@example.com" not in theirs and "to pat@example.com" not in theirs
