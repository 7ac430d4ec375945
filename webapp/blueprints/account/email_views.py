"""Changing your email: ask from the account page, then confirm through the emailed link."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user, login_required

from webapp import clock
from webapp.blueprints.account import bp
from webapp.blueprints.account.forms import EmailChangeForm
from webapp.blueprints.account.views import account_page, current_password_given
from webapp.extensions import db
from webapp.rules.credentials import EmailChangeError, LinkError
from webapp.services.email_changes import (
    LINK_HOURS,
    cancel_waiting_changes,
    confirm_email_change,
    load_email_change,
    request_email_change,
)
from webapp.web.htmx import render
from webapp.web.login import public_post_allowed
from webapp.web.refusals import refusal, too_many_attempts


@bp.post("/account/email")
@login_required
def change_email():
    user = current_user._get_current_object()
    form = EmailChangeForm()
    if form.validate_on_submit() and current_password_given(user, form.current_password):
        try:
            request_email_change(user, form.email.data, clock.now())
        except EmailChangeError as refused:
            db.session.rollback()
            form.email.errors.append(str(refused))
        else:
            db.session.commit()
            flash(
                f"We sent a link to {form.email.data}. Open it within {LINK_HOURS} hours to "
                f"finish the change; until then you log in with {user.email}.",
                "success",
            )
            return redirect(url_for("account.index"), 303)
    return account_page(email_form=form, status=422)


@bp.post("/account/email/cancel")
@login_required
def cancel_email_change():
    if cancel_waiting_changes(current_user._get_current_object(), clock.now()):
        flash("The email change is cancelled: the link sent for it no longer works.", "success")
    db.session.commit()
    return redirect(url_for("account.index"), 303)


@bp.get("/account/email/confirm/<token>")
def confirm_email(token: str):
    try:
        change, user = load_email_change(token, clock.now())
    except LinkError as refused:
        return _dead_link(refused)
    return render("account/confirm_email.html", change=change, user=user)


@bp.post("/account/email/confirm/<token>")
def confirm_email_post(token: str):
    if not public_post_allowed("email-change", token, clock.now()):
        return too_many_attempts()
    now = clock.now()
    try:
        change, user = load_email_change(token, now)
        confirm_email_change(change, user, now)
    except LinkError as refused:
        db.session.rollback()
        return _dead_link(refused)
    db.session.commit()
    flash(f"Your email address is now {user.email}. Use it to log in.", "success")
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"), 303)
    # Someone else logged in here stays so; the change was the link holder's to make.
    own = current_user.id == user.id
    return redirect(url_for("account.index") if own else url_for("main.index"), 303)


def _dead_link(refused: LinkError):
    return refusal(
        "Email confirmation link not valid", str(refused), 404, ask_again=url_for("account.index")
    )
