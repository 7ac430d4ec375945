"""Needs attention: the coach's active clients short of written training or of sessions."""

from __future__ import annotations

from flask_login import current_user

from webapp import clock
from webapp.blueprints.attention import bp
from webapp.services.attention import (
    active_clients_of,
    payment_due_by_client,
    sessions_run_out_by_client,
    standings_of,
)
from webapp.services.calendar_reads import needs_training_ids
from webapp.services.subscriptions import past_due_by_client
from webapp.web.auth_session import coach_required
from webapp.web.htmx import render


@bp.get("/needs-attention")
@coach_required
def index():
    now = clock.now()
    rows = active_clients_of(current_user)
    clients = [row.Client for row in rows]
    flagged = needs_training_ids(clients, now)
    reasons = sessions_run_out_by_client(standings_of(rows), now)
    due = payment_due_by_client(current_user, clients)
    renewal_failed = past_due_by_client(current_user.id, [c.id for c in clients])
    return render(
        "attention/index.html",
        needs_training=[c for c in clients if c.id in flagged],
        run_out=[(c, reasons[c.id]) for c in clients if c.id in reasons],
        payment_due=[(c, due[c.id]) for c in clients if c.id in due],
        renewal_failed=[c for c in clients if c.id in renewal_failed],
    )
