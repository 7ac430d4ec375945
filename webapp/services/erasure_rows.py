"""The row-level steps of an erasure, each one statement or a few: a membership's calendar and
links, a person's account and tokens, what a coach holds of them. All in the caller's
transaction; nothing here commits."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import (
    CalendarEntry,
    Client,
    EmailChange,
    EntryMove,
    Invitation,
    LedgerEntry,
    Package,
    PasswordReset,
    PlusOneEnrolment,
    Program,
    RateLimitWindow,
    SavedCard,
    SignupRequest,
    User,
    WebhookEvent,
)
from webapp.rules.erasure import DEAD_LOGIN_HASH, ERASED_CLIENT, erased_email, erased_name, redact
from webapp.rules.invites import State
from webapp.services.tokens import hash_token


def erase_memberships(rows: list[Client], now: datetime) -> None:
    """Each calendar goes (entries, done marks, notes, moves), with its invitations and feed;
    the row stays as a placeholder, since kept coaching sessions point at it."""
    ids = [row.id for row in rows]
    if not ids:
        return
    entries = sa.select(CalendarEntry.id).where(CalendarEntry.client_id.in_(ids))
    db.session.execute(sa.delete(EntryMove).where(EntryMove.entry_id.in_(entries)))
    db.session.execute(sa.delete(CalendarEntry).where(CalendarEntry.client_id.in_(ids)))
    db.session.execute(sa.delete(Invitation).where(Invitation.client_id.in_(ids)))
    for row in rows:
        row.name = erased_name(row.user_id or row.id)
        row.email = erased_email("client", row.id)
        row.state = State.REMOVED
        row.awaiting_payment_since = None
        row.feed_salt = row.feed_token_hash = row.feed_version = None
        row.feed_changed_at = None
        row.erased_at = now


def delete_invitations_to(coach_id: int | None, emails: list[str]) -> None:
    """Email invitations to these addresses (in this coach's programs, or anyone's)."""
    if not emails:
        return
    query = sa.delete(Invitation).where(sa.func.lower(Invitation.email).in_(emails))
    if coach_id is not None:
        mine = sa.select(Program.id).where(Program.coach_id == coach_id)
        query = query.where(Invitation.program_id.in_(mine))
    db.session.execute(query)


def forget_with_coach(coach_id: int, person_id: int, secrets: list[str]) -> None:
    """What a coach holds of a person beyond the calendar: the saved card and +1 enrolment go;
    the coach's own words about them in kept rows (ledger notes, custom package names, webhook
    outcomes) lose their name."""
    for model in (SavedCard, PlusOneEnrolment):
        db.session.execute(
            sa.delete(model).where(model.coach_id == coach_id, model.client_user_id == person_id)
        )
    ledger = db.session.scalars(
        sa.select(LedgerEntry).where(
            LedgerEntry.coach_id == coach_id, LedgerEntry.client_user_id == person_id
        )
    )
    for entry in ledger:
        entry.note = redact(entry.note, secrets, ERASED_CLIENT) or ""
        entry.failure = redact(entry.failure, secrets, ERASED_CLIENT) or ""
    packages = db.session.scalars(
        sa.select(Package).where(Package.coach_id == coach_id, Package.offered_to_id == person_id)
    )
    for package in packages:
        package.name = redact(package.name, secrets, ERASED_CLIENT) or ""
    events = db.session.scalars(sa.select(WebhookEvent).where(WebhookEvent.coach_id == coach_id))
    for event in events:
        event.outcome = redact(event.outcome, secrets, ERASED_CLIENT) or ""


def erase_account(user: User, emails: list[str], now: datetime, keep_until: date) -> None:
    """The login goes for good: every session, reset and email change link, sign-up waiting,
    login counter; the row stays, anonymised, for the financial records that name it."""
    for model in (PasswordReset, EmailChange):
        db.session.execute(sa.delete(model).where(model.user_id == user.id))
    db.session.execute(
        sa.delete(SignupRequest).where(sa.func.lower(SignupRequest.email).in_(emails))
    )
    for email in emails:
        prefix = f"login:{hash_token(email)[:32]}"
        db.session.execute(
            sa.delete(RateLimitWindow).where(
                sa.or_(RateLimitWindow.key == prefix, RateLimitWindow.key.startswith(prefix + ":"))
            )
        )
    for model in (SavedCard, PlusOneEnrolment):
        db.session.execute(sa.delete(model).where(model.client_user_id == user.id))
    user.name = erased_name(user.id, coach=user.is_coach)
    user.email = erased_email("user", user.id)
    user.password_hash = DEAD_LOGIN_HASH
    user.session_version = User.session_version + 1
    user.unsubscribe_salt = user.unsubscribe_token_hash = None
    user.reminders_off, user.training_digest, user.agenda_email = True, False, False
    user.session_location = ""
    user.erased_at, user.retain_until = now, keep_until


def addresses_of(user: User | None, rows: list[Client]) -> list[str]:
    """Every address the person is known by: the account's, a waiting change's, each row's."""
    found = {row.email.lower() for row in rows}
    if user is not None:
        found.add(user.email.lower())
        found.update(
            email.lower()
            for email in db.session.scalars(
                sa.select(EmailChange.new_email).where(EmailChange.user_id == user.id)
            )
        )
    return sorted(found)
