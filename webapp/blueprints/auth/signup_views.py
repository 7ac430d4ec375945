"""Confirming a sign-up through the emailed link: the page asks, only the post makes the account
(a mail scanner that opens the link changes nothing)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, url_for
from flask_login import current_user

from webapp import clock
from webapp.blueprints.auth import bp
from webapp.blueprints.auth.forms import ConfirmSignupForm
from webapp.extensions import db
from webapp.models import Program
from webapp.rules import RuleError
from webapp.rules.credentials import LinkError
from webapp.rules.identity import AccountExists, WrongSignupPassword
from webapp.rules.invites import InviteError
from webapp.services import signups
from webapp.services.invitations import join_program
from webapp.web.htmx import render
from webapp.web.login import public_post_allowed, start_session
from webapp.web.refusals import Refused, too_many_attempts


@bp.get("/signup/confirm/<token>")
def confirm_signup(token: str):
    signup, program = _load(token)
    return _page(signup, program, ConfirmSignupForm())


@bp.post("/signup/confirm/<token>")
def confirm_signup_post(token: str):
    if not public_post_allowed("signup-confirm", token, clock.now()):
        return too_many_attempts()
    signup, program = _load(token)
    form = ConfirmSignupForm()
    if not form.validate_on_submit():
        return _page(signup, program, form, status=422)
    now = clock.now()
    try:
        user = signups.confirm_signup(signup, form.password.data, now)
    except WrongSignupPassword as wrong:
        db.session.rollback()
        form.password.errors.append(str(wrong))
        return _page(signup, program, form, status=422)
    except RuleError as refused:
        db.session.rollback()
        raise _dead_link(refused, program) from refused
    client, not_joined = _join(program, user)
    db.session.commit()
    start_session(user)
    return _welcome(client, program, not_joined)


def _welcome(client, program: Program | None, not_joined: str | None):
    """Where a new account lands: its program, its home with why it did not join, or setup."""
    if client is not None:
        return redirect(url_for("invitations.welcome", client_id=client.id), 303)
    if not_joined:
        flash(f"Your account is ready, but you did not join {program.name}: {not_joined}", "info")
        return redirect(url_for("main.client_home"), 303)
    flash("Welcome to OnDeck. Create your first program to get started.", "success")
    return redirect(url_for("programs.index"), 303)


def _join(program: Program | None, user):
    """(client, None) when the sign-up's program took them, (None, reason) when it no longer
    takes joins, (None, None) when there was no program."""
    if program is None:
        return None, None
    if not program.join_enabled:
        return None, "its join link has been turned off. Ask your coach for a new one."
    try:
        with db.session.begin_nested():
            return join_program(program, user, clock.now()), None
    except (InviteError, sa.exc.IntegrityError) as refused:
        return None, str(refused) if isinstance(refused, InviteError) else "Please try again."


def _load(token: str):
    """(sign-up, its program) while the link can make the account; raises `Refused`."""
    if current_user.is_authenticated:
        raise Refused(
            "Log out first",
            f"You are logged in as {current_user.email}. Log out, then open the link from the "
            "email again to finish signing up.",
            403,
            offer_logout=True,
        )
    try:
        signup = signups.load_signup(token)
    except LinkError as refused:
        raise Refused("Sign-up link not valid", str(refused), 404) from refused
    program = db.session.get(Program, signup.program_id) if signup.program_id else None
    try:
        signups.check_signup(signup, clock.now())
    except RuleError as refused:
        raise _dead_link(refused, program) from refused
    return signup, program


def _dead_link(refused: RuleError, program: Program | None) -> Refused:
    if isinstance(refused, AccountExists):
        return Refused("This email already has an account", str(refused), 409)
    # A coach signs up again from the sign-up page; a client, from their coach's join link.
    again = None if program else url_for("auth.signup")
    return Refused("Sign-up link not valid", str(refused), 410, ask_again=again)


def _page(signup, program, form, status: int = 200):
    return render(
        "auth/confirm_signup.html", status=status, signup=signup, program=program, form=form
    )
