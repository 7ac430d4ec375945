"""Your account: name, time zone and password, for coaches and clients alike (the email
address is in email_views)."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user, login_required
from wtforms import Field

from webapp import clock
from webapp.blueprints.account import bp
from webapp.blueprints.account.forms import (
    ChangePasswordForm,
    ClientRemindersForm,
    CoachRemindersForm,
    DetailsForm,
    EmailChangeForm,
)
from webapp.extensions import db
from webapp.models import User
from webapp.rules.reminders import offsets_field_text, stored_offsets
from webapp.services.email_changes import waiting_change
from webapp.services.reminders import reschedule
from webapp.services.users import LoginRefused, change_password
from webapp.web.htmx import render
from webapp.web.login import confirm_password, start_session


@bp.get("/account")
@login_required
def index():
    return account_page()


@bp.post("/account")
@login_required
def update():
    form = DetailsForm()
    if not form.validate_on_submit():
        return account_page(details=form, status=422)
    user = current_user._get_current_object()
    moved = user.time_zone != form.time_zone.data
    user.name, user.time_zone = form.name.data, form.time_zone.data
    if moved:
        reschedule(clock.now(), client=user)  # whole days before a session follow the zone
    db.session.commit()
    flash("Your details are saved.", "success")
    return redirect(url_for("account.index"), 303)


@bp.post("/account/password")
@login_required
def password():
    user = current_user._get_current_object()
    form = _password_form()
    if form.validate_on_submit() and current_password_given(user, form.current_password):
        change_password(user, form.password.data, clock.now())
        db.session.commit()
        # This browser stays logged in under the new session version; others are out.
        start_session(user)
        flash("Your password is changed. Other devices are logged out.", "success")
        return redirect(url_for("account.index"), 303)
    return account_page(password_form=form, status=422)


def current_password_given(user: User, field: Field) -> bool:
    """Whether `field` holds the user's password; if not, the field says why (a wrong one
    counts as a failed log-in)."""
    try:
        confirm_password(user, field.data, clock.now())
    except LoginRefused as refused:
        field.errors.append(str(refused))
        return False
    return True


def _password_form() -> ChangePasswordForm:
    return ChangePasswordForm(account_email=current_user.email, account_name=current_user.name)


def account_page(
    *,
    details: DetailsForm | None = None,
    password_form: ChangePasswordForm | None = None,
    email_form: EmailChangeForm | None = None,
    reminders_form: CoachRemindersForm | ClientRemindersForm | None = None,
    status: int = 200,
):
    """The account page; a form passed in (with its errors) replaces its blank one."""
    user = current_user._get_current_object()
    return render(
        "account/index.html",
        details=details or DetailsForm(obj=user),
        password_form=password_form or _password_form(),
        email_form=email_form or EmailChangeForm(formdata=None),
        waiting=waiting_change(user, clock.now()),
        reminders_form=reminders_form or blank_reminders_form(user),
        status=status,
    )


def blank_reminders_form(user: User) -> CoachRemindersForm | ClientRemindersForm:
    if user.is_coach:
        shown = offsets_field_text(stored_offsets(user.reminder_offsets))
        return CoachRemindersForm(
            formdata=None, offsets=shown, agenda=user.agenda_email, location=user.session_location
        )
    return ClientRemindersForm(
        formdata=None, reminders=not user.reminders_off, digest=user.training_digest
    )
