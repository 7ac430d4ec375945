"""Single-use links emailed to an account (password reset, new email address): one table per
kind, each with user_id, token_hash, expires_at and used_at. Only the link's hash is stored."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import EmailChange, PasswordReset, User
from webapp.rules.credentials import LINK_USED, LinkError, check_link_usable
from webapp.services.changed_rows import changed_rows
from webapp.services.tokens import hash_token, looks_like_token

# A row of one of the emailed-link tables.
Link = TypeVar("Link", PasswordReset, EmailChange)


def retire_open_links(model, user_id: int, now: datetime) -> int:
    """A newer link replaces any of the same kind still out: mark those used."""
    return changed_rows(
        db.session.execute(
            sa.update(model)
            .where(model.user_id == user_id, model.used_at.is_(None))
            .values(used_at=now)
        )
    )


def load_link(model: type[Link], token: str, now: datetime, *, not_found: str) -> tuple[Link, User]:
    """The usable link row for this token and its account, or LinkError."""
    row = None
    if looks_like_token(token):
        row = db.session.execute(
            sa.select(model, User)
            .join(User, User.id == model.user_id)
            .where(model.token_hash == hash_token(token))
        ).first()
    if row is None:
        raise LinkError(not_found)
    link, user = row
    check_link_usable(expires_at=link.expires_at, used_at=link.used_at, now=now)
    return link, user


def claim_link(link, now: datetime) -> None:
    """Mark the link used, once: a second use, even at the same moment, raises LinkError."""
    model = type(link)
    claimed = changed_rows(
        db.session.execute(
            sa.update(model).where(model.id == link.id, model.used_at.is_(None)).values(used_at=now)
        )
    )
    if claimed != 1:
        # Another request used the link between our read and this update.
        raise LinkError(LINK_USED)
