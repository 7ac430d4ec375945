"""Leaving OnDeck: a client deletes their account, a coach closes theirs (after downloading
their data, once no client is active). Both ask for the password again; the workflows are in
webapp.services.erasure."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user

from webapp import clock
from webapp.blueprints.account import bp
from webapp.blueprints.account.erasure_forms import LeaveForm
from webapp.blueprints.account.views import current_password_given
from webapp.extensions import db
from webapp.rules.erasure import STAYS, ErasureRefused
from webapp.services import erasure
from webapp.services.erasure_plans import closing_plan
from webapp.web.auth_session import client_required, coach_required
from webapp.web.htmx import render
from webapp.web.session_lifetime import end as end_this_session

DELETED = "Your account is deleted. Everything that named you is gone."
CLOSED = "Your account is closed. Your clients no longer see your calendars."


@bp.get("/account/delete")
@client_required
def delete_page():
    return _delete_page(LeaveForm(formdata=None))


@bp.post("/account/delete")
@client_required
def delete():
    return _leave(erasure.delete_own_account, _delete_page, DELETED)


@bp.get("/account/close")
@coach_required
def close_page():
    return _close_page(LeaveForm(formdata=None))


@bp.post("/account/close")
@coach_required
def close():
    return _leave(erasure.close_account, _close_page, CLOSED)


def _leave(step, page, done: str):
    """With the password given again, run the erasure and commit it whole, then log out; or
    show why not, with nothing changed."""
    user = current_user._get_current_object()
    form = LeaveForm()
    if not (form.validate_on_submit() and current_password_given(user, form.current_password)):
        return page(form, status=422)
    try:
        step(user, clock.now())
    except ErasureRefused as refused:
        db.session.rollback()
        return page(form, refused=str(refused), status=409)
    db.session.commit()
    end_this_session()
    flash(done, "success")
    return redirect(url_for("auth.login"), 303)


def _delete_page(form: LeaveForm, *, refused: str | None = None, status: int = 200):
    return render(
        "account/delete.html",
        form=form,
        stays=STAYS,
        keep_until=erasure.keep_until(clock.now()),
        refused=refused,
        status=status,
    )


def _close_page(form: LeaveForm, *, refused: str | None = None, status: int = 200):
    return render(
        "account/close.html",
        form=form,
        plan=closing_plan(current_user.id, clock.now()),
        stays=STAYS,
        refused=refused,
        status=status,
    )
