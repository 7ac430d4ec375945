"""The coach's Payments settings: their own Stripe keys, sealed at rest, a webhook URL of their
own and a test connection against a running (fake) Stripe."""

import pytest
import sqlalchemy as sa

from tests.support.payments import KEYS, signed, stripe_settings
from tests.support.plusone import logged_in, make_pair
from webapp.extensions import db
from webapp.models import PaymentAccount

FORM = {
    "secret_key": KEYS.secret_key,
    "publishable_key": KEYS.publishable_key,
    "webhook_secret": KEYS.webhook_secret,
}


@pytest.fixture
def app_config(app_config, fake_stripe):
    return {**app_config, **stripe_settings(fake_stripe)}


def stored(app) -> list[PaymentAccount]:
    with app.app_context():
        return list(db.session.scalars(sa.select(PaymentAccount)))


class TestWithoutStripe:
    def test_the_page_says_payments_are_recorded_by_hand(self, coach):
        html = coach.get("/payments/settings").get_data(as_text=True)
        assert "Not connected" in html and "cash, bank transfer, another terminal" in html
        assert "test mode" in html and "Save keys" in html
        assert 'id="webhook-url"' not in html

    def test_clients_cannot_open_it(self, app, pair):
        person = logged_in(app, pair.person_email)
        assert person.get("/payments/settings").status_code in (403, 404)


class TestSavingKeys:
    def test_keys_are_sealed_and_a_webhook_url_is_shown(self, app, coach):
        html = coach.post("/payments/settings", data=FORM, follow_redirects=True).get_data(
            as_text=True
        )
        assert "Stripe keys saved" in html and "Test mode" in html
        [account] = stored(app)
        url = f"http://localhost/payments/webhooks/{account.webhook_key}"
        assert url in html
        # The events to choose in Stripe: every one OnDeck acts on, refunds made there too.
        for event in ("invoice.payment_succeeded", "refund.created", "charge.refunded"):
            assert f"<code>{event}</code>" in html
        for sealed in (
            account.secret_key_sealed,
            account.publishable_key_sealed,
            account.webhook_secret_sealed,
        ):
            assert "ondeck" not in sealed and sealed.startswith("gAAAA")
        # Never shown again: the page has no key in it.
        assert KEYS.secret_key not in html and KEYS.webhook_secret not in html

    def test_replacing_the_keys_keeps_the_webhook_url(self, app, coach):
        coach.post("/payments/settings", data=FORM)
        [first] = stored(app)
        coach.post("/payments/settings", data={**FORM, "secret_key": "sk_test_another"})
        [second] = stored(app)
        assert second.webhook_key == first.webhook_key
        assert second.secret_key_sealed != first.secret_key_sealed

    def test_each_coach_has_a_webhook_url_of_their_own(self, app, coach):
        coach.post("/payments/settings", data=FORM)
        other = make_pair(app, n=2)
        logged_in(app, other.coach_email).post("/payments/settings", data=FORM)
        keys = {a.webhook_key for a in stored(app)}
        assert len(keys) == 2

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("secret_key", "pk_test_x12345", "starts with sk_"),
            ("publishable_key", "sk_test_x12345", "starts with pk_"),
            ("webhook_secret", "secret12345", "starts with whsec_"),
            ("publishable_key", "pk_live_x12345", "same mode"),
            ("secret_key", "", "Paste the secret key"),
            ("publishable_key", "", "Paste the publishable key"),
        ],
    )
    def test_wrong_keys_are_refused_by_their_field(self, app, coach, field, value, message):
        response = coach.post("/payments/settings", data={**FORM, field: value})
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert f'id="{field}-error"' in html and message in html
        assert stored(app) == []

    def test_an_htmx_save_answers_with_the_settings_card(self, coach):
        response = coach.post("/payments/settings", data=FORM, headers={"HX-Request": "true"})
        html = response.get_data(as_text=True)
        assert "<html" not in html and 'id="stripe-settings"' in html
        assert 'id="webhook-url"' in html


class TestConnection:
    def test_the_fake_stripe_accepts_the_key(self, app, coach):
        coach.post("/payments/settings", data=FORM)
        html = coach.post("/payments/settings/test", follow_redirects=True).get_data(as_text=True)
        assert "Connected: Stripe accepted the secret key" in html
        [account] = stored(app)
        assert account.checked_at is not None and account.check_error == ""

    def test_keys_sealed_under_another_secret_key_ask_to_be_pasted_again(self, app, coach):
        coach.post("/payments/settings", data=FORM)
        with app.app_context():
            db.session.execute(
                sa.update(PaymentAccount).values(secret_key_sealed="gAAAAnot-sealed-here")
            )
            db.session.commit()
        html = coach.post("/payments/settings/test", follow_redirects=True).get_data(as_text=True)
        assert "did not accept the connection" in html and "Paste the keys again" in html

    def test_testing_without_keys_asks_for_them(self, coach):
        html = coach.post("/payments/settings/test", follow_redirects=True).get_data(as_text=True)
        assert "Save your Stripe keys first" in html

    def test_disconnecting_removes_the_keys(self, app, coach):
        coach.post("/payments/settings", data=FORM)
        html = coach.post("/payments/settings/disconnect", follow_redirects=True).get_data(
            as_text=True
        )
        assert "Stripe disconnected" in html and "Not connected" in html
        assert stored(app) == []


def test_a_stripe_that_cannot_be_reached_is_reported(app, coach):
    coach.post("/payments/settings", data=FORM)
    app.config["STRIPE_API_BASE"] = "http://127.0.0.1:9"
    html = coach.post("/payments/settings/test", follow_redirects=True).get_data(as_text=True)
    assert "did not accept the connection" in html


def test_the_webhook_secret_can_follow_once_the_url_is_in_stripe(app, coach):
    coach.post("/payments/settings", data={**FORM, "webhook_secret": ""})
    [account] = stored(app)
    body, headers = signed({"id": "evt_1", "type": "x", "data": {"object": {}}})
    refused = coach.post(f"/payments/webhooks/{account.webhook_key}", data=body, headers=headers)
    assert refused.status_code == 400 and "No webhook signing secret" in refused.json["error"]
    coach.post("/payments/settings", data=FORM)
    taken = coach.post(f"/payments/webhooks/{account.webhook_key}", data=body, headers=headers)
    assert taken.status_code == 200
    # Saving the keys again without the secret keeps it.
    coach.post("/payments/settings", data={**FORM, "webhook_secret": ""})
    body, headers = signed({"id": "evt_2", "type": "x", "data": {"object": {}}})
    again = coach.post(f"/payments/webhooks/{account.webhook_key}", data=body, headers=headers)
    assert again.status_code == 200
