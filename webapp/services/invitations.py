"""Becoming an active client: by accepting an invitation or through a program's join link.

Exactly once: an invitation is claimed with a conditional UPDATE (only while unaccepted), and
the database allows one client row per program and email, so concurrent acceptances of one
invitation make one active client.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import Client, Invitation, Program, User
from webapp.rules.dates import today_in
from webapp.rules.invites import (
    ALREADY_USED_LOGGED_IN,
    PUBLIC_POST_LIMIT_PER_IP,
    PUBLIC_POST_LIMIT_PER_TOKEN,
    PUBLIC_POST_PERIOD,
    AlreadyInProgram,
    InvitationView,
    InviteError,
    Method,
    State,
    check_can_accept,
    check_usable,
    start_date_on_accept,
    state_on_accept,
)
from webapp.services import ratelimits, subscriptions
from webapp.services.calendar_edits import shift_from
from webapp.services.changed_rows import changed_rows
from webapp.services.clients import client_in, require_accepting
from webapp.services.data_versions import COACHES_OPTION
from webapp.services.tokens import hash_token, looks_like_token

_UNUSABLE_USED = "This invitation has already been used. Log in to see your coaching."


def find_invitation(token: str) -> Invitation | None:
    if not looks_like_token(token):
        return None
    return db.session.scalar(
        sa.select(Invitation).where(Invitation.token_hash == hash_token(token))
    )


def view_of(invitation: Invitation) -> InvitationView:
    return InvitationView(
        expires_at=invitation.expires_at,
        accepted_at=invitation.accepted_at,
        revoked_at=invitation.revoked_at,
    )


def public_post_allowed(kind: str, token: str, address: str | None, now: datetime) -> bool:
    """Count a public form post against the visitor's address and the token."""
    by_ip = _hit(f"{kind}:ip:{address}", PUBLIC_POST_LIMIT_PER_IP, now)
    by_token = _hit(f"{kind}:token:{hash_token(token)[:32]}", PUBLIC_POST_LIMIT_PER_TOKEN, now)
    return by_ip.allowed and by_token.allowed


def _hit(key: str, limit: int, now: datetime):
    try:
        return ratelimits.hit(key, now, limit=limit, period=PUBLIC_POST_PERIOD)
    except sa.exc.IntegrityError:
        # A concurrent request created this window first (PostgreSQL reports it at the
        # INSERT): count this attempt against the window it made.
        db.session.rollback()
        return ratelimits.hit(key, now, limit=limit, period=PUBLIC_POST_PERIOD)


def membership(program_id: int, user: User) -> Client | None:
    return db.session.scalar(
        sa.select(Client).where(
            Client.program_id == program_id, Client.user_id == user.id, Client.state == State.ACTIVE
        )
    )


def accept_invitation(
    invitation: Invitation,
    program: Program,
    user: User,
    now: datetime,
    *,
    logged_in: bool = False,
) -> Client:
    require_accepting(program)
    check_can_accept(
        is_coach=user.is_coach, account_email=user.email, invited_email=invitation.email
    )
    check_usable(view_of(invitation), now)
    claimed = db.session.execute(
        sa.update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
        .values(accepted_at=now)
        .execution_options(synchronize_session=False, **{COACHES_OPTION: (program.coach_id,)})
    )
    if changed_rows(claimed) != 1:
        db.session.refresh(invitation)
        check_usable(view_of(invitation), now, logged_in=logged_in)
        raise InviteError(ALREADY_USED_LOGGED_IN if logged_in else _UNUSABLE_USED)
    client = _activate(program, user, Method(invitation.kind), now)
    db.session.execute(
        sa.update(Invitation)
        .where(Invitation.id == invitation.id)
        .values(client_id=client.id)
        .execution_options(**{COACHES_OPTION: (program.coach_id,)})
    )
    return client


def join_program(program: Program, user: User, now: datetime) -> Client:
    require_accepting(program)
    check_can_accept(is_coach=user.is_coach, account_email=user.email, invited_email=None)
    return _activate(program, user, Method.LINK, now)


def _activate(program: Program, user: User, method: Method, now: datetime) -> Client:
    client = client_in(program.id, user.email, for_update=True)
    state = State(client.state) if client else State.ABSENT
    pays_first = subscriptions.pays_first(program)
    new_state = state_on_accept(state, method, pays_first=pays_first)
    start = start_date_on_accept(
        state,
        client.start_date if client else None,
        today_in(now, user.time_zone),
        chosen_by_coach=bool(client and client.start_date_set),
    )
    if client is None:
        client = Client(program_id=program.id, email=user.email, name=user.name, method=method)
        db.session.add(client)
    elif client.start_date is not None and start != client.start_date:
        # Training written before they joined keeps its Week and Day: it moves with the start.
        days = (start - client.start_date).days
        shift_from(client, client.start_date, days, mover_id=program.coach_id, now=now)
    # How they actually joined: a pending client who follows the join link joined by link.
    client.method = method
    client.user_id = user.id
    client.state = new_state
    client.start_date = start
    client.activated_at = now if new_state is State.ACTIVE else None
    # Pending until Stripe confirms the first payment (`subscriptions.first_payment`).
    client.awaiting_payment_since = (client.awaiting_payment_since or now) if pays_first else None
    client.waiver_accepted_at = now if program.waiver else None
    try:
        with db.session.begin_nested():
            db.session.flush()
    except sa.exc.IntegrityError:
        raise AlreadyInProgram("You are already a client in this program.") from None
    # Any other invitation still out for this person here has nothing left to do.
    db.session.execute(
        sa.update(Invitation)
        .where(
            Invitation.program_id == program.id,
            Invitation.email == user.email,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    return client
