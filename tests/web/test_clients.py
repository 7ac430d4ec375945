"""A coach's clients: Manual and Email Invite, the tabs, sending, moving, removing."""

import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.support.factories import PASSWORD, make_client, make_coach, make_program
from tests.support.queries import counted_queries
from tests.support.queued import outbox
from tests.web.invites_support import (
    clients_in,
    coach_with_program,
    invitations,
    snapshot,
)
from webapp import clock
from webapp.extensions import db
from webapp.models import CalendarEntry, Client, Invitation, Program


@pytest.fixture
def setup(app, client):
    coach, program = coach_with_program(app)
    client.login("coach@example.com", PASSWORD)
    return coach, program


def manual(client, program_id, name="Ana", email="ana@example.com", htmx=False):
    data = {"manual-name": name, "manual-email": email}
    url = f"/programs/{program_id}/clients/manual"
    return client.hx_post(url, data=data) if htmx else client.post(url, data=data)


def email_invite(client, program_id, email="bo@example.com", name="Bo", htmx=False):
    data = {"invite-name": name, "invite-email": email}
    url = f"/programs/{program_id}/clients/email"
    return client.hx_post(url, data=data) if htmx else client.post(url, data=data)


class TestManualInvite:
    def test_the_client_is_pending_at_once_with_start_date_today(self, app, client, setup):
        _, program = setup
        response = manual(client, program.id, email=" Ana@Example.com ")
        assert response.status_code == 303
        assert response.headers["Location"].endswith(f"/programs/{program.id}/pending")
        [ana] = clients_in(app, program.id)
        assert (ana.name, ana.email, ana.state, ana.method, ana.user_id) == (
            "Ana",
            "ana@example.com",
            "pending",
            "manual",
            None,
        )
        assert ana.start_date == date.today()
        html = client.get(f"/programs/{program.id}/pending").get_data(as_text=True)
        assert f'<a href="/clients/{ana.id}/calendar">Ana</a>' in html
        assert "Not sent yet" in html
        assert outbox(app) == []  # nothing is emailed until the coach sends the invitation

    def test_over_htmx_the_form_comes_back_empty_and_the_pending_tab_comes_with_it(
        self, app, client, setup
    ):
        _, program = setup
        response = manual(client, program.id, htmx=True)
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "<html" not in html and 'id="manual-invite"' in html
        assert "Ana is in Pending" in html and 'value="ana@example.com"' not in html
        # The client list is swapped to the Pending tab in the same answer, the new client in
        # it, and what else counts clients (the top bar) is told.
        area = html.split('id="client-area"', 1)[1]
        assert area.split(">", 1)[0].count('hx-swap-oob="true"') == 1
        assert 'id="tab-pending" role="tab" aria-selected="true"' in area
        assert ">Ana</a>" in area
        assert response.headers["HX-Push-Url"] == f"/programs/{program.id}/pending"
        assert json.loads(response.headers["HX-Trigger"]) == {"clients-added": {"target": "body"}}
        # Write training opens the new client's first day, Week 1 Day 1.
        with app.app_context():
            ana = db.session.scalar(sa.select(Client).where(Client.email == "ana@example.com"))
            link = f"/clients/{ana.id}/calendar?open={ana.start_date.isoformat()}"
        written = rf'href="{re.escape(link)}"\s+hx-boost="true" data-focus-here>Write training'
        assert re.search(written, html)

    @pytest.mark.parametrize("existing_state", ["pending", "active"])
    def test_an_email_already_in_the_program_is_an_error_by_the_field(
        self, app, client, setup, existing_state
    ):
        _, program = setup
        with app.app_context():
            make_client(program, email="ana@example.com", state=existing_state)
        before = snapshot(app)
        response = manual(client, program.id, htmx=True)
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert re.search(r'id="manual-email-error">[^<]*already (pending|an active client)', html)
        assert snapshot(app) == before

    def test_an_email_with_an_outstanding_invitation_is_an_error(self, app, client, setup):
        _, program = setup
        email_invite(client, program.id, email="ana@example.com")
        before = snapshot(app)
        response = manual(client, program.id)
        assert response.status_code == 422
        assert "outstanding invitation" in response.get_data(as_text=True)
        assert snapshot(app) == before

    def test_bad_input_is_shown_by_the_fields(self, app, client, setup):
        _, program = setup
        response = manual(client, program.id, name="", email="not-an-email")
        html = response.get_data(as_text=True)
        assert response.status_code == 422
        assert 'id="manual-name-error">Enter a name.' in html
        assert 'id="manual-email-error">Enter a valid email address' in html
        assert clients_in(app, program.id) == []

    def test_a_coach_cannot_invite_their_own_email(self, app, client, setup):
        _, program = setup
        response = manual(client, program.id, email="coach@example.com")
        assert response.status_code == 422
        assert "your own email address" in response.get_data(as_text=True)

    @pytest.mark.parametrize(
        ("status", "words"), [("draft", "not published"), ("archived", "archived")]
    )
    def test_a_program_that_is_not_published_takes_no_invites(
        self, app, client, setup, status, words
    ):
        coach, _ = setup
        with app.app_context():
            closed = make_program(coach, status=status, name="Closed")
        for response in (manual(client, closed.id, htmx=True), email_invite(client, closed.id)):
            assert response.status_code in (422, 303)
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert words in page and words in response.text + page
        assert words in manual(client, closed.id, htmx=True).get_data(as_text=True)
        assert clients_in(app, closed.id) == [] and invitations(app) == []

    def test_a_removed_client_can_be_added_again_keeping_their_row(self, app, client, setup):
        _, program = setup
        with app.app_context():
            old = make_client(program, email="ana@example.com", state="removed")
        assert manual(client, program.id).status_code == 303
        [ana] = clients_in(app, program.id)
        assert (ana.id, ana.state) == (old.id, "pending")


class TestFormalInvite:
    def test_send_invite_queues_a_single_use_expiring_invitation(self, app, client, setup):
        _, program = setup
        manual(client, program.id)
        [ana] = clients_in(app, program.id)
        response = client.hx_post(f"/clients/{ana.id}/invite")
        assert "Invitation sent to ana@example.com" in response.get_data(as_text=True)
        assert json.loads(response.headers["HX-Trigger"]) == {"clients-changed": {"target": "body"}}
        [invitation] = invitations(app)
        assert (invitation.kind, invitation.client_id, invitation.email) == (
            "manual",
            ana.id,
            "ana@example.com",
        )
        assert invitation.expires_at - invitation.sent_at == timedelta(days=14)
        [mail] = outbox(app)
        token = re.search(r"/invitation/(\S+)", mail.body).group(1)
        assert len(token) >= 32 and token not in invitation.token_hash  # only a hash is stored
        assert mail.recipient == "ana@example.com" and "Casey Coach" in mail.subject
        html = client.get(f"/programs/{program.id}/pending").get_data(as_text=True)
        assert "Resend invite" in html and "expires" in html

    def test_sending_again_replaces_the_token(self, app, client, setup):
        _, program = setup
        manual(client, program.id)
        [ana] = clients_in(app, program.id)
        client.post(f"/clients/{ana.id}/invite")
        first = invitations(app)[0].token_hash
        client.post(f"/clients/{ana.id}/invite")
        [invitation] = invitations(app)
        assert invitation.token_hash != first and len(outbox(app)) == 2

    def test_the_invitation_days_come_from_config(self, app, client, setup):
        app.config["INVITATION_DAYS"] = 3
        _, program = setup
        manual(client, program.id)
        [ana] = clients_in(app, program.id)
        client.post(f"/clients/{ana.id}/invite")
        [invitation] = invitations(app)
        assert invitation.expires_at - invitation.sent_at == timedelta(days=3)

    def test_an_active_client_is_not_sent_a_formal_invite(self, app, client, setup):
        _, program = setup
        with app.app_context():
            active = make_client(program, state="active")
        response = client.hx_post(f"/clients/{active.id}/invite")
        assert response.status_code == 422
        assert "Only a pending client" in response.get_data(as_text=True)
        assert invitations(app) == [] and outbox(app) == []

    def test_revoking_the_formal_invite_keeps_the_client_pending(self, app, client, setup):
        _, program = setup
        manual(client, program.id)
        [ana] = clients_in(app, program.id)
        client.post(f"/clients/{ana.id}/invite")
        [invitation] = invitations(app)
        client.post(f"/programs/{program.id}/invitations/{invitation.id}/revoke")
        assert invitations(app)[0].revoked_at is not None
        assert clients_in(app, program.id)[0].state == "pending"


class TestEmailInvite:
    def test_an_email_invite_is_an_invitation_not_a_pending_client(self, app, client, setup):
        _, program = setup
        response = email_invite(client, program.id, htmx=True)
        assert response.status_code == 200
        assert "Invitation sent to bo@example.com" in response.get_data(as_text=True)
        assert clients_in(app, program.id) == []
        [invitation] = invitations(app)
        assert (invitation.kind, invitation.client_id, invitation.name) == ("email", None, "Bo")
        assert [m.recipient for m in outbox(app)] == ["bo@example.com"]
        pending = client.get(f"/programs/{program.id}/pending").get_data(as_text=True)
        assert "bo@example.com" not in pending
        listed = client.get(f"/programs/{program.id}/invitations").get_data(as_text=True)
        assert 'id="invitation-' in listed and "bo@example.com" in listed

    def test_resend_makes_a_new_token_and_revoke_ends_it(self, app, client, setup):
        _, program = setup
        email_invite(client, program.id)
        [invitation] = invitations(app)
        client.post(f"/programs/{program.id}/invitations/{invitation.id}/resend")
        [resent] = invitations(app)
        assert resent.token_hash != invitation.token_hash and len(outbox(app)) == 2
        client.post(f"/programs/{program.id}/invitations/{invitation.id}/revoke")
        assert invitations(app)[0].revoked_at is not None
        listed = client.get(f"/programs/{program.id}/invitations").get_data(as_text=True)
        assert "No outstanding email invitations" in listed

    def test_a_second_invitation_to_the_same_email_is_refused(self, app, client, setup):
        _, program = setup
        email_invite(client, program.id)
        response = email_invite(client, program.id, htmx=True)
        assert response.status_code == 422
        assert re.search(r'id="invite-email-error">[^<]*outstanding invitation', response.text)
        assert len(invitations(app)) == 1

    def test_an_expired_invitation_no_longer_blocks_a_new_one(self, app, client, setup):
        _, program = setup
        email_invite(client, program.id)
        with app.app_context():
            db.session.execute(sa.update(Invitation).values(expires_at=clock.now()))
            db.session.commit()
        assert email_invite(client, program.id).status_code == 303
        assert len(invitations(app)) == 2


class TestTabs:
    @pytest.mark.parametrize("tab", ["active", "pending", "invitations"])
    def test_each_tab_is_a_full_page_and_an_htmx_fragment(self, app, client, setup, tab):
        _, program = setup
        page = client.get(f"/programs/{program.id}/{tab}")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert "<html" in html and 'id="client-area"' in html and 'id="manual-invite"' in html
        assert f'id="tab-{tab}" role="tab" aria-selected="true"' in html
        fragment = client.hx_get(f"/programs/{program.id}/{tab}")
        body = fragment.get_data(as_text=True)
        assert "<html" not in body and 'id="client-area"' in body and 'id="client-panel"' in body
        assert "HX-Request" in fragment.headers["Vary"]

    def test_the_program_page_opens_on_the_active_tab(self, app, client, setup):
        _, program = setup
        html = client.get(f"/programs/{program.id}").get_data(as_text=True)
        assert 'id="tab-active" role="tab" aria-selected="true"' in html

    def test_tab_labels_count_the_clients(self, app, client, setup):
        _, program = setup
        with app.app_context():
            make_client(program, state="pending")
            for _ in range(2):
                make_client(program, state="active")
            make_client(program, state="removed")
        email_invite(client, program.id)
        html = client.hx_get(f"/programs/{program.id}/active").get_data(as_text=True)
        assert 'id="count-active">2<' in html
        assert 'id="count-pending">1<' in html
        assert 'id="count-invitations">1<' in html

    def test_the_area_refreshes_itself_on_clients_changed(self, app, client, setup):
        _, program = setup
        html = client.hx_get(f"/programs/{program.id}/pending").get_data(as_text=True)
        assert f'hx-get="/programs/{program.id}/pending"' in html
        assert 'hx-trigger="clients-changed from:body' in html
        assert 'hx-push-url="true"' in html

    def test_active_rows_link_to_the_calendar_and_flag_who_needs_training(
        self, app, client, setup, monkeypatch
    ):
        _, program = setup
        now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
        monkeypatch.setattr(clock, "now", lambda: now)
        today = now.date()
        with app.app_context():
            cleo = make_client(program, state="active", name="Cleo", start_date=today)
            dana = make_client(program, state="active", name="Dana", start_date=today)
            for ahead in range(0, 8):  # today and the whole 7-day horizon are written
                db.session.add(
                    CalendarEntry(
                        client_id=dana.id, on_date=today + timedelta(ahead), title=f"Day {ahead}"
                    )
                )
            db.session.commit()
        html = client.get(f"/programs/{program.id}/active").get_data(as_text=True)
        assert f'<a href="/clients/{cleo.id}/calendar">Cleo</a>' in html
        rows = {
            name: re.search(rf'<tr id="client-{cid}">(.*?)</tr>', html, re.S).group(1)
            for name, cid in (("Cleo", cleo.id), ("Dana", dana.id))
        }
        assert "Needs training" in rows["Cleo"]
        assert "Needs training" not in rows["Dana"]

    def test_removed_clients_are_not_listed(self, app, client, setup):
        _, program = setup
        with app.app_context():
            make_client(program, state="removed", name="Gone")
        for tab in ("active", "pending"):
            assert "Gone" not in client.get(f"/programs/{program.id}/{tab}").get_data(as_text=True)


class TestMoveAndRemove:
    def test_moving_keeps_every_calendar_entry(self, app, client, setup):
        coach, program = setup
        with app.app_context():
            target = make_program(coach, name="Premium")
            ana = make_client(program, state="active", name="Ana")
            for n in range(3):
                db.session.add(
                    CalendarEntry(client_id=ana.id, on_date=date(2026, 3, 1 + n), title=f"Run {n}")
                )
            db.session.commit()
        response = client.hx_post(f"/clients/{ana.id}/move", data={"program_id": target.id})
        assert "Ana moved to Premium" in response.get_data(as_text=True)
        assert json.loads(response.headers["HX-Trigger"]) == {"clients-changed": {"target": "body"}}
        [moved] = clients_in(app, target.id)
        assert (moved.id, moved.state) == (ana.id, "active")
        with app.app_context():
            titles = db.session.scalars(
                sa.select(CalendarEntry.title).where(CalendarEntry.client_id == ana.id)
            ).all()
        assert sorted(titles) == ["Run 0", "Run 1", "Run 2"]
        assert clients_in(app, program.id) == []

    def test_a_pending_clients_invitation_moves_with_them(self, app, client, setup):
        coach, program = setup
        with app.app_context():
            target = make_program(coach, name="Premium")
        manual(client, program.id)
        [ana] = clients_in(app, program.id)
        client.post(f"/clients/{ana.id}/invite")
        client.post(f"/clients/{ana.id}/move", data={"program_id": target.id})
        assert invitations(app)[0].program_id == target.id

    def test_moving_into_a_program_where_the_email_already_is_is_refused(self, app, client, setup):
        coach, program = setup
        with app.app_context():
            target = make_program(coach, name="Premium")
            make_client(target, email="ana@example.com", state="pending")
            ana = make_client(program, email="ana@example.com", state="active")
        response = client.hx_post(f"/clients/{ana.id}/move", data={"program_id": target.id})
        assert response.status_code == 422
        assert "already in that program" in response.get_data(as_text=True)
        assert [c.id for c in clients_in(app, program.id)] == [ana.id]

    def test_a_move_without_a_target_program_says_what_to_do(self, app, client, setup):
        _, program = setup
        with app.app_context():
            ana = make_client(program, state="active")
        response = client.hx_post(f"/clients/{ana.id}/move", data={})
        assert response.status_code == 422
        assert "Choose the program to move them to" in response.get_data(as_text=True)
        assert clients_in(app, program.id)[0].id == ana.id

    def test_moving_into_an_archived_program_is_refused(self, app, client, setup):
        coach, program = setup
        with app.app_context():
            archived = make_program(coach, name="Old", status="archived")
            ana = make_client(program, state="active")
        response = client.post(
            f"/clients/{ana.id}/move", data={"program_id": archived.id}, follow_redirects=True
        )
        assert "archived program takes no clients" in response.get_data(as_text=True)
        assert clients_in(app, archived.id) == []

    def test_archived_programs_are_not_offered_as_move_targets(self, app, client, setup):
        coach, program = setup
        with app.app_context():
            make_program(coach, name="Old one", status="archived")
            make_program(coach, name="Premium")
            ana_id = make_client(program, state="active").id
        html = client.get(f"/clients/{ana_id}/actions").get_data(as_text=True)
        assert ">Premium</option>" in html and "Old one" not in html

    def test_an_active_row_loads_its_move_and_remove_forms_when_opened(self, app, client, setup):
        coach, program = setup
        with app.app_context():
            make_program(coach, name="Premium")
            ana_id = make_client(program, state="active", name="Ana Lima").id
        tab = client.get(f"/programs/{program.id}/active").get_data(as_text=True)
        row = re.search(rf'<tr id="client-{ana_id}">.*?</tr>', tab, re.S).group(0)
        # The row holds a menu that fetches the forms, and a plain link to them without htmx.
        assert f'hx-get="/clients/{ana_id}/actions" hx-trigger="toggle once"' in row
        assert f'<a href="/clients/{ana_id}/actions">Move or remove Ana Lima</a>' in row
        assert "<form" not in row and "<select" not in row

        fragment = client.hx_get(f"/clients/{ana_id}/actions").get_data(as_text=True)
        assert "<html" not in fragment
        assert f'action="/clients/{ana_id}/move"' in fragment and ">Premium</option>" in fragment
        assert f'action="/clients/{ana_id}/remove"' in fragment
        assert "They lose access; their history is kept." in fragment

        page = client.get(f"/clients/{ana_id}/actions").get_data(as_text=True)
        assert "<h1>Move or remove Ana Lima</h1>" in page and 'id="client-notice"' in page
        assert f'href="/programs/{program.id}/active">Back to' in page

    def test_a_removed_client_has_nothing_left_to_move_or_remove(self, app, client, setup):
        _, program = setup
        with app.app_context():
            gone_id = make_client(program, state="removed", name="Gone Person").id
        html = client.hx_get(f"/clients/{gone_id}/actions").get_data(as_text=True)
        assert "Gone Person is no longer in this program." in html and "<form" not in html

    def test_removing_ends_access_and_keeps_the_row(self, app, client, setup):
        _, program = setup
        manual(client, program.id)
        [ana] = clients_in(app, program.id)
        client.post(f"/clients/{ana.id}/invite")
        response = client.post(f"/clients/{ana.id}/remove", follow_redirects=True)
        assert "Ana was removed" in response.get_data(as_text=True)
        [removed] = clients_in(app, program.id)
        assert removed.state == "removed"
        assert invitations(app)[0].revoked_at is not None  # their link stops working

    def test_archiving_with_clients_is_refused_until_they_are_moved(self, app, client, setup):
        coach, program = setup
        with app.app_context():
            target = make_program(coach, name="Premium")
            ana = make_client(program, state="active")
        html = client.post(f"/programs/{program.id}/archive", follow_redirects=True).text
        assert "Move them to another program before archiving" in html
        client.post(f"/clients/{ana.id}/move", data={"program_id": target.id})
        client.post(f"/programs/{program.id}/archive")
        with app.app_context():
            assert db.session.get(Program, program.id).status == "archived"


class TestOwnership:
    """A coach reaches only their own programs' clients and invitations: others get 404."""

    ROUTES = [
        ("get", "/programs/{program}/active"),
        ("get", "/programs/{program}/pending"),
        ("get", "/programs/{program}/invitations"),
        ("post", "/programs/{program}/clients/manual"),
        ("post", "/programs/{program}/clients/email"),
        ("post", "/clients/{client}/invite"),
        ("post", "/clients/{client}/move"),
        ("post", "/clients/{client}/remove"),
        ("post", "/programs/{program}/invitations/{invitation}/resend"),
        ("post", "/programs/{program}/invitations/{invitation}/revoke"),
        ("post", "/programs/{program}/join-link/regenerate"),
        ("post", "/programs/{program}/join-link/off"),
        ("post", "/programs/{program}/join-link/on"),
    ]

    @pytest.fixture
    def theirs(self, app):
        with app.app_context():
            other = make_coach(email="other@example.com")
            program = make_program(other, name="Theirs")
            pending = make_client(program, state="pending", name="Their client")
            invitation = Invitation(
                program_id=program.id,
                email="x@example.com",
                kind="email",
                token_hash="0" * 64,
                invited_by_id=other.id,
                expires_at=clock.now() + timedelta(days=1),
            )
            db.session.add(invitation)
            db.session.commit()
            return {"program": program.id, "client": pending.id, "invitation": invitation.id}

    @pytest.mark.parametrize(("method", "path"), ROUTES)
    def test_another_coachs_objects_are_a_404(self, app, client, setup, theirs, method, path):
        _, mine = setup
        before = snapshot(app)
        data = {
            "program_id": mine.id,
            "manual-name": "X",
            "manual-email": "x2@example.com",
            "invite-email": "x3@example.com",
        }
        response = getattr(client, method)(path.format(**theirs), data=data)
        assert response.status_code == 404
        assert "Their client" not in response.get_data(as_text=True)
        assert snapshot(app) == before

    def test_an_invitation_reached_through_the_wrong_program_is_a_404(self, app, client, setup):
        _, mine = setup
        email_invite(client, mine.id)
        [invitation] = invitations(app)
        with app.app_context():
            other_of_mine = make_program(db.session.get(Program, mine.id).coach_id and setup[0])
        response = client.post(f"/programs/{other_of_mine.id}/invitations/{invitation.id}/revoke")
        assert response.status_code == 404 and invitations(app)[0].revoked_at is None

    def test_moving_my_client_into_another_coachs_program_is_a_404(
        self, app, client, setup, theirs
    ):
        _, mine = setup
        with app.app_context():
            ana = make_client(mine, state="active")
        response = client.post(f"/clients/{ana.id}/move", data={"program_id": theirs["program"]})
        assert response.status_code == 404
        assert clients_in(app, mine.id)[0].id == ana.id

    @pytest.mark.parametrize(("method", "path"), ROUTES)
    def test_a_client_account_gets_404_on_every_coach_route(
        self, app, client, theirs, method, path
    ):
        from tests.support.factories import make_client_user

        with app.app_context():
            member = make_client_user(email="member@example.com")
            make_client(db.session.get(Program, theirs["program"]), user=member, state="active")
        client.login("member@example.com", PASSWORD)
        before = snapshot(app)
        response = getattr(client, method)(path.format(**theirs), data={})
        assert response.status_code == 404
        assert snapshot(app) == before


class TestQueryCounts:
    def _fill(self, app, program, start, stop):
        with app.app_context():
            for n in range(start, stop):
                make_client(program, state="active", name=f"Client {n:03d}")

    @pytest.mark.parametrize("tab", ["active", "pending"])
    def test_a_tab_runs_the_same_queries_for_5_and_500_clients(self, app, client, setup, tab):
        coach, program = setup
        with app.app_context():
            make_program(coach, name="Premium")
            for n in range(5):
                make_client(program, state=tab, name=f"Client {n:03d}")
        with counted_queries(app) as few:
            html = client.get(f"/programs/{program.id}/{tab}").get_data(as_text=True)
        assert len(re.findall(r'<tr id="client-\d+"', html)) == 5
        with app.app_context():
            db.session.add_all([_client_row(program.id, tab, n) for n in range(5, 500)])
            db.session.commit()
        with counted_queries(app) as many:
            html = client.get(f"/programs/{program.id}/{tab}").get_data(as_text=True)
        # A page of 25 shows, whatever the number of clients; the last page costs the same.
        assert len(re.findall(r'<tr id="client-\d+"', html)) == 25
        assert "1–25 of 500" in html
        with counted_queries(app) as last_page:
            html = client.get(f"/programs/{program.id}/{tab}?page=20&q=client").get_data(
                as_text=True
            )
        assert len(re.findall(r'<tr id="client-\d+"', html)) == 25 and "476–500 of 500" in html
        assert len(few) == len(many) == len(last_page), (few, many, last_page)


def _client_row(program_id, state, n):
    from webapp.models import Client

    return Client(
        program_id=program_id,
        name=f"Client {n:03d}",
        email=f"bulk{n}@example.com",
        state=state,
        method="manual",
        start_date=date.today(),
        activated_at=clock.now() if state == "active" else None,
    )
