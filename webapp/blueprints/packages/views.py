"""The coach's packages: N sessions for a total price, public or custom for one client."""

import sqlalchemy as sa
from flask import flash, redirect, url_for
from flask_login import current_user
from sqlalchemy.orm import aliased

from webapp import clock
from webapp.blueprints.packages import bp
from webapp.blueprints.packages.forms import PackageForm
from webapp.extensions import db
from webapp.models import Client, Package, Program, User
from webapp.rules.invites import State
from webapp.services.amounts import format_money
from webapp.web.auth_session import coach_required
from webapp.web.htmx import render
from webapp.web.loaders import get_own_package


def _my_clients() -> list[User]:
    """Client users active in one of the logged-in coach's programs."""
    return db.session.scalars(
        sa.select(User)
        .where(
            sa.exists().where(
                Client.user_id == User.id,
                Client.state == State.ACTIVE,
                Client.program_id == Program.id,
                Program.coach_id == current_user.id,
            )
        )
        .order_by(User.name, User.id)
    ).all()


# Made once: building a new alias for every query costs more than the query.
_offered_to = aliased(User, name="offered_to")


def _page(form: PackageForm, status: int = 200):
    rows = db.session.execute(
        sa.select(Package, _offered_to.name)
        .outerjoin(_offered_to, _offered_to.id == Package.offered_to_id)
        .where(Package.coach_id == current_user.id)
        .order_by(Package.archived_at.is_not(None), Package.sessions_count, Package.id)
    ).all()
    clients = db.session.execute(
        sa.select(Client, Program.name)
        .join(Program, Program.id == Client.program_id)
        .where(Program.coach_id == current_user.id, Client.state.in_((State.PENDING, State.ACTIVE)))
        .order_by(Client.name, Client.id)
    ).all()
    return render("packages/index.html", form=form, rows=rows, clients=clients, status=status)


@bp.get("/")
@coach_required
def index():
    return _page(PackageForm(_my_clients()))


@bp.post("/")
@coach_required
def create():
    form = PackageForm(_my_clients())
    if not form.validate_on_submit():
        return _page(form, status=422)
    package = Package(
        coach_id=current_user.id,
        name=form.name.data or "",
        sessions_count=form.count,
        total_minor=form.money.minor,
        currency=form.money.currency,
        offered_to_id=int(form.offered_to.data) if form.offered_to.data else None,
        no_auto_renewal=bool(form.no_auto_renewal.data),
    )
    db.session.add(package)
    db.session.commit()
    flash(
        f"Package added: {form.count} sessions for {format_money(form.money)} "
        f"({format_money(form.rate)} per session).",
        "success",
    )
    return redirect(url_for("packages.index"), 303)


@bp.post("/<int:package_id>/archive")
@coach_required
def archive(package_id: int):
    package = get_own_package(package_id, for_update=True)
    if package.archived_at is None:
        package.archived_at = clock.now()
        db.session.commit()
    flash("Package archived. Clients can no longer book it; past bookings are kept.", "success")
    return redirect(url_for("packages.index"), 303)
