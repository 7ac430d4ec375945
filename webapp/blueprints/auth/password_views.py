"""Forgotten password: ask for a link by email, then choose a new password through it."""

from __future__ import annotations

from flask import flash, redirect, url_for

from webapp import clock
from webapp.blueprints.auth import bp
from webapp.blueprints.auth.forms import ForgotPasswordForm
from webapp.extensions import db
from webapp.rules.credentials import RESET_LINK_LIFETIME, LinkError
from webapp.services.password_resets import load_reset, send_reset_link, use_reset
from webapp.services.users import find_user
from webapp.web.htmx import render
from webapp.web.login import home_for, public_post_allowed, start_session
from webapp.web.password_forms import NewPasswordForm
from webapp.web.refusals import refusal, too_many_attempts

LINK_MINUTES = int(RESET_LINK_LIFETIME.total_seconds() // 60)


@bp.get("/password/forgot")
def forgot_password():
    return render("auth/forgot_password.html", form=ForgotPasswordForm())


@bp.post("/password/forgot")
def forgot_password_post():
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return render("auth/forgot_password.html", form=form, status=422)
    if not public_post_allowed("forgot", form.email.data, clock.now()):
        return too_many_attempts()
    send_reset_link(find_user(form.email.data), clock.now())
    db.session.commit()
    # The same answer whether or not the email has an account.
    return render("auth/reset_sent.html", email=form.email.data, minutes=LINK_MINUTES)


@bp.get("/password/reset/<token>")
def reset_password(token: str):
    try:
        _reset, user = load_reset(token, clock.now())
    except LinkError as refused:
        return _dead_link(refused)
    return render(
        "auth/reset_password.html",
        form=_new_password_form(user),
    )


@bp.post("/password/reset/<token>")
def reset_password_post(token: str):
    if not public_post_allowed("reset", token, clock.now()):
        return too_many_attempts()
    now = clock.now()
    try:
        reset, user = load_reset(token, now)
    except LinkError as refused:
        return _dead_link(refused)
    form = _new_password_form(user)
    if not form.validate_on_submit():
        return render("auth/reset_password.html", form=form, status=422)
    try:
        use_reset(reset, user, form.password.data, now)
    except LinkError as refused:
        db.session.rollback()
        return _dead_link(refused)
    db.session.commit()
    # Logging in replaces whoever this browser was logged in as.
    start_session(user)
    flash(
        "Your password is changed, and you are logged in. Other devices are logged out.", "success"
    )
    return redirect(home_for(user))


def _new_password_form(user) -> NewPasswordForm:
    return NewPasswordForm(account_email=user.email, account_name=user.name)


def _dead_link(refused: LinkError):
    return refusal(
        "Password reset link not valid",
        str(refused),
        404,
        ask_again=url_for("auth.forgot_password"),
    )
