"""A client pays for a package by card on OnDeck's own page (Stripe.js card Element)."""

from __future__ import annotations

from flask import abort, url_for
from flask_login import current_user

from webapp import clock
from webapp.blueprints.payments import bp
from webapp.blueprints.payments.forms import CardPaymentForm, CardSetupForm
from webapp.extensions import db
from webapp.services import card_payments
from webapp.services.payments import account_of
from webapp.services.stripe_gateway import StripeError, keys_of
from webapp.web.auth_session import client_required
from webapp.web.htmx import render
from webapp.web.loaders import get_my_coach, get_my_payment, get_offered_package
from webapp.web.security import allow_stripe

PAY = "/my/coaches/<int:coach_id>/packages/<int:package_id>/pay"


def _checkout(coach_id: int, package_id: int):
    coach = get_my_coach(coach_id)
    package = get_offered_package(coach, package_id)
    account = account_of(coach.id) or abort(404)
    return coach, package, account


@bp.get(PAY)
@client_required
@allow_stripe
def checkout(coach_id: int, package_id: int):
    return _checkout_page(*_checkout(coach_id, package_id), CardPaymentForm(formdata=None))


def _checkout_page(coach, package, account, form, status: int = 200):
    return render(
        "payments/checkout.html",
        coach=coach,
        package=package,
        publishable_key=keys_of(account).publishable_key,
        form=form,
        status=status,
    )


@bp.post(PAY + "/setup")
@client_required
def setup(coach_id: int, package_id: int):
    _coach, _package, account = _checkout(coach_id, package_id)
    form = CardSetupForm()
    if not form.validate_on_submit():
        return {"error": "This form has expired. Reload the page."}, 422
    try:
        secret = card_payments.start_setup(account, current_user, save_card=form.save_card.data)
    except StripeError:
        return {"error": "Stripe could not be reached. Try again in a moment."}, 503
    return {"client_secret": secret}


@bp.post(PAY)
@client_required
@allow_stripe
def pay(coach_id: int, package_id: int):
    coach, package, account = _checkout(coach_id, package_id)
    form = CardPaymentForm()
    if not form.validate_on_submit():
        return _checkout_page(coach, package, account, form, status=422)
    try:
        attempt = card_payments.charge_package(
            account,
            package,
            current_user,
            form.setup_intent.data,
            save_card=form.save_card.data,
            now=clock.now(),
        )
    except card_payments.PaymentRefused as refused:
        return {"error": str(refused)}, 422
    except StripeError:
        return {"error": "Stripe could not be reached. Try again in a moment."}, 503
    db.session.commit()
    done = url_for("payments.my_payment", coach_id=coach.id, entry_id=attempt.entry.id)
    return {"status": attempt.entry.status, "client_secret": attempt.client_secret, "next": done}


@bp.get("/my/coaches/<int:coach_id>/payments/<int:entry_id>")
@client_required
def my_payment(coach_id: int, entry_id: int):
    """Where the client lands after paying: the status fetched from Stripe settles it."""
    coach = get_my_coach(coach_id)
    entry = get_my_payment(coach, entry_id)
    account = account_of(coach.id)
    if account is not None:
        try:
            card_payments.refresh(account, entry, clock.now())
        except StripeError:
            db.session.rollback()  # shown as waiting; the webhook or a reload settles it
    db.session.commit()
    return render("payments/my_payment.html", coach=coach, entry=entry)
