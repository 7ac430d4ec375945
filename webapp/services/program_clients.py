"""What the program page's client tabs read: the tab counts, a page of clients in one state,
open email invitations, pending clients' formal invitations, and where a client can move.

Every list is loaded in a fixed number of queries, whatever the number of clients, and the
client lists a page at a time, so a program with thousands of clients stays quick.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from webapp.extensions import db
from webapp.models import Client, Invitation, Program, User
from webapp.rules.invites import Method, State
from webapp.rules.programs import ProgramStatus
from webapp.services import zones
from webapp.services.attention import Standing
from webapp.services.coaching_sessions import with_plus_one_standing

# The statements the tabs run on every load are built once and bound per request: building a
# statement and its cache key costs more than PostgreSQL takes to run these.
_PROGRAM_ID: sa.BindParameter[int] = sa.bindparam("program_id")


def _open_email_invitations(program_id: int | sa.BindParameter):
    """Email invitations neither accepted nor revoked (expired ones can be resent)."""
    return sa.select(Invitation).where(
        Invitation.program_id == program_id,
        Invitation.kind == Method.EMAIL,
        Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None),
    )


def _clients_in(state: State):
    return (
        sa.select(sa.func.count())
        .where(Client.program_id == _PROGRAM_ID, Client.state == state)
        .scalar_subquery()
    )


_COUNTS = sa.select(
    _clients_in(State.PENDING),
    _clients_in(State.ACTIVE),
    sa.select(sa.func.count())
    .select_from(_open_email_invitations(_PROGRAM_ID).subquery())
    .scalar_subquery(),
)


def tab_counts(program: Program) -> dict[str, int]:
    """Pending, active and open-invitation counts for the tab labels, in one query."""
    pending, active, open_invitations = db.session.execute(
        _COUNTS, {"program_id": program.id}
    ).one()
    return {"pending": pending, "active": active, "invitations": open_invitations}


# Made once: building a new alias for every query costs more than the query.
_person = aliased(User, name="person")


class ClientRow(NamedTuple):
    """A client as the tabs list them. Read-only, so loaded as plain columns: several times
    faster than ORM objects, and a tuple's fields read faster than a result row's."""

    id: int
    name: str
    email: str
    method: str
    start_date: date
    horizon_days: int | None
    time_zone: str | None
    user_id: int | None
    awaiting_payment_since: datetime | None  # accepted a program paid by card, not yet paid


_NAME_ORDER = (sa.func.lower(Client.name), Client.id)


def _page_ids(searched: bool):
    """Ids of one page of the program's clients in one state (limit and offset bound per
    request), with the number on all pages; narrowed by name or email when `searched`."""
    query = sa.select(Client.id, sa.func.count().over().label("total")).where(
        Client.program_id == _PROGRAM_ID, Client.state == sa.bindparam("state")
    )
    if searched:
        pattern: sa.BindParameter[str] = sa.bindparam("pattern")
        query = query.where(
            sa.or_(
                sa.func.lower(Client.name).like(pattern, escape="\\"),
                sa.func.lower(Client.email).like(pattern, escape="\\"),
            )
        )
    return (
        query.order_by(*_NAME_ORDER)
        .limit(sa.bindparam("limit"))
        .offset(sa.bindparam("offset"))
        .subquery("page")
    )


def _client_list(active: bool, searched: bool) -> sa.Select:
    """The page's rows, the total on all pages last. The page is cut before anything else is
    read, so a client's +1 standing is looked up for the 25 rows shown, not the whole program."""
    page = _page_ids(searched)
    query = (
        sa.select(
            Client.id,
            Client.name,
            Client.email,
            Client.method,
            Client.start_date,
            Client.horizon_days,
            _person.time_zone,
            Client.user_id,
            Client.awaiting_payment_since,
        )
        .join(page, page.c.id == Client.id)
        .outerjoin(_person, _person.id == Client.user_id)
        .order_by(*_NAME_ORDER)
    )
    if active:
        # Active clients come with their +1 standing, for the Sessions run out badge.
        coach_id: sa.BindParameter[int] = sa.bindparam("coach_id")
        query = with_plus_one_standing(query, coach_id)
    return query.add_columns(page.c.total)


_LISTS = {
    (active, searched): _client_list(active, searched)
    for active in (True, False)
    for searched in (True, False)
}


class ClientPage(NamedTuple):
    rows: list[ClientRow]
    standings: list[Standing]
    total: int


def clients_page(
    program: Program, state: str, *, page: int, size: int, pattern: str | None, coach_zone: str
) -> ClientPage:
    """One page of `size` of the program's clients in one state, narrowed by the LIKE `pattern`
    when there is one, each with their calendar's time zone remembered (the coach's,
    `coach_zone`, until they accept), and for active clients their +1 standing (empty for
    other states)."""
    params = {
        "program_id": program.id,
        "state": state,
        "coach_id": program.coach_id,
        "limit": size,
        "offset": (page - 1) * size,
        "pattern": pattern or "%",
    }
    width = len(ClientRow._fields)
    active = state == State.ACTIVE
    result = db.session.execute(_LISTS[active, pattern is not None], params)
    rows, standings, total = [], [], 0
    for row in result:
        client = ClientRow(*row[:width])
        rows.append(client)
        total = row[-1]
        if active:
            standings.append(Standing(client.id, client.user_id, client.time_zone, *row[width:-1]))
    zones.remember_all({row.id: row.time_zone or coach_zone for row in rows})
    return ClientPage(rows, standings, total)


def open_email_invitations(program: Program) -> list[Invitation]:
    """The program's open email invitations, newest first."""
    return list(
        db.session.scalars(_open_email_invitations(program.id).order_by(Invitation.id.desc()))
    )


def latest_invitations(client_ids: list[int]) -> dict[int, Invitation]:
    """The newest unrevoked formal invitation of each pending client, in one query."""
    if not client_ids:
        return {}
    rows = db.session.scalars(
        sa.select(Invitation)
        .where(Invitation.client_id.in_(client_ids), Invitation.revoked_at.is_(None))
        .order_by(Invitation.id)
    ).all()
    # Formal invitations carry their client; the query reads only those.
    return {row.client_id: row for row in rows if row.client_id is not None}


_OTHER_PROGRAMS = (
    sa.select(Program.id, Program.name)
    .where(
        Program.coach_id == sa.bindparam("coach_id"),
        Program.id != _PROGRAM_ID,
        Program.status != ProgramStatus.ARCHIVED,
    )
    .order_by(Program.name)
)


def other_programs(program: Program) -> Sequence[sa.Row[int, str]]:
    """Where a client can be moved: the coach's other programs that are not archived."""
    return db.session.execute(
        _OTHER_PROGRAMS, {"coach_id": program.coach_id, "program_id": program.id}
    ).all()
