"""The coach's webhook URL: Stripe posts events here, signed with the coach's secret."""

from __future__ import annotations

from flask import abort, request

from webapp import clock
from webapp.blueprints.payments import bp
from webapp.extensions import csrf, db
from webapp.rules.payments import WebhookRefused
from webapp.services.payments import account_by_webhook_key
from webapp.services.stripe_gateway import StripeError
from webapp.services.webhooks import receive


@bp.post("/payments/webhooks/<key>")
@csrf.exempt
def webhook(key: str):
    account = account_by_webhook_key(key) if len(key) <= 64 else None
    if account is None:
        abort(404)
    try:
        outcome = receive(
            account, request.get_data(), request.headers.get("Stripe-Signature"), clock.now()
        )
    except WebhookRefused as refused:
        db.session.rollback()
        return {"error": str(refused)}, 400
    except StripeError:
        # Applying it needed a word from Stripe that did not come: nothing is stored, and
        # Stripe delivers the event again later.
        db.session.rollback()
        return {"error": "Stripe could not be reached; try again later."}, 503
    db.session.commit()
    return {"received": outcome}, 200
