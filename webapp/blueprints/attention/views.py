"""Needs attention: the coach's active clients short of written training or of sessions."""

from __future__ import annotations

from flask_login import current_user

from webapp import clock
from webapp.auth_session import coach_required
from webapp.blueprints.attention import bp
from webapp.blueprints.attention.queries import active_clients_of
from webapp.blueprints.calendar.queries import needs_training_ids
from webapp.blueprints.sessions.workflows import as_enrolment, as_package_booking, local_today
from webapp.htmx import render
from webapp.rules.attention import sessions_run_out


@bp.get("/needs-attention")
@coach_required
def index():
    now = clock.now()
    rows = active_clients_of(current_user)
    clients = [row.Client for row in rows]
    flagged = needs_training_ids(clients, now)
    run_out, seen = [], set()
    for client, person, remaining, last, enrolment in rows:
        # No account, no bookings; someone in two of the coach's programs is listed once.
        if person is None or person.id in seen:
            continue
        seen.add(person.id)
        why = sessions_run_out(
            remaining=remaining,
            enrolment=as_enrolment(enrolment),
            last=as_package_booking(last) if last else None,
            today=local_today(person, now),
        )
        if why is not None:
            run_out.append((client, why))
    return render(
        "attention/index.html",
        needs_training=[c for c in clients if c.id in flagged],
        run_out=run_out,
    )
