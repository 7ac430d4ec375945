"""A coach's webhook URL: only Stripe's signed, fresh events are taken, each once."""

import time

import sqlalchemy as sa

from tests.support.payments import KEYS, connect, signed
from tests.support.plusone import make_pair
from webapp.extensions import db
from webapp.models import WebhookEvent
from webapp.rules.payments import signature_header

EVENT = {"id": "evt_1", "type": "customer.created", "data": {"object": {"id": "cus_1"}}}


def events(app) -> list[tuple[int, str, str]]:
    with app.app_context():
        rows = db.session.scalars(sa.select(WebhookEvent).order_by(WebhookEvent.id))
        return [(row.coach_id, row.event_id, row.outcome) for row in rows]


def url(account) -> str:
    return f"/payments/webhooks/{account.webhook_key}"


def test_a_signed_event_is_stored_once_and_a_replay_changes_nothing(app, pair, client):
    account = connect(app, pair.coach_id)
    body, headers = signed(EVENT)
    first = client.post(url(account), data=body, headers=headers)
    assert first.status_code == 200 and first.json == {"received": "not used"}
    replay = client.post(url(account), data=body, headers=headers)
    assert replay.status_code == 200 and replay.json == {"received": "already received"}
    assert events(app) == [(pair.coach_id, "evt_1", "not used")]


def test_a_bad_signature_gets_400_and_nothing_is_stored(app, pair, client):
    account = connect(app, pair.coach_id)
    body, headers = signed(EVENT, secret="whsec_someone_else")
    response = client.post(url(account), data=body, headers=headers)
    assert response.status_code == 400 and "does not match" in response.json["error"]
    assert events(app) == []


def test_an_unsigned_event_gets_400(app, pair, client):
    account = connect(app, pair.coach_id)
    body, _headers = signed(EVENT)
    response = client.post(url(account), data=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert events(app) == []


def test_a_stale_event_gets_400_and_nothing_is_stored(app, pair, client):
    account = connect(app, pair.coach_id)
    body, headers = signed(EVENT, at=int(time.time()) - 3600)
    response = client.post(url(account), data=body, headers=headers)
    assert response.status_code == 400 and "too old" in response.json["error"]
    assert events(app) == []


def test_a_signed_body_that_is_not_an_event_gets_400(app, pair, client):
    account = connect(app, pair.coach_id)
    for body in (b"not json", b"[]", b'{"id": "evt_2"}'):
        header = signature_header(body, KEYS.webhook_secret, int(time.time()))
        response = client.post(url(account), data=body, headers={"Stripe-Signature": header})
        assert response.status_code == 400
    assert events(app) == []


def test_an_unknown_webhook_url_is_not_found(app, pair, client):
    connect(app, pair.coach_id)
    body, headers = signed(EVENT)
    assert client.post("/payments/webhooks/nobody", data=body, headers=headers).status_code == 404


def test_the_same_event_id_on_two_coaches_urls_is_two_events(app, pair, client):
    other = make_pair(app, n=2)
    first, second = connect(app, pair.coach_id), connect(app, other.coach_id)
    for account in (first, second):
        body, headers = signed(EVENT)
        assert client.post(url(account), data=body, headers=headers).status_code == 200
    assert [coach for coach, _e, _o in events(app)] == [pair.coach_id, other.coach_id]
