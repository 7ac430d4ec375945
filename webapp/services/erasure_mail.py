"""Mail and an erased person: every message to them goes, sent or waiting (captured mail
included: the outbox is where it is kept), and so does scheduled mail about their sessions.
Mail that names them goes too unless it went to someone with an account (an address of theirs
OnDeck no longer knows, say, from before an email change); mail to someone with an account
(their coach) keeps its place with the name struck out."""

from __future__ import annotations

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import OutboxMessage, User
from webapp.rules.erasure import ERASED_CLIENT, mentions, redact

TEXT = ("recipient", "subject", "body", "html_body", "reply_to", "calendar_ics", "list_unsubscribe")


def forget_mail(
    emails: list[str],
    secrets: list[str],
    sessions: sa.Select | None = None,
    replacement: str = ERASED_CLIENT,
) -> None:
    """Delete mail to `emails` and unsent mail about `sessions` (a select of session ids);
    strike `secrets` out of what is left."""
    to_them: sa.ColumnElement[bool] = sa.false()
    if emails:
        to_them = sa.func.lower(OutboxMessage.recipient).in_(emails)
    about: sa.ColumnElement[bool] = sa.false()
    if sessions is not None:
        about = sa.and_(OutboxMessage.sent_at.is_(None), OutboxMessage.session_id.in_(sessions))
    db.session.execute(sa.delete(OutboxMessage).where(sa.or_(to_them, about)))
    naming = [
        message
        for message in db.session.scalars(sa.select(OutboxMessage).where(_naming(secrets)))
        if any(mentions(getattr(message, column), secrets) for column in TEXT)
    ]
    held = _account_addresses({message.recipient.lower() for message in naming})
    for message in naming:
        if message.recipient.lower() not in held:
            db.session.delete(message)
            continue
        for column in TEXT:
            value = getattr(message, column)
            if mentions(value, secrets):
                setattr(message, column, redact(value, secrets, replacement))


def _account_addresses(addresses: set[str]) -> set[str]:
    """Those of `addresses` that belong to an account not erased."""
    if not addresses:
        return set()
    found = sa.select(sa.func.lower(User.email)).where(
        sa.func.lower(User.email).in_(addresses), User.erased_at.is_(None)
    )
    return set(db.session.scalars(found))


def _naming(secrets: list[str]):
    """Messages whose text may hold one of the secrets (checked exactly in Python)."""
    forms = [secret.lower() for secret in secrets if secret.strip()]
    if not forms:
        return sa.false()
    return sa.or_(
        *(
            sa.func.lower(getattr(OutboxMessage, column)).contains(form, autoescape=True)
            for column in TEXT
            for form in _first_words(forms)
        )
    )


def _first_words(forms: list[str]) -> set[str]:
    """A broad net for the SQL side: each secret's longest word, which HTML escaping leaves
    alone more often than the whole (an apostrophe in a name becomes `&#x27;`)."""
    words = set()
    for form in forms:
        parts = [part for part in form.replace("'", " ").replace('"', " ").split() if part]
        words.add(max(parts, key=len) if parts else form)
    return words
