"""Joining a program paid by card: accepting leaves the client pending, awaiting payment,
until Stripe confirms the first payment (the return from the card page or the signed
webhook); then they are active, once. Without a price by card nothing changes."""

import re

import pytest
import sqlalchemy as sa

from tests.support.factories import make_client_user, make_program
from tests.support.payments import connect, signed, stripe_settings
from tests.support.plusone import logged_in
from tests.web.test_plusone_concurrency import run_together
from tests.web.test_subscriptions import subscribe
from webapp.extensions import db
from webapp.models import Client, PaymentAccount, Program, ProgramSubscription, User

JOIN_URL = re.compile(r'id="join-url"[^>]*value="http://localhost/join/([A-Za-z0-9_-]+)"')


@pytest.fixture
def app_config(app_config, fake_stripe):
    return {**app_config, **stripe_settings(fake_stripe)}


@pytest.fixture
def token(app, pair, coach):
    coach.post(f"/programs/{pair.program_id}/join-link/regenerate")
    html = coach.get(f"/programs/{pair.program_id}").get_data(as_text=True)
    return JOIN_URL.search(html).group(1)


@pytest.fixture
def zoe(app, token):
    with app.app_context():
        make_client_user(email="zoe@example.com", name="Zoe")
    return logged_in(app, "zoe@example.com")


def join(zoe, token):
    return zoe.post(f"/join/{token}", data={"waiver": "y"}, follow_redirects=True)


def zoe_row(app) -> Client:
    with app.app_context():
        return db.session.scalar(sa.select(Client).where(Client.email == "zoe@example.com"))


def test_joining_lands_on_the_card_page_and_paying_makes_the_client_active(
    app, pair, coach, zoe, token, fake_stripe
):
    connect(app, pair.coach_id)
    page = join(zoe, token).get_data(as_text=True)
    assert "You join" in page and "once your first payment goes through" in page
    assert 'id="card-element"' in page and "£200.00" in page
    row = zoe_row(app)
    assert (row.state, row.activated_at) == ("pending", None)
    assert row.awaiting_payment_since is not None
    assert zoe.get(f"/my/calendar/{row.id}").status_code == 404
    home = zoe.get("/me").get_data(as_text=True)
    assert f'href="/my/programs/{row.id}/subscribe">Pay to join</a>' in home
    assert f"/my/calendar/{row.id}" not in home
    pending = coach.get(f"/programs/{pair.program_id}/pending").get_data(as_text=True)
    assert "Awaiting payment" in pending.split(f'id="client-{row.id}"', 1)[1].split("</tr>")[0]
    active = coach.get(f"/programs/{pair.program_id}/active").get_data(as_text=True)
    assert "zoe@example.com" not in active

    pair_for_zoe = type(pair)(**{**pair.__dict__, "client_id": row.id})
    assert subscribe(zoe, fake_stripe, pair_for_zoe).json["status"] == "active"
    row = zoe_row(app)
    assert (row.state, row.awaiting_payment_since) == ("active", None)
    assert row.activated_at is not None
    calendar = zoe.get(f"/my/calendar/{row.id}")
    assert calendar.status_code == 200 and "<h1>My calendar</h1>" in calendar.get_data(as_text=True)
    active = coach.get(f"/programs/{pair.program_id}/active").get_data(as_text=True)
    assert "zoe@example.com" in active
    home = zoe.get("/me").get_data(as_text=True)
    assert f"/my/calendar/{row.id}" in home and "Pay to join" not in home


def waiting_subscription(app, pair) -> str:
    """Zoe's subscription as Stripe answered before her first invoice was paid ("incomplete");
    returns the coach's webhook key."""
    row = zoe_row(app)
    with app.app_context():
        db.session.add(
            ProgramSubscription(
                coach_id=pair.coach_id,
                client_id=row.id,
                client_user_id=row.user_id,
                program_id=pair.program_id,
                provider_id="sub_waiting",
                idempotency_key="subscription:waiting",
                amount_minor=20000,
                currency="GBP",
                status="incomplete",
                started_at=row.awaiting_payment_since,
            )
        )
        db.session.commit()
        return db.session.scalar(sa.select(PaymentAccount.webhook_key))


def test_the_webhook_makes_the_client_active_once_and_a_replay_changes_nothing(
    app, pair, client, zoe, token
):
    connect(app, pair.coach_id)
    join(zoe, token)
    key = waiting_subscription(app, pair)
    invoice = {"id": "in_1", "subscription": "sub_waiting"}
    event = {"id": "evt_first", "type": "invoice.payment_succeeded", "data": {"object": invoice}}
    body, headers = signed(event)
    first = client.post(f"/payments/webhooks/{key}", data=body, headers=headers)
    assert first.json == {"received": "subscription active, client active"}
    activated = zoe_row(app).activated_at
    assert zoe_row(app).state == "active" and activated is not None

    body, headers = signed(event)
    again = client.post(f"/payments/webhooks/{key}", data=body, headers=headers)
    assert again.json == {"received": "already received"}
    # A later renewal is only a renewal: the client joined once.
    body, headers = signed({**event, "id": "evt_renewal"})
    renewal = client.post(f"/payments/webhooks/{key}", data=body, headers=headers)
    assert renewal.json == {"received": "subscription active"}
    assert zoe_row(app).activated_at == activated
    with app.app_context():
        assert db.session.scalar(sa.select(ProgramSubscription.status)) == "active"


def test_20_concurrent_payment_webhooks_make_the_client_active_once(app, pair, zoe, token):
    connect(app, pair.coach_id)
    join(zoe, token)
    key = waiting_subscription(app, pair)
    invoice = {"id": "in_1", "subscription": "sub_waiting"}
    deliveries = [
        signed({"id": f"evt_{n}", "type": "invoice.payment_succeeded", "data": {"object": invoice}})
        for n in range(20)
    ]
    senders = [app.test_client() for _ in deliveries]
    results = run_together(
        [
            lambda sender=sender, body=body, headers=headers: (
                sender.post(f"/payments/webhooks/{key}", data=body, headers=headers).json
            )
            for sender, (body, headers) in zip(senders, deliveries, strict=True)
        ]
    )
    answers = sorted(str(answer) for answer in results)
    assert answers.count("{'received': 'subscription active, client active'}") == 1, answers
    assert answers.count("{'received': 'subscription active'}") == 19, answers
    assert zoe_row(app).state == "active"


def test_a_stranger_gets_404_for_the_card_page(app, pair, zoe, token, fake_stripe):
    connect(app, pair.coach_id)
    join(zoe, token)
    base = f"/my/programs/{zoe_row(app).id}/subscribe"
    stranger = logged_in(app, pair.person_email)
    for answer in (
        stranger.get(base),
        stranger.post(base + "/setup", data={}),
        stranger.post(base, data={"setup_intent": "seti_x"}),
        stranger.get(f"/my/welcome/{zoe_row(app).id}"),
    ):
        assert answer.status_code == 404
        assert "card-element" not in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(ProgramSubscription.id))) == 0
    assert zoe_row(app).state == "pending"


@pytest.mark.parametrize("case", ["no stripe", "paid outside", "no price"])
def test_without_a_price_by_card_joining_makes_the_client_active_at_once(
    app, pair, zoe, token, case
):
    if case != "no stripe":
        connect(app, pair.coach_id)
    with app.app_context():
        program = db.session.get(Program, pair.program_id)
        program.paid_outside = case == "paid outside"
        program.price_minor = 0 if case == "no price" else program.price_minor
        db.session.commit()
    page = join(zoe, token).get_data(as_text=True)
    assert "card-element" not in page and "first payment" not in page
    row = zoe_row(app)
    assert (row.state, row.awaiting_payment_since) == ("active", None)
    assert "<h1>My calendar</h1>" in zoe.get(f"/my/calendar/{row.id}").get_data(as_text=True)


def test_a_client_removed_before_paying_is_not_made_active_by_a_late_payment(
    app, pair, coach, client, zoe, token
):
    connect(app, pair.coach_id)
    join(zoe, token)
    key = waiting_subscription(app, pair)
    coach.post(f"/clients/{zoe_row(app).id}/remove")
    invoice = {"id": "in_1", "subscription": "sub_waiting"}
    event = {"id": "evt_late", "type": "invoice.payment_succeeded", "data": {"object": invoice}}
    body, headers = signed(event)
    client.post(f"/payments/webhooks/{key}", data=body, headers=headers)
    row = zoe_row(app)
    assert (row.state, row.awaiting_payment_since, row.activated_at) == ("removed", None, None)
    assert zoe.get(f"/my/programs/{row.id}/subscribe").status_code == 404


@pytest.mark.parametrize("target", ["free", "paid outside", "paid by card"])
def test_a_client_awaiting_payment_moved_to_a_program_with_nothing_to_pay_by_card_is_active(
    app, pair, coach, zoe, token, target
):
    connect(app, pair.coach_id)
    join(zoe, token)
    with app.app_context():
        coach_user = db.session.get(User, pair.coach_id)
        program = make_program(
            coach_user,
            name="Other program",
            price_minor=0 if target == "free" else 15000,
        )
        program.paid_outside = target == "paid outside"
        db.session.commit()
        target_id = program.id
    row = zoe_row(app)
    coach.post(f"/clients/{row.id}/move", data={"program_id": str(target_id)})
    row = zoe_row(app)
    assert row.program_id == target_id
    if target == "paid by card":
        # Still a price by card to pay: still awaiting it, now at the new price.
        assert (row.state, row.activated_at) == ("pending", None)
        assert row.awaiting_payment_since is not None
        page = zoe.get(f"/my/programs/{row.id}/subscribe").get_data(as_text=True)
        assert "£150.00" in page
        return
    assert (row.state, row.awaiting_payment_since) == ("active", None)
    assert row.activated_at is not None
    assert "<h1>My calendar</h1>" in zoe.get(f"/my/calendar/{row.id}").get_data(as_text=True)
    active = coach.get(f"/programs/{target_id}/active").get_data(as_text=True)
    assert "zoe@example.com" in active
