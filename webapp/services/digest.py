"""The client's optional new-training digest: at most one email a day telling them that their
coach wrote new days they can see. Writing training plans the day's row (unique by client and
date), due an hour later; the relay composes it then (webapp.services.digest_mail)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.models import Client, OutboxMessage, User
from webapp.rules.dates import today_in
from webapp.rules.invites import State
from webapp.rules.reminders import MailKind, change_is_visible, digest_slot
from webapp.services.outbox import queue_email


def digest_key(client_id: int, day: date) -> str:
    return f"digest:{client_id}:{day.isoformat()}"


def note_new_training(client: Client, days: list[date], now: datetime) -> None:
    """After training was written for `days`: plan the client's digest if they want one and
    can see any of those days. One a day: today's, or tomorrow's once today's has gone."""
    person = db.session.get(User, client.user_id) if client.user_id else None
    if person is None or client.state != State.ACTIVE or not person.training_digest:
        return
    today = today_in(now, person.time_zone)
    seen = change_is_visible(
        list(days), start=client.start_date, today=today, horizon_days=client.horizon_days
    )
    if not seen:
        return
    day, due = digest_slot(now, person.time_zone, today_taken=False)
    row = db.session.scalar(
        sa.select(OutboxMessage).where(OutboxMessage.dedupe_key == digest_key(client.id, day))
    )
    if row is not None and row.sent_at is None and row.skipped_at is None:
        return  # today's is still to go: it will tell of this too
    if row is not None:
        day, due = digest_slot(now, person.time_zone, today_taken=True)
    try:
        with db.session.begin_nested():
            made = queue_email(person.email, "New training", "Composed when sent.", not_before=due)
            made.kind, made.dedupe_key = MailKind.DIGEST, digest_key(client.id, day)
            db.session.flush()
    except IntegrityError:
        pass  # planned already, by this change's twin or an earlier one
