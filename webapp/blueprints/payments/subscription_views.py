"""A client starts paying for a paid program by card: a Stripe subscription at its price."""

from __future__ import annotations

from flask import abort, url_for
from flask_login import current_user

from webapp import clock
from webapp.blueprints.payments import bp
from webapp.blueprints.payments.forms import CardPaymentForm, CardSetupForm
from webapp.extensions import db
from webapp.models import Program, User
from webapp.rules.money import Money
from webapp.services import card_payments, subscriptions
from webapp.services.amounts import format_money
from webapp.services.payments import account_of
from webapp.services.stripe_gateway import StripeError, keys_of
from webapp.web.auth_session import client_required
from webapp.web.htmx import render
from webapp.web.loaders import get_my_joining
from webapp.web.security import allow_stripe

SUBSCRIBE = "/my/programs/<int:client_id>/subscribe"
UNREACHABLE = {"error": "Stripe could not be reached. Try again in a moment."}, 503


def _offer(client_id: int):
    membership = get_my_joining(client_id)
    program = db.session.get(Program, membership.program_id)
    assert program is not None  # the membership's foreign key
    account = account_of(program.coach_id)
    if account is None or not subscriptions.is_recurring(program):
        abort(404)  # nothing to pay here by card
    return membership, program, account


@bp.get(SUBSCRIBE)
@client_required
@allow_stripe
def subscribe_page(client_id: int):
    return _page(*_offer(client_id), CardPaymentForm(formdata=None))


def _page(membership, program, account, form, status: int = 200):
    return render(
        "payments/subscribe.html",
        membership=membership,
        program=program,
        coach=db.session.get(User, program.coach_id),
        subscription=subscriptions.live_subscription(membership.id),
        price=format_money(Money(program.price_minor, program.currency)),
        publishable_key=keys_of(account).publishable_key,
        form=form,
        status=status,
    )


@bp.post(SUBSCRIBE + "/setup")
@client_required
def subscribe_setup(client_id: int):
    _membership, _program, account = _offer(client_id)
    if not CardSetupForm().validate_on_submit():
        return {"error": "This form has expired. Reload the page."}, 422
    try:
        return {"client_secret": card_payments.start_setup(account, current_user, save_card=True)}
    except StripeError:
        return UNREACHABLE


@bp.post(SUBSCRIBE)
@client_required
@allow_stripe
def subscribe(client_id: int):
    membership, program, account = _offer(client_id)
    form = CardPaymentForm()
    if not form.validate_on_submit():
        return _page(membership, program, account, form, status=422)
    try:
        row = subscriptions.subscribe(
            account, membership, current_user, program, form.setup_intent.data, clock.now()
        )
    except card_payments.PaymentRefused as refused:
        return {"error": str(refused)}, 422
    except StripeError as refused:
        return {"error": refused.user_message or "Stripe did not start the payments."}, 422
    db.session.commit()
    done = url_for("payments.subscribe_page", client_id=membership.id)
    return {"status": row.status, "client_secret": None, "next": done}
