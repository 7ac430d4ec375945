"""Helpers for the sign-up tests: confirmation links read from the outbox, entries, counts."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import CalendarEntry, OutboxMessage, User

CONFIRM_LINK = re.compile(r"https?://\S+/signup/confirm/([A-Za-z0-9_-]+)")
NEW_PASSWORD = "a long enough password"
STRANGER_PASSWORD = "the strangers own password"


def confirmation_tokens(app, recipient: str) -> list[str]:
    """Every sign-up confirmation link mailed to this address, oldest first."""
    with app.app_context():
        bodies = db.session.scalars(
            sa.select(OutboxMessage.body)
            .where(OutboxMessage.recipient == recipient)
            .order_by(OutboxMessage.id)
        ).all()
    return [m.group(1) for body in bodies if (m := CONFIRM_LINK.search(body))]


def mails_to(app, recipient: str) -> list[OutboxMessage]:
    with app.app_context():
        return db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.recipient == recipient)
            .order_by(OutboxMessage.id)
        ).all()


def users(app) -> list[User]:
    with app.app_context():
        return db.session.scalars(sa.select(User).order_by(User.id)).all()


def write_entry(app, client_id: int, title: str) -> None:
    with app.app_context():
        db.session.add(CalendarEntry(client_id=client_id, on_date=date.today(), title=title))
        db.session.commit()


def confirm(browser, token: str, password: str = NEW_PASSWORD):
    return browser.post(f"/signup/confirm/{token}", data={"password": password})


def join_and_confirm(app, browser, join_token: str, data: dict):
    """Sign up through a join link, then confirm through the link mailed to the address."""
    browser.post(f"/join/{join_token}", data=data)
    token = confirmation_tokens(app, data["email"])[-1]
    return confirm(browser, token, data["password"])
