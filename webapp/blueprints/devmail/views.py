import sqlalchemy as sa
from flask import abort, current_app

from webapp.auth_session import coach_required
from webapp.blueprints.devmail import bp
from webapp.extensions import db
from webapp.htmx import render
from webapp.models import OutboxMessage
from webapp.models.types import utcnow
from webapp.outbox import counts
from webapp.rules.mail import status_line


@bp.before_request
def only_when_enabled():
    if not current_app.config.get("DEV_MAILBOX"):
        abort(404)


@bp.get("/")
@coach_required
def index():
    messages = db.session.scalars(
        sa.select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(100)
    ).all()
    outbox_status = status_line(counts(), utcnow()).removeprefix("outbox: ")
    return render("devmail/index.html", messages=messages, outbox_status=outbox_status)
