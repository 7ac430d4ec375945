"""The client's side: their own calendar up to the horizon, done marks and notes."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app, flash, redirect, request, url_for
from flask_login import current_user

from webapp import clock
from webapp.blueprints.calendar import bp
from webapp.blueprints.calendar.common import parse_day, scope_ids
from webapp.blueprints.calendar.forms import LogForm
from webapp.extensions import db
from webapp.models import Client
from webapp.rules.calendar import ensure, is_visible_to_client, may_log, week_day
from webapp.rules.dates import today_in
from webapp.services.calendar_edits import feed_token, regenerate_feed
from webapp.services.calendar_reads import days, visible_entries_between, visible_range
from webapp.services.coaching_sessions import sessions_for_calendar
from webapp.web.auth_session import client_required
from webapp.web.htmx import answer, render
from webapp.web.loaders import get_my_membership, get_my_visible_entry
from webapp.web.response_cache import cached

# The most days one agenda page lists (an "everything written" horizon or an early `from`).
_AGENDA_DAYS = 90
_EARLIER_STEP = 7


def _today() -> date:
    return today_in(clock.now(), current_user.time_zone)


def _agenda(membership: Client, today: date) -> dict:
    start, last_visible = visible_range(membership, today)
    first = max(today, start)
    asked = request.args.get("from")
    if asked:
        first = max(parse_day(asked), start)
    # One page of the agenda is bounded, whatever the horizon or the date asked for.
    cap = first + timedelta(days=_AGENDA_DAYS)
    last = cap if last_visible is None else min(last_visible, cap)
    entries = visible_entries_between(membership, today, first, last)
    # Coaching sessions on deck, clipped like the training to what the client may see.
    sessions = sessions_for_calendar([membership.id], first, last).get(membership.id, {})
    if last_visible is None:  # "everything written": up to the last written day, a week at least
        written = entries[-1].on_date if entries else first
        last = max(written, max(sessions, default=first), first + timedelta(days=6))
    dates = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    earlier = max(first - timedelta(days=_EARLIER_STEP), start) if first > start else None
    return {
        "agenda_days": days(membership, dates, entries, today),
        "sessions": sessions,
        "time_zone": current_user.time_zone,
        "today": today,
        "first": first,
        "last_visible": last_visible,
        "starts_later": start > today,
        "earlier_url": url_for(
            "calendar.my_calendar", client_id=membership.id, **{"from": earlier.isoformat()}
        )
        if earlier
        else None,
    }


@bp.get("/my/calendar/<int:client_id>")
@client_required
@cached
def my_calendar(client_id: int):
    membership = get_my_membership(client_id)
    token = feed_token(membership)
    # The address a phone subscribes to from outside, so it uses the public base URL.
    public = current_app.config["PUBLIC_URL"]
    feed_url = public + url_for("calendar.feed", token=token) if token else None
    return render(
        "calendar/my.html",
        block="agenda",
        membership=membership,
        feed_url=feed_url,
        log_form=None,
        **_agenda(membership, _today()),
    )


def _visible_entry(membership: Client, entry_id: int, today: date):
    start, last = visible_range(membership, today)
    return get_my_visible_entry(membership, entry_id, start, last)


def _entry(membership: Client, entry, today: date, *, form=None, status: int = 200):
    return render(
        "calendar/my_entry.html",
        "my_entry",
        status=status,
        **_entry_context(membership, entry, form),
    )


def _entry_context(membership: Client, entry, form=None) -> dict:
    return {
        "membership": membership,
        "entry": entry,
        "label": week_day(entry.on_date, membership.start_date),
        "log_form": scope_ids(form, f"entry-{entry.id}") if form else None,
    }


@bp.get("/my/calendar/<int:client_id>/entries/<int:entry_id>")
@client_required
def my_entry(client_id: int, entry_id: int):
    membership = get_my_membership(client_id)
    today = _today()
    return _entry(membership, _visible_entry(membership, entry_id, today), today)


@bp.get("/my/calendar/<int:client_id>/entries/<int:entry_id>/log")
@client_required
def log_form(client_id: int, entry_id: int):
    membership = get_my_membership(client_id)
    today = _today()
    entry = _visible_entry(membership, entry_id, today)
    form = LogForm(formdata=None, done=entry.done_at is not None, note=entry.client_note)
    return _entry(membership, entry, today, form=form)


@bp.post("/my/calendar/<int:client_id>/entries/<int:entry_id>/log")
@client_required
def log(client_id: int, entry_id: int):
    membership = get_my_membership(client_id)
    today = _today()
    entry = _visible_entry(membership, entry_id, today)
    _check_may_log(membership, entry, today)
    form = LogForm()
    if not form.validate_on_submit():
        return _entry(membership, entry, today, form=form, status=422)
    _write_log(entry, form)
    db.session.commit()
    return answer(
        "calendar/my_entry.html",
        "my_entry",
        _entry_context(membership, entry),
        back=url_for("calendar.my_calendar", client_id=membership.id),
        notice="Saved.",
    )


def _check_may_log(membership: Client, entry, today: date) -> None:
    visible = is_visible_to_client(
        entry.on_date,
        start=membership.start_date,
        today=today,
        horizon_days=membership.horizon_days,
    )
    own = membership.user_id == current_user.id
    ensure(may_log(is_own_membership=own, membership_state=membership.state, visible=visible))


def _write_log(entry, form: LogForm) -> None:
    """Done keeps the moment it was first marked; the note is replaced."""
    if form.done.data and entry.done_at is None:
        entry.done_at = clock.now()
    elif not form.done.data:
        entry.done_at = None
    entry.client_note = form.note.data or ""


@bp.post("/my/calendar/<int:client_id>/feed")
@client_required
def regenerate(client_id: int):
    membership = get_my_membership(client_id)
    had_feed = membership.feed_salt is not None
    regenerate_feed(membership)
    db.session.commit()
    if had_feed:
        flash("New calendar feed address made. The old one no longer works.", "success")
    else:
        flash(
            "Your calendar feed is ready. Copy the address into your phone's calendar.", "success"
        )
    return redirect(url_for("calendar.my_calendar", client_id=membership.id) + "#calendar-feed")
