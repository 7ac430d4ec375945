"""The coach's Payments settings (their own Stripe account) and manual payments."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_login import current_user

from webapp import clock
from webapp.blueprints.payments import bp
from webapp.blueprints.payments.forms import DuePaidForm, ManualPaymentForm, StripeKeysForm
from webapp.extensions import db
from webapp.rules.money import Money
from webapp.rules.payments import LedgerStatus, ManualMethod, PaymentError
from webapp.services.amounts import format_money
from webapp.services.payment_due import due_amount, due_of_client
from webapp.services.payments import (
    account_of,
    disconnect,
    record_manual,
    save_keys,
    statement,
    test_connection,
    webhook_url,
)
from webapp.services.refunds import refund_unused, refundable
from webapp.services.webhooks import HANDLERS
from webapp.web.auth_session import coach_required
from webapp.web.htmx import answer, render
from webapp.web.loaders import get_client_booking, get_coach_client
from webapp.web.response_cache import cached

SETTINGS = "payments/settings.html"


def _settings(form: StripeKeysForm | None = None, status: int = 200):
    account = account_of(current_user.id)
    return render(
        SETTINGS,
        block="stripe",
        form=form or StripeKeysForm(formdata=None),
        account=account,
        webhook_url=webhook_url(account) if account else None,
        webhook_events=sorted(HANDLERS),
        status=status,
    )


@bp.get("/payments/settings")
@coach_required
def settings():
    return _settings()


@bp.post("/payments/settings")
@coach_required
def save_settings():
    form = StripeKeysForm()
    if not form.validate_on_submit():
        return _settings(form, status=422)
    save_keys(current_user.id, form.keys)
    db.session.commit()
    return _changed("Stripe keys saved. Paste the webhook URL below into Stripe, then test.")


@bp.post("/payments/settings/test")
@coach_required
def check_settings():
    account = account_of(current_user.id, for_update=True)
    if account is None:
        return _changed("Save your Stripe keys first, then test them.", category="error")
    error = test_connection(account, clock.now())
    db.session.commit()
    if error:
        return _changed(f"Stripe did not accept the connection: {error}", category="error")
    return _changed("Connected: Stripe accepted the secret key.")


@bp.post("/payments/settings/disconnect")
@coach_required
def disconnect_settings():
    disconnect(current_user.id)
    db.session.commit()
    return _changed("Stripe disconnected. Record payments by hand on each client's page.")


def _changed(notice: str, category: str = "success"):
    account = account_of(current_user.id)
    context = {
        "form": StripeKeysForm(formdata=None),
        "account": account,
        "webhook_url": webhook_url(account) if account else None,
        "notice": notice,
        "category": category,
    }
    back = url_for("payments.settings")
    return answer(SETTINGS, "stripe", context, back=back, notice=notice, category=category)


def _client_page(client, form: ManualPaymentForm | None = None, status: int = 200):
    if client.user_id is None:
        abort(404)  # no account yet: nothing is booked or paid
    return render(
        "payments/client.html",
        client=client,
        statement=statement(current_user.id, client.user_id),
        refundable=refundable(current_user.id, client.user_id),
        due=due_of_client(current_user.id, client.user_id),
        due_form=DuePaidForm(formdata=None),
        form=form or ManualPaymentForm(formdata=None),
        status=status,
    )


@bp.get("/clients/<int:client_id>/payments")
@coach_required
@cached
def client_payments(client_id: int):
    return _client_page(get_coach_client(client_id))


@bp.post("/clients/<int:client_id>/payments/manual")
@coach_required
def record_payment(client_id: int):
    client = get_coach_client(client_id)
    form = ManualPaymentForm()
    if client.user_id is None or not form.validate_on_submit():
        return _client_page(client, form, status=422)
    entry, new = record_manual(
        coach_id=current_user.id,
        client_user_id=client.user_id,
        amount=form.money,
        method=ManualMethod(form.method.data),
        note=form.note.data or "",
        form_key=form.key.data,
        now=clock.now(),
    )
    db.session.commit()
    amount = format_money(form.money)
    flash(
        f"Payment of {amount} recorded." if new else f"That {amount} was already recorded.",
        "success",
    )
    return redirect(url_for("payments.client_payments", client_id=client.id), 303)


@bp.post("/clients/<int:client_id>/payments/due/<int:booking_id>")
@coach_required
def record_due_paid(client_id: int, booking_id: int):
    client = get_coach_client(client_id)
    booking = get_client_booking(client, booking_id)
    back = url_for("payments.client_payments", client_id=client.id)
    form = DuePaidForm()
    if not form.validate_on_submit():
        flash("That form was out of date: choose how they paid and record it again.", "error")
        return _client_page(client, status=422)
    amount = due_amount(booking)
    if amount is None:  # paid meanwhile: by card, or by this same form sent twice
        flash("Nothing is due on that booking any more.", "success")
        return redirect(back, 303)
    record_manual(
        coach_id=current_user.id,
        client_user_id=booking.client_user_id,
        amount=amount,
        method=ManualMethod(form.method.data),
        note="",
        form_key=form.key.data,
        now=clock.now(),
        booking_id=booking.id,
    )
    db.session.commit()
    flash(f"{format_money(amount)} recorded as paid; nothing is due on that booking.", "success")
    return redirect(back, 303)


@bp.post("/clients/<int:client_id>/payments/<int:entry_id>/refund")
@coach_required
def refund(client_id: int, entry_id: int):
    client = get_coach_client(client_id)
    account = account_of(current_user.id)
    back = url_for("payments.client_payments", client_id=client.id)
    if account is None or client.user_id is None:
        abort(404)
    try:
        entry = refund_unused(account, entry_id, clock.now(), client_user_id=client.user_id)
    except PaymentError as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(back, 303)
    amount = format_money(Money(entry.amount_minor, entry.currency))
    if entry.status == LedgerStatus.FAILED:
        flash(f"Stripe did not refund {amount}: {entry.failure}", "error")
    else:
        voided = entry.sessions_voided
        flash(f"Refunded {amount}; {voided} unused session(s) voided.", "success")
    return redirect(back, 303)
