"""+1 charges the saved card: at the +1 rate, once, after the booking commits; a declined
card leaves the booking with payment due, a pay link by email and the client in Needs
attention, until the client pays through the link."""

import re

import pytest
import sqlalchemy as sa

from tests.support.factories import make_client, make_client_user
from tests.support.payments import (
    card_client,
    card_now_declines,
    confirm_card,
    stripe_settings,
)
from tests.support.plusone import bookings, complete_url, logged_in, remaining_ids
from tests.support.queued import emails_to
from webapp.extensions import db
from webapp.models import LedgerEntry, Program, SavedCard


@pytest.fixture
def app_config(app_config, fake_stripe):
    return {**app_config, **stripe_settings(fake_stripe)}


def charges(app, pair) -> list[LedgerEntry]:
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(LedgerEntry)
                .where(LedgerEntry.client_user_id == pair.person_id, LedgerEntry.kind == "charge")
                .order_by(LedgerEntry.id)
            )
        )


def complete_all(app, pair, coach):
    for session_id in remaining_ids(app, pair):
        coach.post(complete_url(pair, session_id))


def test_completing_the_fifth_session_charges_the_saved_card_at_the_5_pack_rate(
    app, pair, coach, fake_stripe
):
    card_client(app, fake_stripe, pair)
    complete_all(app, pair, coach)
    [plus] = bookings(app, pair, "plus_one")
    assert plus.rate_minor == 8000
    package_charge, plus_charge = charges(app, pair)
    assert (plus_charge.status, plus_charge.amount_minor, plus_charge.booking_id) == (
        "succeeded",
        8000,
        plus.id,
    )
    assert plus_charge.provider_id.startswith("pi_") and plus_charge.card_last4 == "4242"
    [client_mail] = [m for m in emails_to(app, pair.person_email) if "+1" in m.subject]
    assert "Your saved card ending 4242 was charged £80.00." in client_mail.body
    [coach_mail] = [m for m in emails_to(app, pair.coach_email) if "+1" in m.subject]
    assert "saved card ending 4242 was charged £80.00" in coach_mail.body


def test_mark_next_complete_on_a_list_charges_the_saved_card_as_well(app, pair, coach, fake_stripe):
    card_client(app, fake_stripe, pair)
    for session_id in remaining_ids(app, pair):
        coach.post(complete_url(pair, session_id).replace("/complete", "/complete-next"))
    [plus] = bookings(app, pair, "plus_one")
    _, plus_charge = charges(app, pair)
    assert (plus_charge.status, plus_charge.amount_minor, plus_charge.booking_id) == (
        "succeeded",
        8000,
        plus.id,
    )
    [client_mail] = [m for m in emails_to(app, pair.person_email) if "+1" in m.subject]
    assert "Your saved card ending 4242 was charged £80.00." in client_mail.body


def test_a_client_who_saved_no_card_is_not_charged(app, pair, coach, fake_stripe):
    person = card_client(app, fake_stripe, pair, enrol=False)
    with app.app_context():
        db.session.execute(sa.update(SavedCard).values(payment_method_id=None))
        db.session.commit()
    person.post(f"/my/coaches/{pair.coach_id}/plus-one", data={"action": "enrol"})
    complete_all(app, pair, coach)
    assert len(bookings(app, pair, "plus_one")) == 1
    assert len(charges(app, pair)) == 1  # the package only
    [mail] = [m for m in emails_to(app, pair.person_email) if "+1" in m.subject]
    assert "outside OnDeck" in mail.body


class TestDeclined:
    @pytest.fixture
    def declined(self, app, pair, coach, fake_stripe):
        person = card_client(app, fake_stripe, pair)
        card_now_declines(app, fake_stripe, pair)
        complete_all(app, pair, coach)
        return person

    def test_the_booking_is_payment_due_with_a_pay_link_by_email(self, app, pair, declined):
        [plus] = bookings(app, pair, "plus_one")
        _package, failed = charges(app, pair)
        assert (failed.status, failed.booking_id, failed.amount_minor) == ("failed", plus.id, 8000)
        [mail] = [m for m in emails_to(app, pair.person_email) if "+1" in m.subject]
        assert "could not be charged £80.00" in mail.body
        link = f"/my/coaches/{pair.coach_id}/bookings/{plus.id}/pay"
        assert link in mail.body
        [coach_mail] = [m for m in emails_to(app, pair.coach_email) if "+1" in m.subject]
        assert "payment due" in coach_mail.body and "Needs attention" in coach_mail.body

    def test_the_client_shows_in_needs_attention(self, app, pair, coach, declined):
        html = coach.get("/needs-attention").get_data(as_text=True)
        section = html.split('id="payment-due"', 1)[1]
        assert "Dana Client 1" in section and "£80.00" in section
        menu = coach.get("/needs-attention", headers={"HX-Request": "true"}).get_data(as_text=True)
        assert "<html" not in menu
        assert "Dana Client 1" in menu and "Payment due" in menu
        # Every reason shows, the most urgent first, and the name links to that one's page.
        item = rf'id="attention-menu-{pair.client_id}">\s*<a href="([^"]*)".*?class="hint">(.*?)<'
        link, hint = re.search(item, menu, re.S).groups()
        assert re.fullmatch(r"\d of 7 days written, next gap \w{3} \d+ \w{3} · Payment due", hint)
        assert link.startswith(f"/clients/{pair.client_id}/calendar")

    def test_a_payment_recorded_by_hand_for_it_clears_both_once(self, app, pair, coach, declined):
        [plus] = bookings(app, pair, "plus_one")
        base = f"/clients/{pair.client_id}/payments"
        page = coach.get(base).get_data(as_text=True)
        due = page.split('id="payment-due"', 1)[1].split("</ul>", 1)[0]
        assert "+1 session booked" in due and "£80.00 due" in due
        key = re.search(r'name="key" type="hidden" value="([^"]+)"', due).group(1)
        form = {"method": "bank_transfer", "key": key}
        done = coach.post(f"{base}/due/{plus.id}", data=form, follow_redirects=True)
        assert "£80.00 recorded as paid; nothing is due on that booking." in done.get_data(
            as_text=True
        )
        with app.app_context():
            program = db.session.get(Program, pair.program_id)
            other = make_client(program, user=make_client_user(), name="Other Client").id
        # Another client's booking, or none: the page does not exist.
        assert coach.post(f"/clients/{other}/payments/due/{plus.id}", data=form).status_code == 404
        assert coach.post(f"{base}/due/999999", data=form).status_code == 404
        again = coach.post(f"{base}/due/{plus.id}", data=form, follow_redirects=True)
        assert "Nothing is due on that booking any more." in again.get_data(as_text=True)
        with app.app_context():
            manual = db.session.scalars(
                sa.select(LedgerEntry).where(LedgerEntry.kind == "manual")
            ).all()
            assert [(m.booking_id, m.amount_minor, m.method) for m in manual] == [
                (plus.id, 8000, "bank_transfer")
            ]
        html = coach.get("/needs-attention").get_data(as_text=True)
        assert (
            'id="payment-due"' not in html
            or "Dana Client 1" not in html.split('id="payment-due"', 1)[1]
        )
        assert (
            declined.get(f"/my/coaches/{pair.coach_id}/bookings/{plus.id}/pay").status_code == 404
        )
        statement = coach.get(base).get_data(as_text=True)
        assert 'id="payment-due"' not in statement
        assert re.search(r'id="due">£0.00<', statement)

    def test_paying_through_the_link_clears_both(self, app, pair, coach, fake_stripe, declined):
        [plus] = bookings(app, pair, "plus_one")
        base = f"/my/coaches/{pair.coach_id}/bookings/{plus.id}/pay"
        page = declined.get(base).get_data(as_text=True)
        assert "Pay £80.00" in page
        setup = declined.post(base + "/setup", data={}).json
        setup_intent = confirm_card(fake_stripe, setup["client_secret"], "4242424242424242")
        paid = declined.post(base, data={"setup_intent": setup_intent["id"]}).json
        assert paid["status"] == "succeeded"
        html = coach.get("/needs-attention").get_data(as_text=True)
        assert "Dana Client 1" not in html.split('id="payment-due"', 1)[1]
        assert declined.get(base).status_code == 404  # nothing due any more
        assert len(bookings(app, pair, "plus_one")) == 1
        statement = coach.get(f"/clients/{pair.client_id}/sessions").get_data(as_text=True)
        assert re.search(r'id="paid">£480.00<', statement)
        assert re.search(r'id="due">£0.00<', statement)


def test_another_client_cannot_open_the_pay_link(app, pair, coach, fake_stripe):
    card_client(app, fake_stripe, pair)
    card_now_declines(app, fake_stripe, pair)
    complete_all(app, pair, coach)
    [plus] = bookings(app, pair, "plus_one")
    with app.app_context():
        make_client(db.session.get(Program, pair.program_id), user=make_client_user(email="e@x.io"))
    eve = logged_in(app, "e@x.io")
    assert eve.get(f"/my/coaches/{pair.coach_id}/bookings/{plus.id}/pay").status_code == 404


def test_a_charge_left_pending_by_a_dead_request_is_charged_by_the_cli(
    app, pair, coach, fake_stripe, runner, monkeypatch
):
    """The completion committed its pending row, then the request died before asking Stripe:
    `flask payments charge-pending` charges it, once, and sends the emails."""
    card_client(app, fake_stripe, pair)
    monkeypatch.setattr("webapp.blueprints.sessions.views.charge_pending", lambda *a: None)
    complete_all(app, pair, coach)
    _package, pending = charges(app, pair)
    assert (pending.status, pending.provider_id) == ("pending", None)
    assert [m for m in emails_to(app, pair.person_email) if "+1" in m.subject] == []
    monkeypatch.undo()
    result = runner.invoke(args=["payments", "charge-pending"])
    assert "1 pending +1 charge(s) tried" in result.output
    assert runner.invoke(args=["payments", "charge-pending"]).output.startswith("payments: 0")
    _package, charged = charges(app, pair)
    assert charged.status == "succeeded"
    [mail] = [m for m in emails_to(app, pair.person_email) if "+1" in m.subject]
    assert "was charged £80.00" in mail.body
