"""Mail about sessions, on the account page: a coach's reminder times and agenda, a client's
own reminders on or off."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user, login_required

from webapp import clock
from webapp.blueprints.account import bp
from webapp.blueprints.account.forms import ClientRemindersForm, CoachRemindersForm
from webapp.blueprints.account.views import account_page
from webapp.extensions import db
from webapp.services.reminders import set_coach_reminders


@bp.post("/account/reminders")
@login_required
def reminders():
    user = current_user._get_current_object()
    form = CoachRemindersForm() if user.is_coach else ClientRemindersForm()
    if not form.validate_on_submit():
        return account_page(reminders_form=form, status=422)
    if isinstance(form, CoachRemindersForm):
        set_coach_reminders(user, form.minutes, form.agenda.data, clock.now())
        user.session_location = form.location.data or ""
        flash("Your reminder times are saved; sessions ahead follow them.", "success")
    else:
        user.reminders_off = not form.reminders.data
        user.training_digest = form.digest.data
        flash(f"Session reminders are {'on' if form.reminders.data else 'off'}.", "success")
    db.session.commit()
    return redirect(url_for("account.index") + "#account-reminders", 303)
