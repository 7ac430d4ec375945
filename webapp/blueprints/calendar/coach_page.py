"""The coach's calendar page: which dates a week or month shows, and the tool forms."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask import abort, request, session, url_for
from flask_login import current_user

from webapp import clock
from webapp.blueprints.calendar.common import scope_ids
from webapp.blueprints.calendar.forms import (
    CopyWeekForm,
    EntryForm,
    PasteWeekForm,
    SettingsForm,
    ShiftForm,
)
from webapp.extensions import db
from webapp.models import Client, Program, User
from webapp.rules.calendar import (
    last_visible_date,
    week_dates,
    week_of,
)
from webapp.rules.dates import in_range, parse_date, parse_month, shift_month, today_in
from webapp.rules.invites import State, start_follows_join
from webapp.services.calendar_reads import (
    days,
    entries_and_moves_between,
    needs_training_ids,
    time_zone_of,
)
from webapp.services.coaching_sessions import sessions_for_calendar
from webapp.web.htmx import is_htmx, render


def calendar_url(client: Client, on: date) -> str:
    return url_for(
        "calendar.coach_calendar", client_id=client.id, week=week_of(on, client.start_date)
    )


def placed_sessions(client: Client, first: date, last: date) -> dict:
    """Coaching sessions placed on this client's calendar, by local date: one query."""
    return sessions_for_calendar([client.id], first, last).get(client.id, {})


# -- The calendar: week and month --------------------------------------------------------


def _month_dates(month: date) -> list[date]:
    """Whole Monday-to-Sunday weeks covering the month."""
    first = month.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    start = first - timedelta(days=first.weekday())
    end = last + timedelta(days=6 - last.weekday())
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _parse_month(raw: str | None, today: date) -> date:
    if raw is None:
        return today.replace(day=1)
    month = parse_month(raw)
    if month is None:
        abort(404)
    return month


def _parse_week(raw: str | None, client: Client, today: date) -> int:
    if raw is None:
        return max(week_of(today, client.start_date), 1)
    try:
        week = int(raw)
    except ValueError:
        abort(404)
    if not -520 <= week <= 520:
        abort(404)
    dates = week_dates(client.start_date, week)
    if not (in_range(dates[0]) and in_range(dates[-1])):
        abort(404)
    return week


def _month_url(client: Client, month: date | None) -> str | None:
    if month is None:
        return None
    return url_for(
        "calendar.coach_calendar", client_id=client.id, view="month", month=f"{month:%Y-%m}"
    )


def _week_url(client: Client, week: int) -> str | None:
    dates = week_dates(client.start_date, week)
    if not (-520 <= week <= 520 and in_range(dates[0]) and in_range(dates[-1])):
        return None
    return url_for("calendar.coach_calendar", client_id=client.id, week=week)


def _opened(client: Client, show: date | None) -> tuple[date | None, str | None, str | None]:
    """The day asked to open in its editor (?open=YYYY-MM-DD), and the week and month that
    hold it unless others were asked for; a change made elsewhere may `show` another date."""
    opened = parse_date(request.args.get("open") or "")
    week, month = request.args.get("week"), request.args.get("month")
    if opened is not None:
        week = week or str(week_of(opened, client.start_date))
        month = month or f"{opened:%Y-%m}"
    if show is not None:
        week, month = str(week_of(show, client.start_date)), f"{show:%Y-%m}"
    return opened, week, month


def _panel_context(client: Client, show: date | None = None) -> dict:
    tz = time_zone_of(client)
    today = today_in(clock.now(), tz)
    view = "month" if request.args.get("view") == "month" else "week"
    opened, week_asked, month_asked = _opened(client, show)
    context: dict = {"view": view, "today": today, "time_zone": tz, "open_day": opened}
    if opened is not None:
        context["add_form"] = scope_ids(EntryForm(formdata=None), f"new-{opened.isoformat()}")
    if view == "month":
        month = _parse_month(month_asked, today)
        dates = _month_dates(month)
        context.update(
            month=month,
            prev_url=_month_url(client, shift_month(month, -1)),
            next_url=_month_url(client, shift_month(month, 1)),
            self_url=_month_url(client, month),
            other_view_url=url_for(
                "calendar.coach_calendar",
                client_id=client.id,
                week=max(week_of(month, client.start_date), 1),
            ),
        )
    else:
        week = _parse_week(week_asked, client, today)
        dates = week_dates(client.start_date, week)
        context.update(
            week=week,
            prev_url=_week_url(client, week - 1),
            next_url=_week_url(client, week + 1),
            self_url=url_for("calendar.coach_calendar", client_id=client.id, week=week),
            other_view_url=url_for(
                "calendar.coach_calendar",
                client_id=client.id,
                view="month",
                month=f"{dates[0]:%Y-%m}",
            ),
        )
    if view == "week" and context["week"] >= 1:
        context["paste_form"] = paste_form(client, context["week"])
        context["paste_from"] = _clipboard(context["paste_form"])
    entries, moves = entries_and_moves_between(client.id, dates[0], dates[-1])
    context.update(
        days=days(client, dates, entries, today),
        sessions=placed_sessions(client, dates[0], dates[-1]),
        back_url=context["self_url"],
        moves=moves,
        last_visible=last_visible_date(today, client.horizon_days),
    )
    return context


def other_clients(client: Client) -> list[tuple[int, str]]:
    rows = db.session.execute(
        sa.select(Client.id, Client.name, Program.name)
        .join(Program, Program.id == Client.program_id)
        .where(Program.coach_id == current_user.id, Client.state.in_((State.PENDING, State.ACTIVE)))
        .order_by(Client.name, Client.id)
    ).all()
    return [
        (cid, f"{name} ({program})" + (" — this client" if cid == client.id else ""))
        for cid, name, program in rows
    ]


# Where a copied week waits to be pasted: this browser's session, {"client": id, "week": n}.
CLIPBOARD = "copied_week"


def _clipboard(form: PasteWeekForm) -> dict | None:
    """The week copied to paste, if it is still one of this coach's clients' (the form's
    choices are exactly those)."""
    copied = session.get(CLIPBOARD)
    if not isinstance(copied, dict):
        return None
    labels = dict(form.target_client.choices)
    if copied.get("client") not in labels or not isinstance(copied.get("week"), int):
        return None
    label = labels[copied["client"]].removesuffix(" — this client")
    return {"client_id": copied["client"], "week": copied["week"], "label": label}


def paste_form(client: Client, week: int, form: PasteWeekForm | None = None) -> PasteWeekForm:
    """Copy week: into another client's week of the same number unless the coach picks."""
    choices = other_clients(client)
    if form is None:
        others = [cid for cid, _label in choices if cid != client.id]
        target = others[0] if others else client.id
        form = PasteWeekForm(formdata=None, target_client=target, target_week=week)
    form.target_client.choices = choices
    return scope_ids(form, f"week-{week}")


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
    copy.target_client.choices = other_clients(client)
    return {"settings_form": settings, "shift_form": shift, "copy_form": copy}


def panel_context(client: Client, show: date | None = None, **extra) -> dict:
    """What the calendar panel alone is rendered with (the week or month the request names, or
    the one holding `show`), and what a change tells the coach in it."""
    return {"client": client, **_panel_context(client, show), **extra}


def page(client: Client, status: int = 200, **given):
    context = _panel_context(client)
    if is_htmx() and request.method == "GET":
        # Paging weeks and months swaps only the panel: skip what only the whole page shows.
        return render("calendar/coach.html", block="calendar_panel", client=client, **context)
    program = db.session.get(Program, client.program_id)
    flagged = needs_training_ids([client], clock.now()) if client.state == State.ACTIVE else set()
    return render(
        "calendar/coach.html",
        block="calendar_panel",
        status=status,
        client=client,
        program=program,
        needs_training=client.id in flagged,
        reminders_off=client.user_id is not None
        and db.session.scalar(sa.select(User.reminders_off).where(User.id == client.user_id)),
        start_follows_join=start_follows_join(client.state, chosen_by_coach=client.start_date_set),
        **context,
        **_tool_forms(client, context["today"], **given),
    )
