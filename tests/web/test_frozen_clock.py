"""Setting `clock.now` sets the time everywhere: the rows written, the invitation's expiry, the
log-in limit's window and the column defaults all read the one clock."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.support.factories import PASSWORD, make_coach, make_program
from webapp.extensions import db
from webapp.models import Invitation, OutboxMessage, RateLimitWindow
from webapp.rules.credentials import FAILED_LOGIN_LIMIT, FAILED_LOGIN_PERIOD
from webapp.rules.invites import DEFAULT_INVITATION_DAYS

# Years away from the real date, so a value read from the machine's clock cannot pass.
T0 = datetime(2031, 5, 6, 7, 8, 9, tzinfo=UTC)


@pytest.fixture
def program(app, client, time):
    with app.app_context():
        coach = make_coach(email="coach@example.com")
        program = make_program(coach)
    client.login("coach@example.com", PASSWORD)
    return program


def test_an_invitation_sent_at_a_set_time_expires_counted_from_it(app, client, program):
    response = client.post(
        f"/programs/{program.id}/clients/email",
        data={"invite-name": "Bo", "invite-email": "bo@example.com"},
    )
    assert response.status_code == 303
    with app.app_context():
        invitation = db.session.scalar(sa.select(Invitation))
        mail = db.session.scalar(sa.select(OutboxMessage))
    assert invitation.sent_at == T0
    assert invitation.created_at == T0
    assert invitation.expires_at == T0 + timedelta(days=DEFAULT_INVITATION_DAYS)
    assert mail.created_at == T0 and mail.next_attempt_at == T0


def test_an_invitation_past_its_expiry_at_a_set_time_is_refused(app, client, program, time):
    client.post(
        f"/programs/{program.id}/clients/email",
        data={"invite-name": "Bo", "invite-email": "bo@example.com"},
    )
    with app.app_context():
        body = db.session.scalar(sa.select(OutboxMessage.body))
    link = next(word for word in body.split() if "/invitation/" in word)
    path = link[link.index("/invitation/") :]
    client.logout()
    assert "has expired" not in client.get(path).get_data(as_text=True)
    time.advance(days=DEFAULT_INVITATION_DAYS)
    assert "This invitation has expired" in client.get(path).get_data(as_text=True)


def test_the_failed_log_in_window_opens_and_ends_on_the_set_clock(app, client, time):
    with app.app_context():
        make_coach(email="coach@example.com")
    for _ in range(FAILED_LOGIN_LIMIT):
        client.post("/login", data={"email": "coach@example.com", "password": "wrong" * 4})
    with app.app_context():
        starts = set(db.session.scalars(sa.select(RateLimitWindow.window_start)))
    assert starts == {T0}
    refused = client.post("/login", data={"email": "coach@example.com", "password": PASSWORD})
    assert "Too many failed log-ins" in refused.get_data(as_text=True)
    time.advance(seconds=FAILED_LOGIN_PERIOD.total_seconds())
    client.login("coach@example.com", PASSWORD)
