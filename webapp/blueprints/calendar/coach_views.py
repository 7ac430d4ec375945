"""The coach's side: one client's calendar, written and rescheduled inline."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from webapp import clock
from webapp.auth_session import coach_required
from webapp.blueprints.calendar import bp
from webapp.blueprints.calendar.common import parse_day, scope_ids
from webapp.blueprints.calendar.forms import (
    CopyWeekForm,
    EditEntryForm,
    EntryForm,
    SettingsForm,
    ShiftForm,
)
from webapp.blueprints.calendar.queries import (
    days,
    entries_between,
    entries_on,
    moves_for,
    needs_training_ids,
    time_zone_of,
)
from webapp.blueprints.calendar.workflows import (
    add_entry,
    copy_week,
    move_entry,
    reorder,
    shift_from,
)
from webapp.extensions import db
from webapp.htmx import is_htmx, render, trigger
from webapp.loaders import get_coach_client, get_coach_entry
from webapp.models import Client, Program
from webapp.rules import RuleError
from webapp.rules.calendar import (
    client_today,
    ensure,
    last_visible_date,
    may_move,
    may_write,
    week_dates,
    week_of,
)
from webapp.templating import long_date, short_date


def _today(client: Client) -> date:
    return client_today(clock.now(), time_zone_of(client))


def _calendar_url(client: Client, on: date) -> str:
    return url_for(
        "calendar.coach_calendar", client_id=client.id, week=week_of(on, client.start_date)
    )


def _allowed_to_write() -> None:
    # The loaders already limit the coach to their own clients; the rule states who writes.
    ensure(may_write(is_program_coach=current_user.is_coach))


# -- The calendar: week and month --------------------------------------------------------


def _month_dates(month: date) -> list[date]:
    """Whole Monday-to-Sunday weeks covering the month."""
    first = month.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    start = first - timedelta(days=first.weekday())
    end = last + timedelta(days=6 - last.weekday())
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _parse_month(raw: str | None, today: date) -> date:
    if raw:
        try:
            year, month = (int(part) for part in raw.split("-", 1))
            return date(year, month, 1)
        except ValueError:
            abort(404)
    return today.replace(day=1)


def _shift_month(month: date, by: int) -> date:
    index = month.year * 12 + month.month - 1 + by
    return date(index // 12, index % 12 + 1, 1)


def _parse_week(raw: str | None, client: Client, today: date) -> int:
    if raw is None:
        return max(week_of(today, client.start_date), 1)
    try:
        week = int(raw)
    except ValueError:
        abort(404)
    if not -520 <= week <= 520:
        abort(404)
    return week


def _panel_context(client: Client) -> dict:
    tz = time_zone_of(client)
    today = client_today(clock.now(), tz)
    view = "month" if request.args.get("view") == "month" else "week"
    context: dict = {"view": view, "today": today, "time_zone": tz}
    if view == "month":
        month = _parse_month(request.args.get("month"), today)
        dates = _month_dates(month)
        context.update(
            month=month,
            prev_url=url_for(
                "calendar.coach_calendar",
                client_id=client.id,
                view="month",
                month=f"{_shift_month(month, -1):%Y-%m}",
            ),
            next_url=url_for(
                "calendar.coach_calendar",
                client_id=client.id,
                view="month",
                month=f"{_shift_month(month, 1):%Y-%m}",
            ),
            self_url=url_for(
                "calendar.coach_calendar", client_id=client.id, view="month", month=f"{month:%Y-%m}"
            ),
            other_view_url=url_for(
                "calendar.coach_calendar",
                client_id=client.id,
                week=max(week_of(month, client.start_date), 1),
            ),
        )
    else:
        week = _parse_week(request.args.get("week"), client, today)
        dates = week_dates(client.start_date, week)
        context.update(
            week=week,
            prev_url=url_for("calendar.coach_calendar", client_id=client.id, week=week - 1),
            next_url=url_for("calendar.coach_calendar", client_id=client.id, week=week + 1),
            self_url=url_for("calendar.coach_calendar", client_id=client.id, week=week),
            other_view_url=url_for(
                "calendar.coach_calendar",
                client_id=client.id,
                view="month",
                month=f"{dates[0]:%Y-%m}",
            ),
        )
    entries = entries_between(client.id, dates[0], dates[-1])
    context.update(
        days=days(client, dates, entries, today),
        moves=moves_for([e.id for e in entries]),
        last_visible=last_visible_date(today, client.horizon_days),
    )
    return context


def _other_clients(client: Client) -> list[tuple[int, str]]:
    rows = db.session.execute(
        sa.select(Client.id, Client.name, Program.name)
        .join(Program, Program.id == Client.program_id)
        .where(Program.coach_id == current_user.id, Client.state.in_(("pending", "active")))
        .order_by(Client.name, Client.id)
    ).all()
    return [
        (cid, f"{name} ({program})" + (" — this client" if cid == client.id else ""))
        for cid, name, program in rows
    ]


def _tool_forms(client: Client, today: date, **given) -> dict:
    settings = given.get("settings_form") or SettingsForm(
        formdata=None,
        start_date=client.start_date,
        horizon="all" if client.horizon_days is None else str(client.horizon_days),
    )
    shift = given.get("shift_form") or ShiftForm(formdata=None, from_date=today, days=7)
    week = max(week_of(today, client.start_date), 1)
    copy = given.get("copy_form") or CopyWeekForm(
        formdata=None, source_week=week, target_client=client.id, target_week=week + 1
    )
    copy.target_client.choices = _other_clients(client)
    return {"settings_form": settings, "shift_form": shift, "copy_form": copy}


def _page(client: Client, status: int = 200, **given):
    context = _panel_context(client)
    program = db.session.get(Program, client.program_id)
    flagged = needs_training_ids([client], clock.now()) if client.state == "active" else set()
    return render(
        "calendar/coach.html",
        block="calendar_panel",
        status=status,
        client=client,
        program=program,
        needs_training=client.id in flagged,
        **context,
        **_tool_forms(client, context["today"], **given),
    )


@bp.get("/clients/<int:client_id>/calendar")
@coach_required
def coach_calendar(client_id: int):
    return _page(get_coach_client(client_id))


# -- One day: display and inline editor ---------------------------------------------------


def _day(client: Client, on: date, *, editing: bool, status: int = 200, **forms):
    entries = entries_on(client.id, on)
    today = _today(client)
    add_form = forms.get("add_form") or EntryForm(formdata=None)
    edit_form = forms.get("edit_form")
    return render(
        "calendar/day.html",
        block="day",
        status=status,
        client=client,
        day=days(client, [on], entries, today)[0],
        moves=moves_for([e.id for e in entries]),
        last_visible=last_visible_date(today, client.horizon_days),
        editing=editing,
        add_form=scope_ids(add_form, f"new-{on.isoformat()}"),
        edit_form=scope_ids(edit_form, f"entry-{forms['edit_id']}") if edit_form else None,
        edit_id=forms.get("edit_id"),
        notice=forms.get("notice"),
        calendar_url=_calendar_url(client, on),
        compact=request.args.get("compact") == "1",
    )


@bp.get("/clients/<int:client_id>/calendar/days/<iso>")
@coach_required
def coach_day(client_id: int, iso: str):
    return _day(get_coach_client(client_id), parse_day(iso), editing=False)


@bp.get("/clients/<int:client_id>/calendar/days/<iso>/edit")
@coach_required
def edit_day(client_id: int, iso: str):
    client = get_coach_client(client_id)
    on = parse_day(iso)
    entry_id = request.args.get("entry", type=int)
    if entry_id is None:
        return _day(client, on, editing=True)
    entry = get_coach_entry(client.id, entry_id)
    if entry.on_date != on:
        abort(404)
    form = EditEntryForm(formdata=None, obj=entry)
    form.on_date.data = entry.on_date
    return _day(client, on, editing=True, edit_form=form, edit_id=entry.id)


def _after_change(client: Client, on: date, notice: str | None = None, *events: str):
    """htmx gets the day's editor back; a browser is sent to the editor page (no resubmits)."""
    if is_htmx():
        return trigger(_day(client, on, editing=True, notice=notice), *events)
    if notice:
        flash(notice, "success")
    return redirect(
        url_for(
            "calendar.edit_day",
            client_id=client.id,
            iso=on.isoformat(),
            compact=request.args.get("compact"),
        )
    )


@bp.post("/clients/<int:client_id>/calendar/days/<iso>/entries")
@coach_required
def add(client_id: int, iso: str):
    client = get_coach_client(client_id, for_update=True)
    on = parse_day(iso)
    _allowed_to_write()
    form = EntryForm()
    if not form.validate_on_submit():
        return _day(client, on, editing=True, status=422, add_form=form)
    add_entry(client, on, form.title.data, form.body.data or "", form.at_time.data)
    db.session.commit()
    return _after_change(client, on)


@bp.post("/clients/<int:client_id>/calendar/entries/<int:entry_id>")
@coach_required
def update(client_id: int, entry_id: int):
    client = get_coach_client(client_id, for_update=True)
    entry = get_coach_entry(client.id, entry_id)
    _allowed_to_write()
    was = entry.on_date
    form = EditEntryForm()
    if not form.validate_on_submit():
        return _day(client, was, editing=True, status=422, edit_form=form, edit_id=entry.id)
    entry.title = form.title.data
    entry.body = form.body.data or ""
    entry.at_time = form.at_time.data
    notice = None
    if form.on_date.data != was:
        ensure(may_move(is_program_coach=current_user.is_coach))
        move_entry(entry, form.on_date.data, mover_id=current_user.id, now=clock.now())
        notice = f"“{entry.title}” moved to {long_date(form.on_date.data)}."
    db.session.commit()
    events = ("calendar-changed",) if notice else ()
    return _after_change(client, was, notice, *events)


@bp.post("/clients/<int:client_id>/calendar/entries/<int:entry_id>/delete")
@coach_required
def delete(client_id: int, entry_id: int):
    client = get_coach_client(client_id, for_update=True)
    entry = get_coach_entry(client.id, entry_id)
    _allowed_to_write()
    on = entry.on_date
    db.session.delete(entry)
    db.session.commit()
    return _after_change(client, on)


@bp.post("/clients/<int:client_id>/calendar/entries/<int:entry_id>/<any(up, down):direction>")
@coach_required
def order(client_id: int, entry_id: int, direction: str):
    client = get_coach_client(client_id, for_update=True)
    entry = get_coach_entry(client.id, entry_id)
    _allowed_to_write()
    reorder(entry, -1 if direction == "up" else 1)
    db.session.commit()
    return _after_change(client, entry.on_date)


# -- Settings, shifting and copying (plain forms; the page reloads) ------------------------


@bp.post("/clients/<int:client_id>/calendar/settings")
@coach_required
def settings(client_id: int):
    client = get_coach_client(client_id, for_update=True)
    form = SettingsForm()
    if not form.validate_on_submit():
        return _page(client, status=422, settings_form=form)
    client.start_date = form.start_date.data
    client.horizon_days = form.horizon_days
    db.session.commit()
    flash("Calendar settings saved.", "success")
    return redirect(url_for("calendar.coach_calendar", client_id=client.id))


@bp.post("/clients/<int:client_id>/calendar/shift")
@coach_required
def shift(client_id: int):
    client = get_coach_client(client_id, for_update=True)
    ensure(may_move(is_program_coach=current_user.is_coach))
    form = ShiftForm()
    if not form.validate_on_submit():
        return _page(client, status=422, shift_form=form)
    moved = shift_from(
        client, form.from_date.data, form.days.data, mover_id=current_user.id, now=clock.now()
    )
    db.session.commit()
    noun = "entry" if moved == 1 else "entries"
    flash(
        f"Moved {moved} {noun} from {short_date(form.from_date.data)} by {form.days.data} days.",
        "success",
    )
    return redirect(_calendar_url(client, form.from_date.data))


@bp.post("/clients/<int:client_id>/calendar/copy")
@coach_required
def copy(client_id: int):
    client = get_coach_client(client_id)
    _allowed_to_write()
    form = CopyWeekForm()
    form.target_client.choices = _other_clients(client)
    if not form.validate_on_submit():
        return _page(client, status=422, copy_form=form)
    target = get_coach_client(form.target_client.data, for_update=True)
    try:
        copied = copy_week(client, form.source_week.data, target, form.target_week.data)
    except RuleError as refused:
        form.source_week.errors = [str(refused)]
        return _page(client, status=422, copy_form=form)
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


# -- Needs training ------------------------------------------------------------------------


@bp.get("/calendar/needs-training")
@coach_required
def needs_training():
    clients = list(
        db.session.scalars(
            sa.select(Client)
            .join(Program, Program.id == Client.program_id)
            .where(Program.coach_id == current_user.id, Client.state == "active")
            .order_by(Client.name, Client.id)
        )
    )
    flagged = needs_training_ids(clients, clock.now())
    return render("calendar/needs_training.html", clients=[c for c in clients if c.id in flagged])
