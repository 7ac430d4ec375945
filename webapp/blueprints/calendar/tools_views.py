"""The coach's calendar tools: start date and horizon, shifting, copying."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user

from webapp import clock
from webapp.blueprints.calendar import bp
from webapp.blueprints.calendar.coach_page import (
    calendar_url,
    other_clients,
    page,
)
from webapp.blueprints.calendar.forms import CopyWeekForm, SettingsForm, ShiftForm
from webapp.extensions import db
from webapp.rules import RuleError
from webapp.services.calendar_edits import copy_week, shift_from
from webapp.web.auth_session import coach_required
from webapp.web.loaders import get_coach_client
from webapp.web.templating import short_date

# -- Settings, shifting and copying (plain forms; the page reloads) ------------------------


@bp.post("/clients/<int:client_id>/calendar/settings")
@coach_required
def settings(client_id: int):
    client = get_coach_client(client_id, for_update=True)
    form = SettingsForm()
    if not form.validate_on_submit():
        return page(client, status=422, settings_form=form)
    if form.start_date.data != client.start_date:
        # A date the coach chose is kept when a pending client joins.
        client.start_date = form.start_date.data
        client.start_date_set = True
    client.horizon_days = form.horizon_days
    db.session.commit()
    flash("Calendar settings saved.", "success")
    return redirect(url_for("calendar.coach_calendar", client_id=client.id))


@bp.post("/clients/<int:client_id>/calendar/shift")
@coach_required
def shift(client_id: int):
    client = get_coach_client(client_id, for_update=True)
    form = ShiftForm()
    if not form.validate_on_submit():
        return page(client, status=422, shift_form=form)
    try:
        moved = shift_from(
            client, form.from_date.data, form.days.data, mover_id=current_user.id, now=clock.now()
        )
    except RuleError as refused:
        db.session.rollback()
        form.days.errors = [str(refused)]
        return page(client, status=422, shift_form=form)
    db.session.commit()
    noun = "entry" if moved == 1 else "entries"
    flash(
        f"Moved {moved} {noun} from {short_date(form.from_date.data)} by {form.days.data} days.",
        "success",
    )
    return redirect(calendar_url(client, form.from_date.data))


@bp.post("/clients/<int:client_id>/calendar/copy")
@coach_required
def copy(client_id: int):
    client = get_coach_client(client_id)
    form = CopyWeekForm()
    form.target_client.choices = other_clients(client)
    if not form.validate_on_submit():
        return page(client, status=422, copy_form=form)
    target = get_coach_client(form.target_client.data, for_update=True)
    try:
        copied = copy_week(
            client, form.source_week.data, target, form.target_week.data, now=clock.now()
        )
    except RuleError as refused:
        form.source_week.errors = [str(refused)]
        return page(client, status=422, copy_form=form)
    db.session.commit()
    noun = "entry" if copied == 1 else "entries"
    flash(
        f"Copied {copied} {noun} from Week {form.source_week.data} to {target.name}'s "
        f"Week {form.target_week.data}.",
        "success",
    )
    return redirect(
        url_for("calendar.coach_calendar", client_id=target.id, week=form.target_week.data)
    )


# -- Needs training: now a section of Needs attention ---------------------------------------


@bp.get("/calendar/needs-training")
@coach_required
def needs_training():
    # The old address keeps working for bookmarks.
    return redirect(url_for("attention.index"), 301)
