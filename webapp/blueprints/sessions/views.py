"""The coach's sessions list for one client: place, mark complete (with +1), undo."""

from __future__ import annotations

from datetime import time

import sqlalchemy as sa
from flask import flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from webapp import clock
from webapp.blueprints.sessions import bp
from webapp.extensions import db
from webapp.models import Client, CoachingSession, Program, User
from webapp.rules import RuleError
from webapp.rules.dates import DateError, read_date, today_in
from webapp.rules.plusone import local_slot
from webapp.services.bookings import complete_session, place_session, undo_completion
from webapp.services.coaching_sessions import account
from webapp.web.auth_session import coach_required
from webapp.web.htmx import is_htmx, render, trigger
from webapp.web.loaders import get_client_session, get_coach_client
from webapp.web.login import safe_next

CHANGED = "sessions-changed"


@bp.get("/clients/<int:client_id>/sessions")
@coach_required
def index(client_id: int):
    client = get_coach_client(client_id)
    response = _page(client, block="summary")
    response.headers["Vary"] = "HX-Request"
    return response


@bp.post("/clients/<int:client_id>/sessions/<int:session_id>/complete")
@coach_required
def complete(client_id: int, session_id: int):
    client, session, person = get_client_session(client_id, session_id)
    done = complete_session(session, coach=current_user, client_user=person, now=clock.now())
    extra = [done.plus_one] if done.plus_one else []
    message = done.message
    db.session.commit()
    return _row_response(client, person, session, message, after=extra)


@bp.post("/clients/<int:client_id>/sessions/<int:session_id>/undo")
@coach_required
def undo(client_id: int, session_id: int):
    client, session, person = get_client_session(client_id, session_id)
    undone = undo_completion(session, clock.now())
    voided = _sessions_of_booking(undone.voided.id) if undone.voided else []
    message = undone.message
    db.session.commit()
    oob = voided if request.form.get("in_list") else []
    return _row_response(client, person, session, message, oob=oob)


@bp.post("/clients/<int:client_id>/sessions/<int:session_id>/place")
@coach_required
def place(client_id: int, session_id: int):
    client, session, person = get_client_session(client_id, session_id)
    errors = {}
    on_date = None
    try:
        on_date = read_date(request.form.get("on_date"))
    except DateError as refused:
        errors["on_date"] = str(refused)
    at_time = _parse(time.fromisoformat, request.form.get("at_time"))
    if at_time is None:
        errors["at_time"] = "Choose a time."
    if not errors:
        try:
            place_session(session, client, local_slot(on_date, at_time, person.time_zone))
        except RuleError as refused:
            errors["on_date"] = str(refused)
    if errors:
        db.session.rollback()
        if not is_htmx():
            flash(" ".join(errors.values()), "error")
            return redirect(_back(client), 303)
        return _row_response(client, person, session, None, errors=errors, status=422)
    db.session.commit()
    return _row_response(client, person, session, "Session placed on the calendar.")


def _parse(parse, text: str | None):
    try:
        return parse((text or "").strip()) if text else None
    except ValueError:
        return None


def _back(client: Client) -> str:
    return safe_next(
        request.form.get("next"), url_for("sessions.index", client_id=client.id) + "#sessions"
    )


def _sessions_of_booking(booking_id: int) -> list[int]:
    return list(
        db.session.scalars(
            sa.select(CoachingSession.id).where(CoachingSession.booking_id == booking_id)
        )
    )


def _row_response(
    client: Client,
    person: User,
    session: CoachingSession,
    notice: str | None,
    *,
    after: list[CoachingSession] = (),
    oob: list[int] = (),
    errors: dict | None = None,
    status: int = 200,
):
    """htmx: the row swaps itself (plus a newly booked +1 row); otherwise back to the page.

    `session` and `after` are current in this request's session; rows changed in bulk (`oob`)
    are read again.
    """
    if not is_htmx():
        if notice:
            flash(notice, "success")
        return redirect(_back(client), 303)
    changed = []
    if oob:
        changed = db.session.scalars(
            sa.select(CoachingSession)
            .where(CoachingSession.id.in_(oob))
            .options(selectinload(CoachingSession.booking))
            .order_by(CoachingSession.id)
            .execution_options(populate_existing=True)
        ).all()
    body = render_template(
        "sessions/_row_response.html",
        client=client,
        tz=person.time_zone,
        session=session,
        after=after,
        oob=changed,
        notice=notice,
        errors=errors or {},
        in_list=bool(request.form.get("in_list")),
    )
    return trigger(make_response(body, status), CHANGED)


def _page(client: Client, *, block: str | None = None, status: int = 200):
    program = db.session.get(Program, client.program_id)
    person = db.session.get(User, client.user_id) if client.user_id else None
    acct = None
    if person is not None:
        acct = account(current_user.id, person.id, today_in(clock.now(), person.time_zone))
    return render(
        "sessions/index.html",
        block,
        status=status,
        client=client,
        program=program,
        person=person,
        tz=person.time_zone if person else "UTC",
        account=acct,
    )
