"""The coach books a package for a client on the Sessions page (paid by hand, or due)."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user

from webapp import clock
from webapp.blueprints.sessions import bp
from webapp.blueprints.sessions.forms import BookForClientForm
from webapp.extensions import db
from webapp.models import Package, User
from webapp.rules.money import Money
from webapp.rules.payments import ManualMethod
from webapp.services.amounts import format_money
from webapp.services.coach_bookings import book_for_client
from webapp.services.coaching_sessions import offered_packages
from webapp.web.auth_session import coach_required
from webapp.web.form_keys import form_key
from webapp.web.forms import choices
from webapp.web.loaders import get_coach_client


def book_form(coach_id: int, person_id: int, form: BookForClientForm | None = None):
    """The form with this client's offers; a fresh key for each form shown."""
    form = form or BookForClientForm(formdata=None, key=form_key())
    form.package.choices = choices(
        (p.id, _label(p.sessions_count, Money(p.total_minor, p.currency), p.name))
        for p in offered_packages(coach_id, person_id)
    )
    return form


def _label(sessions: int, total: Money, name: str | None) -> str:
    return f"{sessions} × {format_money(total)}" + (f" “{name}”" if name else "")


@bp.post("/clients/<int:client_id>/sessions/book")
@coach_required
def book_for(client_id: int):
    client = get_coach_client(client_id, for_update=True)
    back = url_for("sessions.index", client_id=client.id) + "#bookings"
    if client.user_id is None:
        flash(f"{client.name} has no account yet, so nothing can be booked.", "error")
        return redirect(back, 303)
    form = book_form(current_user.id, client.user_id, BookForClientForm())
    if not form.validate_on_submit():
        flash("Choose one of your packages to book.", "error")
        return redirect(back, 303)
    paid = None if form.payment.data == "due" else ManualMethod(form.payment.data)
    person = db.session.get(User, client.user_id)
    package = db.session.get(Package, form.package.data)
    booking = book_for_client(
        package, person, current_user, paid=paid, form_key=form.key.data, now=clock.now()
    )
    db.session.commit()
    done = "booked, paid." if paid else "booked, with payment due."
    notice = f"{package.sessions_count} sessions {done}" if booking else "That was booked already."
    flash(notice, "success")
    return redirect(back, 303)
