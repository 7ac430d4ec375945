import sqlalchemy as sa
from flask import abort, current_app
from flask_login import current_user

from webapp import clock
from webapp.blueprints.devmail import bp
from webapp.extensions import db
from webapp.models import Client, Invitation, OutboxMessage, Program, User
from webapp.rules.mail import status_line
from webapp.services.outbox import counts
from webapp.web.auth_session import coach_required
from webapp.web.htmx import render


@bp.before_request
def only_when_enabled():
    if not current_app.config.get("DEV_MAILBOX"):
        abort(404)


@bp.get("/")
@coach_required
def index():
    messages = db.session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.recipient.in_(_addresses_of(current_user.id)))
        .order_by(OutboxMessage.id.desc())
        .limit(100)
    ).all()
    outbox_status = status_line(counts(), clock.now()).removeprefix("outbox: ")
    return render("devmail/index.html", messages=messages, outbox_status=outbox_status)


def _addresses_of(coach_id: int):
    """The coach's own address and every address in their programs (clients in any state,
    and invitations not yet accepted): mail to anyone else is not theirs to read."""
    own_program = Program.coach_id == coach_id
    return sa.union(
        sa.select(User.email).where(User.id == coach_id),
        sa.select(Client.email).join(Program, Program.id == Client.program_id).where(own_program),
        sa.select(Invitation.email)
        .join(Program, Program.id == Invitation.program_id)
        .where(own_program),
    )
