"""Database-side steps for a coach's clients: invite, send and withdraw invitations, move, remove.

Each step checks the invite rules, writes, and queues its email in the same transaction; the
caller commits.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app, url_for

from webapp.extensions import db
from webapp.models import Client, Invitation, Program, User
from webapp.rules.dates import today_in, zone
from webapp.rules.invites import (
    DEFAULT_INVITATION_DAYS,
    AlreadyInProgram,
    Event,
    InvitationStatus,
    InvitationView,
    InviteError,
    Method,
    State,
    check_invite,
    check_move,
    expiry,
    invitation_status,
    state_on_move,
    transition,
)
from webapp.rules.programs import ProgramStatus, accepts_clients
from webapp.services import outbox
from webapp.services.changed_rows import changed_rows
from webapp.services.data_versions import COACHES_OPTION
from webapp.services.subscriptions import pays_first
from webapp.services.tokens import hash_token, new_random_token


def require_accepting(program: Program) -> None:
    """Only a published program takes invites and joins."""
    if accepts_clients(ProgramStatus(program.status)):
        return
    if program.status == ProgramStatus.ARCHIVED:
        raise InviteError("This program is archived: it takes no invites or joins.")
    raise InviteError("This program is not published yet: publish it before inviting clients.")


def client_in(program_id: int, email: str, *, for_update: bool = False) -> Client | None:
    query = sa.select(Client).where(Client.program_id == program_id, Client.email == email)
    if for_update:
        query = query.with_for_update()
    return db.session.scalar(query)


def outstanding_invitations_query(program_id: int, now: datetime):
    return sa.select(Invitation).where(
        Invitation.program_id == program_id,
        Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None),
        Invitation.expires_at > now,
    )


def _has_outstanding_invitation(program_id: int, email: str, now: datetime) -> bool:
    query = outstanding_invitations_query(program_id, now).where(Invitation.email == email)
    return db.session.scalar(sa.select(query.exists())) or False


def _check_new_invite(program: Program, email: str, method: Method, coach: User, now: datetime):
    require_accepting(program)
    client = client_in(program.id, email, for_update=True)
    state = State(client.state) if client else State.ABSENT
    check_invite(
        state,
        method,
        outstanding_invitation=_has_outstanding_invitation(program.id, email, now),
        own_email=email == coach.email,
    )
    return client


def manual_invite(program: Program, *, name: str, email: str, coach: User, now: datetime) -> Client:
    """A pending client at once: the row is their calendar, ready for the coach to write."""
    client = _check_new_invite(program, email, Method.MANUAL, coach, now)
    if client is None:
        client = Client(program_id=program.id, email=email)
        db.session.add(client)
    # A removed client added again keeps their row, and with it their history.
    client.name = name
    client.state = State.PENDING
    client.method = Method.MANUAL
    # Where the coach writes from until the client joins; it moves to their join date then.
    client.start_date = today_in(now, coach.time_zone)
    client.start_date_set = False
    client.activated_at = None
    client.awaiting_payment_since = None  # a removed client's unpaid join is over
    _flush_or_duplicate()
    return client


def email_invite(
    program: Program, *, name: str, email: str, coach: User, now: datetime
) -> Invitation:
    """An invitation only: the person becomes an active client when they accept."""
    _check_new_invite(program, email, Method.EMAIL, coach, now)
    invitation = Invitation(program_id=program.id, email=email, name=name or "", kind=Method.EMAIL)
    _issue(invitation, program, coach, now)
    db.session.add(invitation)
    return invitation


def send_formal_invite(client: Client, program: Program, coach: User, now: datetime) -> Invitation:
    """The formal invitation of a pending (Manual Invite) client; sending again re-issues it."""
    require_accepting(program)
    transition(State(client.state), Event.SEND_INVITE, Method.MANUAL)
    invitation = db.session.scalar(
        sa.select(Invitation)
        .where(
            Invitation.client_id == client.id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .order_by(Invitation.id.desc())
        .limit(1)
        .with_for_update()
    )
    if invitation is None or invitation.program_id != client.program_id:
        invitation = Invitation(
            program_id=client.program_id,
            client_id=client.id,
            email=client.email,
            name=client.name,
            kind=Method.MANUAL,
        )
        db.session.add(invitation)
    _issue(invitation, program, coach, now)
    return invitation


def resend(invitation: Invitation, program: Program, coach: User, now: datetime) -> None:
    """A new token and expiry; the old link stops working."""
    require_accepting(program)
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise InviteError("This invitation is no longer outstanding.")
    _issue(invitation, program, coach, now)


def revoke(invitation: Invitation, now: datetime) -> None:
    status = invitation_status(_view(invitation), now)
    if status is InvitationStatus.ACCEPTED:
        raise InviteError("This invitation has already been accepted.")
    if status is InvitationStatus.REVOKED:
        raise InviteError("This invitation was already revoked.")
    state = State.PENDING if invitation.kind == Method.MANUAL else State.ABSENT
    transition(state, Event.REVOKE, Method(invitation.kind))
    # Conditional, so a revoke racing an acceptance never undoes the acceptance.
    result = db.session.execute(
        sa.update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None))
        .values(revoked_at=now)
    )
    if changed_rows(result) != 1:
        raise InviteError("This invitation has already been accepted.")


def move(client: Client, target: Program, now: datetime) -> None:
    """The row moves, so every calendar entry, session and note moves with it. A client
    awaiting payment who lands where nothing is paid by card first is active from now."""
    transition(State(client.state), Event.MOVE, Method(client.method))
    awaiting = client.awaiting_payment_since is not None
    state = state_on_move(
        State(client.state), awaiting_payment=awaiting, target_pays_first=pays_first(target)
    )
    check_move(
        same_program=target.id == client.program_id,
        target_archived=target.status == ProgramStatus.ARCHIVED,
        target_has_email=client_in(target.id, client.email) is not None,
    )
    db.session.execute(
        sa.update(Invitation)
        .where(Invitation.client_id == client.id, Invitation.accepted_at.is_(None))
        .values(program_id=target.id)
        .execution_options(**{COACHES_OPTION: (target.coach_id,)})  # a coach's own programs
    )
    client.program_id = target.id
    if awaiting and state is State.ACTIVE:
        client.state, client.awaiting_payment_since, client.activated_at = state, None, now
    _flush_or_duplicate("This person is already in that program.")


def remove(client: Client, now: datetime) -> None:
    """They lose access at once; the row and its history stay."""
    client.state = transition(client.state, Event.REMOVE, client.method)
    client.awaiting_payment_since = None  # a payment arriving later makes no one active
    db.session.execute(
        sa.update(Invitation)
        .where(
            Invitation.client_id == client.id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )


def _view(invitation: Invitation) -> InvitationView:
    return InvitationView(
        expires_at=invitation.expires_at,
        accepted_at=invitation.accepted_at,
        revoked_at=invitation.revoked_at,
    )


def _issue(invitation: Invitation, program: Program, coach: User, now: datetime) -> None:
    """Give the invitation a fresh token (only its hash is kept) and queue the email."""
    token = new_random_token()
    days = current_app.config.get("INVITATION_DAYS", DEFAULT_INVITATION_DAYS)
    invitation.token_hash = hash_token(token)
    invitation.invited_by_id = coach.id
    invitation.sent_at = now
    invitation.expires_at = expiry(now, days)
    link = current_app.config["PUBLIC_URL"] + url_for("invitations.show", token=token)
    outbox.queue_rendered(
        invitation.email,
        f"{coach.name} invites you to {program.name}",
        "invitation",
        reply_to=(coach.name, coach.email),
        invitation=invitation,
        program=program,
        coach=coach,
        link=link,
        expires_on=invitation.expires_at.astimezone(zone(coach.time_zone)),
    )


def _flush_or_duplicate(message: str = "This person is already in this program.") -> None:
    """The database enforces one person once per program; say so in words."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except sa.exc.IntegrityError:
        raise AlreadyInProgram(message) from None
