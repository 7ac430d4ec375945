"""Moving training from where the coach is: drag an entry to another day (or "Move to…"),
shift from a day, paste a copied week, and Undo. Each answers htmx with the calendar panel,
changed in place, with a notice (and an Undo button for a few seconds)."""

from __future__ import annotations

from datetime import date

from flask import session
from flask_login import current_user

from webapp import clock
from webapp.blueprints.calendar import bp
from webapp.blueprints.calendar.coach_page import (
    CLIPBOARD,
    calendar_url,
    panel_context,
    paste_form,
)
from webapp.blueprints.calendar.common import parse_day
from webapp.blueprints.calendar.forms import MoveForm, PasteWeekForm, ShiftHereForm, UndoForm
from webapp.extensions import db
from webapp.models import Client
from webapp.rules import RuleError
from webapp.rules.calendar import ensure_other_week, week_dates
from webapp.services.calendar_edits import copy_week, move_entry, shift_from
from webapp.services.calendar_moves import (
    SessionMove,
    batch_move_id,
    clear_week,
    parse_session_moves,
    shift_sessions,
    undo_moves,
)
from webapp.services.calendar_reads import time_zone_of
from webapp.web.auth_session import coach_required
from webapp.web.htmx import answer
from webapp.web.loaders import get_coach_client, get_coach_entry
from webapp.web.templating import long_date, short_date

TEMPLATE = "calendar/coach.html"


def changed(
    client: Client, show: date | None, text: str, *, undo=None, opened=None, status: int = 200
):
    """The panel with the change's notice; without JavaScript, the notice and the calendar.
    `opened` is another client's week the change went to, linked from the notice."""
    change = {"text": text, "error": status >= 400, "undo": undo, "opened": opened}
    return answer(
        TEMPLATE,
        "calendar_panel",
        lambda: panel_context(client, show, change=change),
        back=calendar_url(client, show or client.start_date),
        notice=text,
        category="error" if status >= 400 else "success",
        status=status,
        events=() if status >= 400 else ("training-moved",),
    )


def _undo(move_id: int | None, sessions: list[SessionMove] = ()) -> dict | None:
    if move_id is None and not sessions:
        return None
    return {"move": move_id, "sessions": [s.token() for s in sessions]}


@bp.post("/clients/<int:client_id>/calendar/entries/<int:entry_id>/move")
@coach_required
def move(client_id: int, entry_id: int):
    client, entry = get_coach_entry(client_id, entry_id, for_update=True)
    form = MoveForm()
    if not form.validate_on_submit():
        return changed(client, entry.on_date, " ".join(form.on_date.errors), status=422)
    to, now = form.on_date.data, clock.now()
    if not move_entry(entry, to, mover_id=current_user.id, now=now):
        return changed(client, to, f"“{entry.title}” is already on {long_date(to)}.")
    db.session.commit()
    undo = _undo(batch_move_id(client, current_user.id, now))
    return changed(client, to, f"“{entry.title}” moved to {long_date(to)}.", undo=undo)


@bp.post("/clients/<int:client_id>/calendar/days/<iso>/shift")
@coach_required
def shift_here(client_id: int, iso: str):
    client = get_coach_client(client_id, for_update=True)
    start, form = parse_day(iso), ShiftHereForm()
    if not form.validate_on_submit():
        return changed(client, start, " ".join(form.days.errors), status=422)
    days, now = form.days.data, clock.now()
    try:
        moved = shift_from(client, start, days, mover_id=current_user.id, now=now)
        sessions = []
        if form.sessions_too.data:
            sessions = shift_sessions(
                client, start, days, time_zone_of(client), mover_id=current_user.id, now=now
            )
    except RuleError as refused:
        db.session.rollback()
        return changed(client, start, str(refused), status=422)
    db.session.commit()
    text = f"Moved {moved} {'entry' if moved == 1 else 'entries'}"
    if form.sessions_too.data:
        text += f" and {len(sessions)} {'session' if len(sessions) == 1 else 'sessions'}"
    text += f" from {short_date(start)} by {days} days."
    undo = _undo(batch_move_id(client, current_user.id, now), sessions)
    return changed(client, date.fromordinal(start.toordinal() + days), text, undo=undo)


@bp.post("/clients/<int:client_id>/calendar/undo")
@coach_required
def undo(client_id: int):
    client = get_coach_client(client_id, for_update=True)
    form = UndoForm()
    sessions = parse_session_moves([s for s in form.session.data if s])
    back = None
    if form.validate_on_submit():
        back = undo_moves(
            client, form.move.data, sessions, mover_id=current_user.id, now=clock.now()
        )
    if back is None:
        db.session.rollback()
        return changed(client, None, "There is nothing to undo.", status=422)
    db.session.commit()
    return changed(client, None, "Put back." if back else "Already put back.")


@bp.post("/clients/<int:client_id>/calendar/weeks/<int:week>/copy")
@coach_required
def paste(client_id: int, week: int):
    client = get_coach_client(client_id)
    form = paste_form(client, week, PasteWeekForm())
    if not form.validate_on_submit():
        return changed(client, None, _first_error(form), status=422)
    target = get_coach_client(form.target_client.data, for_update=True)
    try:
        ensure_other_week(client.id, week, target.id, form.target_week.data)
        cleared = clear_week(target, form.target_week.data) if form.mode.data == "replace" else 0
        copied = copy_week(client, week, target, form.target_week.data, now=clock.now())
    except RuleError as refused:
        db.session.rollback()
        return changed(client, None, str(refused), status=422)
    db.session.commit()
    return _pasted(client, target, form.target_week.data, copied, cleared, form.on_page.data)


def _pasted(source: Client, target: Client, week: int, copied: int, cleared: int, on_page):
    """The panel of the calendar the coach is on: the source's after Copy week, the target's
    (at the pasted week) after its Paste bar."""
    text = pasted_text(copied, cleared, target, week, source)
    if str(target.id) == on_page or target.id == source.id:
        return changed(target, week_dates(target.start_date, week)[0], text)
    return changed(source, None, text, opened=(target, week))


@bp.post("/clients/<int:client_id>/calendar/weeks/<int:week>/clip")
@coach_required
def clip(client_id: int, week: int):
    """Copy a week to paste it on any client's week: kept for this browser's session."""
    client = get_coach_client(client_id)
    if not 1 <= week <= 520:
        return changed(client, None, "Weeks start at 1.", status=422)
    session[CLIPBOARD] = {"client": client.id, "week": week}
    text = f"Week {week} copied: open any client's week and paste it there."
    return changed(client, None, text)


def _first_error(form) -> str:
    return next(iter(error for field in form for error in field.errors), "Check the form.")


def pasted_text(copied: int, cleared: int, target: Client, week: int, source: Client) -> str:
    whose = "" if target.id == source.id else f"{target.name}'s "
    text = f"Copied {copied} {'entry' if copied == 1 else 'entries'} to {whose}Week {week}"
    return text + (f", replacing {cleared}." if cleared else ".")
