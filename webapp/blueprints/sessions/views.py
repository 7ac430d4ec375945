"""The coach's sessions list for one client: place, mark complete (with +1), undo."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from webapp import clock
from webapp.blueprints.sessions import bp
from webapp.blueprints.sessions.booking_views import book_form
from webapp.blueprints.sessions.forms import PlaceForm, RowForm
from webapp.extensions import db
from webapp.models import Client, CoachingSession, Program, User
from webapp.rules import RuleError
from webapp.rules.dates import today_in
from webapp.rules.plusone import local_slot
from webapp.services.bookings import complete_session, undo_completion
from webapp.services.coaching_sessions import account
from webapp.services.next_sessions import next_sessions
from webapp.services.payments import statement
from webapp.services.placing import place_session
from webapp.services.plus_one_charges import charge_pending
from webapp.web.auth_session import coach_required
from webapp.web.htmx import answer, render
from webapp.web.loaders import get_client_session, get_coach_client
from webapp.web.login import safe_next
from webapp.web.response_cache import cached

CHANGED = "sessions-changed"


@bp.get("/clients/<int:client_id>/sessions")
@coach_required
@cached
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
    if done.charge_id is not None:
        charge_pending(done.charge_id, clock.now())  # after commit: see plus_one_charges
    return _row_response(RowForm(), client, person, session, message, after=extra)


@bp.post("/clients/<int:client_id>/sessions/<int:session_id>/complete-next")
@coach_required
def complete_next(client_id: int, session_id: int):
    """Mark complete from a list: the form names the session, so a double click or a retry
    completes that one session, never the one after it too."""
    client, session, person = get_client_session(client_id, session_id)
    done = complete_session(session, coach=current_user, client_user=person, now=clock.now())
    message = done.message
    db.session.commit()
    if done.charge_id is not None:
        charge_pending(done.charge_id, clock.now())  # after commit: see plus_one_charges
    context = {
        "client_id": client.id,
        "next": next_sessions(current_user.id, [person.id]).get(person.id),
        "tz": person.time_zone,
        "next_notice": message,
    }
    back = safe_next(RowForm().next.data, url_for("sessions.index", client_id=client.id))
    return answer(
        "sessions/_next.html", "next", context, back=back, notice=message, events=(CHANGED,)
    )


@bp.post("/clients/<int:client_id>/sessions/<int:session_id>/undo")
@coach_required
def undo(client_id: int, session_id: int):
    client, session, person = get_client_session(client_id, session_id)
    form = RowForm()
    undone = undo_completion(session, clock.now())
    voided = _sessions_of_booking(undone.voided.id) if undone.voided else []
    message = undone.message
    db.session.commit()
    oob = voided if form.shown_in_list else []
    return _row_response(form, client, person, session, message, oob=oob)


@bp.post("/clients/<int:client_id>/sessions/<int:session_id>/place")
@coach_required
def place(client_id: int, session_id: int):
    client, session, person = get_client_session(client_id, session_id)
    form = PlaceForm()
    if form.validate_on_submit():
        try:
            slot = local_slot(form.day, form.time, person.time_zone)
            place_session(session, client, slot, now=clock.now(), mover_id=current_user.id)
        except RuleError as refused:
            form.on_date.errors.append(str(refused))
    if errors := form.first_errors():
        db.session.rollback()
        return _row_response(form, client, person, session, None, errors=errors, status=422)
    db.session.commit()
    return _row_response(form, client, person, session, "Session placed on the calendar.")


@bp.post("/clients/<int:client_id>/sessions/<int:session_id>/unplace")
@coach_required
def unplace(client_id: int, session_id: int):
    client, session, person = get_client_session(client_id, session_id)
    form = RowForm()
    try:
        place_session(session, None, None, now=clock.now(), mover_id=current_user.id)
    except RuleError as refused:
        db.session.rollback()
        errors = {"on_date": str(refused)}
        return _row_response(form, client, person, session, None, errors=errors, status=422)
    db.session.commit()
    return _row_response(form, client, person, session, "Session taken off the calendar.")


def _back(form: RowForm, client: Client) -> str:
    return safe_next(form.next.data, url_for("sessions.index", client_id=client.id) + "#sessions")


def _sessions_of_booking(booking_id: int) -> list[int]:
    return list(
        db.session.scalars(
            sa.select(CoachingSession.id).where(CoachingSession.booking_id == booking_id)
        )
    )


def _row_response(
    form: RowForm,
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
    context = {
        "client": client,
        "tz": person.time_zone,
        "session": session,
        "after": after,
        "oob": _read_again(oob),
        "row_notice": notice,
        "errors": errors or {},
        "in_list": form.shown_in_list,
        "on_calendar": form.shown_on_calendar,
    }
    return answer(
        "sessions/_row_response.html",
        "rows",
        context,
        back=_back(form, client),
        notice=" ".join(errors.values()) if errors else notice,
        category="error" if errors else "success",
        events=(CHANGED,),
        status=status,
    )


def _read_again(session_ids: list[int]) -> list[CoachingSession]:
    if not session_ids:
        return []
    return db.session.scalars(
        sa.select(CoachingSession)
        .where(CoachingSession.id.in_(session_ids))
        .options(selectinload(CoachingSession.booking))
        .order_by(CoachingSession.id)
        .execution_options(populate_existing=True)
    ).all()


def _page(client: Client, *, block: str | None = None, status: int = 200):
    program = db.session.get(Program, client.program_id)
    person = db.session.get(User, client.user_id) if client.user_id else None
    acct = paid = None
    if person is not None:
        acct = account(current_user.id, person.id, today_in(clock.now(), person.time_zone))
        paid = statement(current_user.id, person.id, bookings_with_void=acct.bookings_with_void())
    return render(
        "sessions/index.html",
        block,
        status=status,
        client=client,
        program=program,
        person=person,
        tz=person.time_zone if person else "UTC",
        account=acct,
        statement=paid,
        book_form=book_form(current_user.id, person.id) if person is not None else None,
    )
