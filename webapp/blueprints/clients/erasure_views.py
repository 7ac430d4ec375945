"""A coach erases a client (GDPR Art. 17): a page shows what goes and what stays, and a
confirmed POST erases them in one transaction (webapp.services.erasure)."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user

from webapp import clock
from webapp.blueprints.clients import bp
from webapp.blueprints.clients.erasure_forms import EraseForm
from webapp.extensions import db
from webapp.rules.erasure import GOES, STAYS, ErasureRefused
from webapp.services import erasure
from webapp.services.erasure_plans import client_plan
from webapp.web.auth_session import coach_required
from webapp.web.htmx import render
from webapp.web.loaders import get_coach_client


@bp.get("/clients/<int:client_id>/erase")
@coach_required
def erase_page(client_id: int):
    return _page(get_coach_client(client_id), EraseForm(formdata=None))


@bp.post("/clients/<int:client_id>/erase")
@coach_required
def erase(client_id: int):
    client = get_coach_client(client_id)
    form = EraseForm()
    if not form.validate_on_submit():
        return _page(client, form, status=422)
    program_id = client.program_id
    try:
        erased = erasure.erase_client(current_user._get_current_object(), client, clock.now())
    except ErasureRefused as refused:
        db.session.rollback()
        return _page(get_coach_client(client_id), form, refused=str(refused), status=409)
    db.session.commit()
    flash("The client is erased." if erased else "This client was already erased.", "success")
    return redirect(url_for("clients.tab", program_id=program_id, tab="active"), 303)


def _page(client, form: EraseForm, *, refused: str | None = None, status: int = 200):
    return render(
        "clients/erase.html",
        client=client,
        plan=client_plan(current_user.id, client, clock.now()),
        form=form,
        goes=GOES,
        stays=STAYS,
        refused=refused,
        status=status,
    )
