"""Your account: name, time zone and password, for coaches and clients alike."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user, login_required

from webapp.accounts import LoginRefused, change_password, confirm_password, start_session
from webapp.blueprints.account import bp
from webapp.blueprints.account.forms import ChangePasswordForm, DetailsForm
from webapp.extensions import db
from webapp.htmx import render


@bp.get("/account")
@login_required
def index():
    return _page(DetailsForm(obj=current_user), _password_form())


@bp.post("/account")
@login_required
def update():
    form = DetailsForm()
    if not form.validate_on_submit():
        return _page(form, _password_form(), status=422)
    user = current_user._get_current_object()
    user.name, user.time_zone = form.name.data, form.time_zone.data
    db.session.commit()
    flash("Your details are saved.", "success")
    return redirect(url_for("account.index"), 303)


@bp.post("/account/password")
@login_required
def password():
    user = current_user._get_current_object()
    form = _password_form()
    if form.validate_on_submit():
        try:
            confirm_password(user, form.current_password.data)
        except LoginRefused as refused:
            form.current_password.errors.append(str(refused))
        else:
            change_password(user, form.password.data)
            db.session.commit()
            # This browser stays logged in under the new session version; others are out.
            start_session(user)
            flash("Your password is changed. Other devices are logged out.", "success")
            return redirect(url_for("account.index"), 303)
    return _page(DetailsForm(obj=user), form, status=422)


def _password_form() -> ChangePasswordForm:
    return ChangePasswordForm(account_email=current_user.email)


def _page(details: DetailsForm, password_form: ChangePasswordForm, status: int = 200):
    return render("account/index.html", details=details, password_form=password_form, status=status)
