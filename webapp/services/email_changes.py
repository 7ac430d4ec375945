"""Changing an account's email: the new address gets a single-use link, and only opening it
makes the change, so a typo cannot lock anyone out of their account.

The account's owner proves who they are with their password first. Whether the new address
already has an account is told only to that address's inbox, never on the page that asked.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app, url_for
from sqlalchemy.orm import aliased

from webapp.extensions import db
from webapp.models import Client, EmailChange, PasswordReset, User
from webapp.rules.credentials import (
    EMAIL_CHANGE_LIMIT,
    EMAIL_CHANGE_LINK_LIFETIME,
    EMAIL_CHANGE_PERIOD,
    EmailChangeError,
    LinkError,
    check_new_email,
    email_change_link_expiry,
)
from webapp.services import outbox, ratelimits
from webapp.services.emailed_links import claim_link, load_link, retire_open_links
from webapp.services.tokens import hash_token, new_random_token
from webapp.services.users import email_taken

LINK_HOURS = int(EMAIL_CHANGE_LINK_LIFETIME.total_seconds() // 3600)
ADDRESS_TAKEN = (
    "That address now belongs to another OnDeck account, so your email stays as it was. "
    "Choose another address from your account page."
)


def request_email_change(user: User, new_email: str, now: datetime) -> None:
    """Email the new address a confirmation link, or, if it has an account already, a note
    saying so. Raises EmailChangeError when the address is the current one or too many
    requests were made."""
    check_new_email(new_email, user.email)
    decision = ratelimits.hit(
        f"email-change:{user.id}", now, limit=EMAIL_CHANGE_LIMIT, period=EMAIL_CHANGE_PERIOD
    )
    if not decision.allowed:
        raise EmailChangeError(
            "You asked for several changes in the last hour. Wait an hour, then try again."
        )
    retire_open_links(EmailChange, user.id, now)
    if email_taken(new_email):
        outbox.queue_rendered(
            new_email,
            "Your address already has an OnDeck account",
            "email_change_taken",
            new_email=new_email,
        )
        return
    token = new_random_token()
    db.session.add(
        EmailChange(
            user_id=user.id,
            new_email=new_email,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=email_change_link_expiry(now),
        )
    )
    link = current_app.config["PUBLIC_URL"] + url_for("account.confirm_email", token=token)
    outbox.queue_rendered(
        new_email,
        "Confirm your new OnDeck email address",
        "email_change",
        user=user,
        new_email=new_email,
        link=link,
        hours=LINK_HOURS,
    )


def waiting_change(user: User, now: datetime) -> EmailChange | None:
    """The change still waiting for its link to be opened, if any."""
    return db.session.scalar(
        sa.select(EmailChange).where(
            EmailChange.user_id == user.id,
            EmailChange.used_at.is_(None),
            EmailChange.expires_at > now,
        )
    )


def cancel_waiting_changes(user: User, now: datetime) -> int:
    return retire_open_links(EmailChange, user.id, now)


def load_email_change(token: str, now: datetime) -> tuple[EmailChange, User]:
    """The usable change for this link and its account, or LinkError."""
    return load_link(
        EmailChange,
        token,
        now,
        not_found="This link is not valid. Check that you opened the whole link from the "
        "email, or change your email again from your account page.",
    )


def confirm_email_change(change: EmailChange, user: User, now: datetime) -> str:
    """Make the change once and tell the old address; returns the old address.

    Raises LinkError if the link was used meanwhile or the address was taken since it was
    sent (the caller rolls back)."""
    claim_link(change, now)
    if email_taken(change.new_email):
        raise LinkError(ADDRESS_TAKEN)
    old_email, user.email = user.email, change.new_email
    try:
        with db.session.begin_nested():
            db.session.flush()
    except sa.exc.IntegrityError:
        # Another account took the address between the check and this write.
        raise LinkError(ADDRESS_TAKEN) from None
    _follow_in_client_lists(user.id, change.new_email)
    # A reset link went to the old address: it must not outlive the change.
    retire_open_links(PasswordReset, user.id, now)
    outbox.queue_rendered(
        old_email,
        "Your OnDeck email address was changed",
        "email_changed_notice",
        user=user,
        old_email=old_email,
        new_email=user.email,
    )
    return old_email


def _follow_in_client_lists(user_id: int, new_email: str) -> None:
    """Coaches see the new address on the client's rows. A program that already lists that
    address on another row (an invite not yet accepted) keeps its rows as they are."""
    other = aliased(Client)
    clash = sa.exists().where(other.program_id == Client.program_id, other.email == new_email)
    db.session.execute(
        sa.update(Client)
        .where(Client.user_id == user_id, ~clash)
        .values(email=new_email)
        .execution_options(synchronize_session=False)
    )
