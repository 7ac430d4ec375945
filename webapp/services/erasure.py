"""Erasure (GDPR Art. 17): a coach erases a client, a client deletes their account, a coach
closes theirs. Each is one transaction that the caller commits: anything that fails leaves
everything as it was. A card subscription is cancelled at Stripe first, outside any lock;
running the same erasure again finds it done and changes nothing.

What goes and what stays is listed in webapp.rules.erasure; bookings, sessions and ledger rows
stay, naming an anonymised person, until the retention period (FINANCIAL_RETENTION_YEARS) ends.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app

from webapp.extensions import db
from webapp.models import (
    Booking,
    Client,
    CoachingSession,
    Invitation,
    Package,
    PaymentAccount,
    PlusOneEnrolment,
    Program,
    ProgramSubscription,
    SavedCard,
    User,
)
from webapp.rules.erasure import (
    CLOSED_COACH,
    account_goes,
    check_may_close,
    erased_name,
    retention_ends,
)
from webapp.rules.invites import State
from webapp.rules.programs import ProgramStatus
from webapp.services.erasure_mail import forget_mail
from webapp.services.erasure_rows import (
    addresses_of,
    delete_invitations_to,
    erase_account,
    erase_memberships,
    forget_with_coach,
)
from webapp.services.erasure_stripe import (
    anonymise_at_stripe,
    cancel_at_stripe,
    live_subscriptions,
    mark_cancelled,
)


def keep_until(now: datetime) -> date:
    return retention_ends(now, int(current_app.config.get("FINANCIAL_RETENTION_YEARS", 10)))


def coach_rows_of(coach_id: int, client: Client, *, for_update: bool = False) -> list[Client]:
    """Every row of this person in the coach's programs: by account, or by the address the
    coach typed for someone who has none yet."""
    if client.user_id:
        same = Client.user_id == client.user_id
    else:
        same = sa.and_(Client.user_id.is_(None), Client.email == client.email)
    query = (
        sa.select(Client)
        .join(Program, Program.id == Client.program_id)
        .where(Program.coach_id == coach_id, same)
        .order_by(Client.id)
    )
    return list(db.session.scalars(query.with_for_update(of=Client) if for_update else query))


def memberships_elsewhere(person_id: int, coach_id: int) -> int:
    """The person's rows, not erased, in other coaches' programs."""
    return int(
        db.session.scalar(
            sa.select(sa.func.count(Client.id))
            .join(Program, Program.id == Client.program_id)
            .where(
                Client.user_id == person_id,
                Program.coach_id != coach_id,
                Client.erased_at.is_(None),
            )
        )
        or 0
    )


def _cancel_first(
    client_ids: list[int], person_id: int | None = None, coach_id: int | None = None
) -> list[int]:
    """With nothing locked, cancel their live subscriptions at Stripe and strike the person's
    name from their Stripe customers (with one coach, or all); the subscriptions' ids, to mark."""
    rows = live_subscriptions(client_ids)
    ids = [row.id for row in rows]
    cards: list[SavedCard] = []
    if person_id is not None:
        query = sa.select(SavedCard).where(SavedCard.client_user_id == person_id)
        if coach_id is not None:
            query = query.where(SavedCard.coach_id == coach_id)
        cards = list(db.session.scalars(query))
    db.session.commit()  # nothing is locked while Stripe answers
    cancel_at_stripe(rows)
    if person_id is not None:
        anonymise_at_stripe(cards, erased_name(person_id))
    return ids


def _mark(subscription_ids: list[int], now: datetime) -> None:
    mark_cancelled([db.session.get_one(ProgramSubscription, sid) for sid in subscription_ids], now)


def _sessions_of(person_id: int, coach_id: int | None = None) -> sa.Select:
    query = sa.select(CoachingSession.id).where(CoachingSession.client_user_id == person_id)
    if coach_id is not None:
        query = query.where(CoachingSession.coach_id == coach_id)
    return query


def erase_client(coach: User, client: Client, now: datetime) -> bool:
    """Erase the person behind `client` from the coach's programs, and their account when no
    other coach has them. False when there was nothing left to erase (a repeat)."""
    coach_id, client_id = coach.id, client.id
    if all(row.erased_at for row in coach_rows_of(coach_id, client)):
        return False
    cancelled = _cancel_first(
        [row.id for row in coach_rows_of(coach_id, client)], client.user_id, coach_id
    )
    client = db.session.get_one(Client, client_id)
    rows = [row for row in coach_rows_of(coach_id, client, for_update=True) if not row.erased_at]
    if not rows:
        return False
    person = db.session.get(User, rows[0].user_id) if rows[0].user_id else None
    emails = addresses_of(person, rows)
    secrets = sorted({row.name for row in rows} | ({person.name} if person else set())) + emails
    erase_memberships(rows, now)
    delete_invitations_to(coach_id, emails)
    _mark(cancelled, now)
    if person is None:
        forget_mail(emails, secrets)
        return True
    forget_with_coach(coach_id, person.id, secrets)
    if account_goes(memberships_elsewhere(person.id, coach_id)):
        erase_account(person, emails, now, keep_until(now))
        forget_mail(emails, secrets, _sessions_of(person.id))
    else:
        forget_mail([], [], _sessions_of(person.id, coach_id))
    return True


def _coaches_of(person_id: int) -> set[int]:
    in_programs = sa.select(Program.coach_id).join(Client, Client.program_id == Program.id)
    booked = sa.select(Booking.coach_id).where(Booking.client_user_id == person_id)
    return set(db.session.scalars(in_programs.where(Client.user_id == person_id))) | set(
        db.session.scalars(booked)
    )


def delete_own_account(person: User, now: datetime) -> None:
    """A client leaves every coach at once: every calendar, link and message, and the login."""
    person_id = person.id
    mine = sa.select(Client).where(Client.user_id == person_id)
    cancelled = _cancel_first([row.id for row in db.session.scalars(mine)], person_id)
    person = db.session.get_one(User, person_id)
    rows = list(db.session.scalars(mine.with_for_update()))
    emails = addresses_of(person, rows)
    secrets = sorted({row.name for row in rows} | {person.name}) + emails
    erase_memberships([row for row in rows if not row.erased_at], now)
    delete_invitations_to(None, emails)
    _mark(cancelled, now)
    for coach_id in _coaches_of(person_id):
        forget_with_coach(coach_id, person_id, secrets)
    erase_account(person, emails, now, keep_until(now))
    forget_mail(emails, secrets, _sessions_of(person_id))


def active_clients(coach_id: int) -> int:
    return int(
        db.session.scalar(
            sa.select(sa.func.count(Client.id))
            .join(Program, Program.id == Client.program_id)
            .where(Program.coach_id == coach_id, Client.state == State.ACTIVE)
        )
        or 0
    )


def close_account(coach: User, now: datetime) -> None:
    """A coach leaves once no client is active (ErasureRefused otherwise): every client row of
    their programs is erased (the clients' own accounts stay theirs), programs are archived and
    their join links die, Stripe is disconnected, and the coach's login goes."""
    check_may_close(active_clients(coach.id))
    coach_id = coach.id
    programs = sa.select(Program.id).where(Program.coach_id == coach_id)
    rows_query = sa.select(Client).where(Client.program_id.in_(programs))
    cancelled = _cancel_first([row.id for row in db.session.scalars(rows_query)])
    coach = db.session.get_one(User, coach_id)
    rows = list(db.session.scalars(rows_query.with_for_update()))
    check_may_close(sum(row.state == State.ACTIVE for row in rows))
    erase_memberships([row for row in rows if not row.erased_at], now)
    _mark(cancelled, now)
    db.session.execute(sa.delete(Invitation).where(Invitation.program_id.in_(programs)))
    db.session.execute(
        sa.update(Program)
        .where(Program.coach_id == coach_id)
        .values(
            status=ProgramStatus.ARCHIVED,
            archived_at=sa.func.coalesce(Program.archived_at, now),
            join_enabled=False,
            join_salt=None,
            join_token_hash=None,
        )
    )
    db.session.execute(
        sa.update(Package)
        .where(Package.coach_id == coach_id, Package.archived_at.is_(None))
        .values(archived_at=now)
    )
    for model in (PaymentAccount, SavedCard, PlusOneEnrolment):
        db.session.execute(sa.delete(model).where(model.coach_id == coach_id))
    emails = addresses_of(coach, [])
    secrets = [coach.name, *emails]
    erase_account(coach, emails, now, keep_until(now))
    sessions = sa.select(CoachingSession.id).where(CoachingSession.coach_id == coach_id)
    forget_mail(emails, secrets, sessions, replacement=CLOSED_COACH)
