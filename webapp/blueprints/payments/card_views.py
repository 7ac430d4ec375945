"""A client pays by card on OnDeck's own page (Stripe.js card Element): a package, or a
booking with payment due (a +1 whose saved card was declined), from the emailed link."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, url_for
from flask_login import current_user

from webapp import clock
from webapp.blueprints.payments import bp
from webapp.blueprints.payments.forms import CardPaymentForm, CardSetupForm
from webapp.extensions import db
from webapp.models import PaymentAccount, User
from webapp.services import card_payments, payment_due, settlement
from webapp.services.card_payments import Purchase
from webapp.services.payments import account_of
from webapp.services.stripe_gateway import StripeError, keys_of
from webapp.web.auth_session import client_required
from webapp.web.htmx import render
from webapp.web.loaders import get_my_booking, get_my_coach, get_my_payment, get_offered_package
from webapp.web.security import allow_stripe

PAY = "/my/coaches/<int:coach_id>/packages/<int:package_id>/pay"
PAY_DUE = "/my/coaches/<int:coach_id>/bookings/<int:booking_id>/pay"
UNREACHABLE = {"error": "Stripe could not be reached. Try again in a moment."}, 503


@dataclass
class Checkout:
    coach: User
    account: PaymentAccount
    purchase: Purchase
    title: str
    setup_url: str
    pay_url: str
    sessions: int  # what the purchase books, for the page's wording


def _package(coach_id: int, package_id: int) -> Checkout:
    coach = get_my_coach(coach_id)
    package = get_offered_package(coach, package_id)
    account = account_of(coach.id) or abort(404)
    n = package.sessions_count
    return Checkout(
        coach,
        account,
        Purchase.of_package(package),
        f"Pay for {n} session{'s' if n != 1 else ''}",
        url_for("payments.setup", coach_id=coach.id, package_id=package.id),
        url_for("payments.pay", coach_id=coach.id, package_id=package.id),
        n,
    )


def _due(coach_id: int, booking_id: int) -> Checkout:
    coach = get_my_coach(coach_id)
    booking = get_my_booking(coach, booking_id)
    account = account_of(coach.id)
    if account is None or not payment_due.is_payment_due(booking.id):
        abort(404)  # nothing is due on it (any more)
    return Checkout(
        coach,
        account,
        Purchase.of_booking(booking),
        "Pay for your +1 session",
        url_for("payments.setup_due", coach_id=coach.id, booking_id=booking.id),
        url_for("payments.pay_due", coach_id=coach.id, booking_id=booking.id),
        booking.sessions_count,
    )


def _page(checkout: Checkout, form: CardPaymentForm, status: int = 200):
    return render(
        "payments/checkout.html",
        checkout=checkout,
        publishable_key=keys_of(checkout.account).publishable_key,
        form=form,
        status=status,
    )


def _setup(checkout: Checkout):
    form = CardSetupForm()
    if not form.validate_on_submit():
        return {"error": "This form has expired. Reload the page."}, 422
    try:
        secret = card_payments.start_setup(
            checkout.account, current_user, save_card=bool(form.save_card.data)
        )
    except StripeError:
        return UNREACHABLE
    return {"client_secret": secret}


def _pay(checkout: Checkout):
    form = CardPaymentForm()
    if not form.validate_on_submit():
        return _page(checkout, form, status=422)
    try:
        attempt = card_payments.charge_card(
            checkout.account,
            checkout.purchase,
            current_user,
            form.setup_intent.data,
            save_card=bool(form.save_card.data),
            now=clock.now(),
        )
    except card_payments.PaymentRefused as refused:
        return {"error": str(refused)}, 422
    except StripeError:
        return UNREACHABLE
    db.session.commit()
    done = url_for("payments.my_payment", coach_id=checkout.coach.id, entry_id=attempt.entry.id)
    return {"status": attempt.entry.status, "client_secret": attempt.client_secret, "next": done}


@bp.get(PAY)
@client_required
@allow_stripe
def checkout(coach_id: int, package_id: int):
    return _page(_package(coach_id, package_id), CardPaymentForm(formdata=None))


@bp.post(PAY + "/setup")
@client_required
def setup(coach_id: int, package_id: int):
    return _setup(_package(coach_id, package_id))


@bp.post(PAY)
@client_required
@allow_stripe
def pay(coach_id: int, package_id: int):
    return _pay(_package(coach_id, package_id))


@bp.get(PAY_DUE)
@client_required
@allow_stripe
def checkout_due(coach_id: int, booking_id: int):
    return _page(_due(coach_id, booking_id), CardPaymentForm(formdata=None))


@bp.post(PAY_DUE + "/setup")
@client_required
def setup_due(coach_id: int, booking_id: int):
    return _setup(_due(coach_id, booking_id))


@bp.post(PAY_DUE)
@client_required
@allow_stripe
def pay_due(coach_id: int, booking_id: int):
    return _pay(_due(coach_id, booking_id))


@bp.get("/my/coaches/<int:coach_id>/payments/<int:entry_id>")
@client_required
def my_payment(coach_id: int, entry_id: int):
    """Where the client lands after paying: the status fetched from Stripe settles it."""
    coach = get_my_coach(coach_id)
    entry = get_my_payment(coach, entry_id)
    account = account_of(coach.id)
    if account is not None:
        try:
            settlement.refresh(account, entry, clock.now())
        except StripeError:
            db.session.rollback()  # shown as waiting; the webhook or a reload settles it
    db.session.commit()
    return render("payments/my_payment.html", coach=coach, entry=entry)
