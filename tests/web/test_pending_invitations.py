"""What the Pending and Invitations tabs say about an invitation as its expiry passes, and the
start-date hint of a pending client's calendar."""

import re
from datetime import UTC, datetime

import pytest

from tests.support.factories import PASSWORD
from tests.web.invites_support import clients_in, coach_with_program
from webapp.rules.invites import DEFAULT_INVITATION_DAYS

T0 = datetime(2031, 5, 6, 9, tzinfo=UTC)


@pytest.fixture
def program(app, client, time):
    _coach, program = coach_with_program(app)
    client.login("coach@example.com", PASSWORD)
    return program


def status_cell(html: str, client_id: int) -> str:
    row = re.search(rf'<tr id="client-{client_id}">(.*?)</tr>', html, re.S).group(1)
    return re.sub(r"\s+", " ", row)


def test_a_formal_invitation_reads_sent_then_expired_and_loses_its_revoke(
    app, client, program, time
):
    client.post(
        f"/programs/{program.id}/clients/manual",
        data={"manual-name": "Ana", "manual-email": "ana@example.com"},
    )
    [ana] = clients_in(app, program.id)
    client.post(f"/clients/{ana.id}/invite")
    row = status_cell(client.get(f"/programs/{program.id}/pending").get_data(as_text=True), ana.id)
    assert "Sent Tue 6 May 2031 · expires Tue 20 May 2031" in row
    assert "Revoke invite" in row and "Expired" not in row

    time.advance(days=DEFAULT_INVITATION_DAYS)
    client.login("coach@example.com", PASSWORD)  # two weeks idle ends any session
    row = status_cell(client.get(f"/programs/{program.id}/pending").get_data(as_text=True), ana.id)
    assert "Expired" in row and "Tue 20 May 2031" in row
    assert "Revoke invite" not in row
    assert "Resend invite" in row


def test_an_email_invitation_is_marked_expired_once_its_day_has_passed(app, client, program, time):
    client.post(
        f"/programs/{program.id}/clients/email",
        data={"invite-name": "Bo", "invite-email": "bo@example.com"},
    )
    tab = f"/programs/{program.id}/invitations"
    assert "badge-warn" not in client.get(tab).get_data(as_text=True)
    time.advance(days=DEFAULT_INVITATION_DAYS, seconds=-1)
    client.login("coach@example.com", PASSWORD)  # two weeks idle ends any session
    assert "badge-warn" not in client.get(tab).get_data(as_text=True)
    time.advance(seconds=1)
    html = client.get(tab).get_data(as_text=True)
    assert '<span class="badge badge-warn">Expired</span>' in html


def test_a_pending_clients_calendar_says_the_start_follows_the_day_they_join(app, client, program):
    client.post(
        f"/programs/{program.id}/clients/manual",
        data={"manual-name": "Ana", "manual-email": "ana@example.com"},
    )
    [ana] = clients_in(app, program.id)
    follows = "Until you set a date, the client starts on the day they join."
    assert follows in client.get(f"/clients/{ana.id}/calendar").get_data(as_text=True)
    client.post(
        f"/clients/{ana.id}/calendar/settings",
        data={"start_date": "2031-05-12", "horizon": "7"},
    )
    html = client.get(f"/clients/{ana.id}/calendar").get_data(as_text=True)
    assert follows not in html
    assert "the day the client joined unless you set another" in html
