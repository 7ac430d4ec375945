"""The coach's side: one client's calendar, written and rescheduled inline."""

from __future__ import annotations

from datetime import date

from flask import abort, redirect, request, url_for
from flask_login import current_user

from webapp import clock
from webapp.blueprints.calendar import bp
from webapp.blueprints.calendar.coach_page import (
    calendar_url,
    page,
    placed_sessions,
)
from webapp.blueprints.calendar.common import parse_day, scope_ids
from webapp.blueprints.calendar.forms import EditEntryForm, EntryForm
from webapp.extensions import db
from webapp.models import CalendarEntry, Client
from webapp.models.database import read_only
from webapp.services.calendar_edits import add_entry, move_entry, reorder
from webapp.services.calendar_reads import (
    client_today,
    days,
    entries_and_moves_between,
    moves_of,
    time_zone_of,
)
from webapp.web.auth_session import coach_required
from webapp.web.converters import form_id
from webapp.web.htmx import answer, in_place_of, is_htmx, render
from webapp.web.loaders import get_coach_client, get_coach_entry
from webapp.web.response_cache import cached
from webapp.web.templating import long_date


@bp.get("/clients/<int:client_id>/calendar")
@coach_required
@cached
def coach_calendar(client_id: int):
    return page(get_coach_client(client_id))


# -- One day: display and inline editor ---------------------------------------------------


def _day(client: Client, on: date, *, editing: bool, status: int = 200, **forms):
    return render(
        "calendar/day.html", "day", status=status, **_day_context(client, on, editing, **forms)
    )


def _day_context(client: Client, on: date, editing: bool, **forms) -> dict:
    entries, moves = entries_and_moves_between(client.id, on, on)
    today = client_today(client, clock.now())
    add_form = forms.get("add_form") or EntryForm(formdata=None)
    edit_form = forms.get("edit_form")
    return {
        "client": client,
        "day": days(client, [on], entries, today)[0],
        "moves": moves,
        "editing": editing,
        "add_form": scope_ids(add_form, f"new-{on.isoformat()}"),
        "edit_form": scope_ids(edit_form, f"entry-{forms['edit_id']}") if edit_form else None,
        "edit_id": forms.get("edit_id"),
        "notice": forms.get("notice"),
        "calendar_url": calendar_url(client, on),
        "back_url": calendar_url(client, on),
        "sessions": placed_sessions(client, on, on),
        "time_zone": time_zone_of(client),
        "compact": request.args.get("compact") == "1",
    }


@bp.get("/clients/<int:client_id>/calendar/days/<iso>")
@coach_required
def coach_day(client_id: int, iso: str):
    return _day(get_coach_client(client_id), parse_day(iso), editing=False)


@bp.get("/clients/<int:client_id>/calendar/days/<iso>/edit")
@coach_required
def edit_day(client_id: int, iso: str):
    on = parse_day(iso)
    asked = request.args.get("entry")
    if asked is None:
        return _day(get_coach_client(client_id), on, editing=True)
    entry_id = form_id(asked)
    if entry_id is None:
        abort(404)
    client, entry = get_coach_entry(client_id, entry_id)
    if entry.on_date != on:
        abort(404)
    form = EditEntryForm(formdata=None, obj=entry)
    form.on_date.data = entry.on_date
    if is_htmx():  # in the open day: only this entry changes
        return _entry_in_place(client, entry, scope_ids(form, f"entry-{entry.id}"))
    return _day(client, on, editing=True, edit_form=form, edit_id=entry.id)


@bp.get("/clients/<int:client_id>/calendar/entries/<int:entry_id>")
@coach_required
def show_entry(client_id: int, entry_id: int):
    """One entry of the open day, its editor closed (the editor's Cancel)."""
    client, entry = get_coach_entry(client_id, entry_id)
    if not is_htmx():
        compact = request.args.get("compact")
        iso = entry.on_date.isoformat()
        return redirect(url_for("calendar.edit_day", client_id=client.id, iso=iso, compact=compact))
    return _entry_in_place(client, entry)


def _entry_in_place(client: Client, entry: CalendarEntry, edit_form=None, status: int = 200):
    """htmx gets one entry of the open day, with its editor or without, and the rest of the day
    (a new entry half typed, say) stays as the coach left it."""
    context = {
        "client": client,
        "entry": entry,
        "moves": {} if edit_form else moves_of(entry.id),
        "edit_form": edit_form,
        "edit_id": entry.id,
        "compact": request.args.get("compact") == "1",
    }
    return in_place_of(f"#entry-{entry.id}", "calendar/_day_entry.html", context, status=status)


def _after_change(client: Client, on: date, notice: str | None = None, *events: str):
    """htmx gets the day's editor back; a browser is sent to the editor page (no resubmits).
    The change is committed: the editor is read outside a transaction (two round trips
    fewer on PostgreSQL)."""
    read_only(db.session())
    compact = request.args.get("compact")
    return answer(
        "calendar/day.html",
        "day",
        lambda: _day_context(client, on, True, notice=notice),
        back=url_for("calendar.edit_day", client_id=client.id, iso=on.isoformat(), compact=compact),
        notice=notice,
        events=events,
    )


@bp.post("/clients/<int:client_id>/calendar/days/<iso>/entries")
@coach_required
def add(client_id: int, iso: str):
    client = get_coach_client(client_id, for_update=True)
    on = parse_day(iso)
    form = EntryForm()
    if not form.validate_on_submit():
        return _day(client, on, editing=True, status=422, add_form=form)
    add_entry(client, on, form.title.data, form.body.data or "", form.at_time.data, now=clock.now())
    db.session.commit()
    return _after_change(client, on)


@bp.post("/clients/<int:client_id>/calendar/entries/<int:entry_id>")
@coach_required
def update(client_id: int, entry_id: int):
    client, entry = get_coach_entry(client_id, entry_id, for_update=True)
    was = entry.on_date
    form = EditEntryForm()
    if not form.validate_on_submit():
        if is_htmx():
            return _entry_in_place(client, entry, scope_ids(form, f"entry-{entry.id}"), 422)
        return _day(client, was, editing=True, status=422, edit_form=form, edit_id=entry.id)
    entry.title = form.title.data
    entry.body = form.body.data or ""
    entry.at_time = form.at_time.data
    notice = None
    if form.on_date.data != was:
        move_entry(entry, form.on_date.data, mover_id=current_user.id, now=clock.now())
        notice = f"“{entry.title}” moved to {long_date(form.on_date.data)}."
    db.session.commit()
    if notice is None and is_htmx():
        read_only(db.session())  # committed: the entry is drawn outside a transaction
        return _entry_in_place(client, entry)
    events = ("calendar-changed",) if notice else ()
    return _after_change(client, was, notice, *events)


@bp.post("/clients/<int:client_id>/calendar/entries/<int:entry_id>/delete")
@coach_required
def delete(client_id: int, entry_id: int):
    client, entry = get_coach_entry(client_id, entry_id, for_update=True)
    on = entry.on_date
    db.session.delete(entry)
    db.session.commit()
    return _after_change(client, on)


@bp.post("/clients/<int:client_id>/calendar/entries/<int:entry_id>/<any(up, down):direction>")
@coach_required
def order(client_id: int, entry_id: int, direction: str):
    client, entry = get_coach_entry(client_id, entry_id, for_update=True)
    reorder(entry, -1 if direction == "up" else 1)
    db.session.commit()
    return _after_change(client, entry.on_date)
