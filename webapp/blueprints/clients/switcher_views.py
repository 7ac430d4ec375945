"""The client switcher in the top bar: type a name, Enter, and the coach is in that calendar."""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_login import current_user

from webapp.blueprints.clients import bp
from webapp.services.client_switcher import coach_clients, find_clients
from webapp.web.auth_session import coach_required
from webapp.web.htmx import render


@bp.get("/clients/go")
@coach_required
def go():
    typed = request.args.get("q", "")[:100]
    found = find_clients(current_user.id, typed) if typed.strip() else []
    if len(found) == 1:
        return redirect(url_for("calendar.coach_calendar", client_id=found[0].id), 303)
    every = coach_clients(current_user.id)
    return render("clients/go.html", typed=typed, found=found if typed.strip() else every)


@bp.get("/clients/names")
@coach_required
def switch_names():
    """The datalist's options, loaded the first time the switcher takes the focus."""
    return render("clients/_switcher.html", "names", names=coach_clients(current_user.id))
