"""Forgotten passwords: an emailed single-use link, then a new password.

Asking for a link answers the same whether or not the email has an account, so the form
cannot be used to find out who is on OnDeck.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app, url_for

from webapp.extensions import db
from webapp.models import PasswordReset, User
from webapp.rules.credentials import (
    RESET_EMAIL_LIMIT,
    RESET_EMAIL_PERIOD,
    RESET_LINK_LIFETIME,
    reset_link_expiry,
)
from webapp.services import outbox, ratelimits
from webapp.services.emailed_links import claim_link, load_link, retire_open_links
from webapp.services.tokens import hash_token, new_random_token
from webapp.services.users import change_password


def send_reset_link(user: User | None, now: datetime) -> None:
    """Queue a reset email for the account, if there is one; an unknown email writes nothing."""
    if user is None:
        return
    # Counted per known account only, so a limit reached says nothing about unknown emails.
    if not ratelimits.hit(
        f"reset:{user.id}", now, limit=RESET_EMAIL_LIMIT, period=RESET_EMAIL_PERIOD
    ).allowed:
        return
    token = new_random_token()
    retire_open_links(PasswordReset, user.id, now)
    db.session.add(
        PasswordReset(
            user_id=user.id,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=reset_link_expiry(now),
        )
    )
    link = current_app.config["PUBLIC_URL"] + url_for("auth.reset_password", token=token)
    minutes = int(RESET_LINK_LIFETIME.total_seconds() // 60)
    outbox.queue_rendered(
        user.email,
        "Reset your OnDeck password",
        "password_reset",
        user=user,
        link=link,
        minutes=minutes,
    )


def load_reset(token: str, now: datetime) -> tuple[PasswordReset, User]:
    """The usable reset link for this token and its account, or LinkError."""
    return load_link(
        PasswordReset,
        token,
        now,
        not_found="This link is not valid. Check that you opened the whole link from the "
        "email, or ask for a new one.",
    )


def use_reset(reset: PasswordReset, user: User, password: str, now: datetime) -> None:
    """Set the new password once: a second use of the link, even at the same moment, fails."""
    claim_link(reset, now)
    # Whoever knew the old password is logged out everywhere.
    change_password(user, password, now)
