"""The program page with its client tabs: one template, served whole or one block at a time.
The programs blueprint serves the page, the clients blueprint its tabs and invite forms.

Every list is loaded in a fixed number of queries, whatever the number of clients, and the
client lists a page at a time, so a program with thousands of clients stays quick.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

import sqlalchemy as sa
from flask_login import current_user
from sqlalchemy.orm import aliased

from webapp import clock
from webapp.extensions import db
from webapp.models import Client, Invitation, Program, User
from webapp.rules.invites import InvitationStatus, Method, State, invitation_status
from webapp.rules.programs import ProgramStatus
from webapp.services import zones
from webapp.services.attention import Standing, sessions_run_out_by_client
from webapp.services.calendar_reads import needs_training_ids
from webapp.services.clients import outstanding_invitations_query
from webapp.services.coaching_sessions import with_plus_one_standing
from webapp.services.invitations import view_of
from webapp.services.join_links import join_link
from webapp.web.htmx import is_htmx, render
from webapp.web.invite_forms import EmailInviteForm, ManualInviteForm
from webapp.web.paging import ListRequest, Pager, page_count

TABS = ("active", "pending", "invitations")
# Clients listed per page of the Active and Pending tabs.
PAGE_SIZE = 25
TEMPLATE = "programs/detail.html"


# The statements the tabs run on every load are built once and bound per request: building a
# statement and its cache key costs more than PostgreSQL takes to run these.
_PROGRAM_ID = sa.bindparam("program_id")


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


def _counts(program: Program) -> dict[str, int]:
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


_NAME_ORDER = (sa.func.lower(Client.name), Client.id)


def _page_ids(searched: bool):
    """Ids of one page of the program's clients in one state (limit and offset bound per
    request), with the number on all pages; narrowed by name or email when `searched`."""
    query = sa.select(Client.id, sa.func.count().over().label("total")).where(
        Client.program_id == _PROGRAM_ID, Client.state == sa.bindparam("state")
    )
    if searched:
        pattern = sa.bindparam("pattern")
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
        )
        .join(page, page.c.id == Client.id)
        .outerjoin(_person, _person.id == Client.user_id)
        .order_by(*_NAME_ORDER)
    )
    if active:
        # Active clients come with their +1 standing, for the Sessions run out badge.
        query = with_plus_one_standing(query, sa.bindparam("coach_id"))
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


def _clients(program: Program, state: str, listing: ListRequest, page: int) -> ClientPage:
    """One page of the program's clients in one state, each with their calendar's time zone
    remembered, and for active clients their +1 standing (empty for other states)."""
    params = {
        "program_id": program.id,
        "state": state,
        "coach_id": program.coach_id,
        "limit": PAGE_SIZE,
        "offset": (page - 1) * PAGE_SIZE,
        "pattern": listing.like_pattern(),
    }
    width = len(ClientRow._fields)
    active = state == State.ACTIVE
    result = db.session.execute(_LISTS[active, bool(listing.search)], params)
    rows, standings, total = [], [], 0
    for row in result:
        client = ClientRow(*row[:width])
        rows.append(client)
        total = row[-1]
        if active:
            standings.append(Standing(client.id, client.user_id, client.time_zone, *row[width:-1]))
    # The program is the logged-in coach's (its loader checked), so theirs is the coach's zone.
    coach_zone = current_user.time_zone
    zones.remember_all({row.id: row.time_zone or coach_zone for row in rows})
    return ClientPage(rows, standings, total)


def _client_page(
    program: Program, state: str, listing: ListRequest, state_total: int
) -> tuple[ClientPage, Pager]:
    """The page asked for; past the end, the last page (or, for a search, the first)."""
    page = listing.page
    if not listing.search:
        page = min(page, page_count(state_total, PAGE_SIZE))
    found = _clients(program, state, listing, page)
    if not found.rows and page > 1:
        page = 1
        found = _clients(program, state, listing, page)
    return found, Pager(page, found.total, PAGE_SIZE)


def _latest_invitations(client_ids: list[int]) -> dict[int, Invitation]:
    """The newest unrevoked formal invitation of each pending client, in one query."""
    if not client_ids:
        return {}
    rows = db.session.scalars(
        sa.select(Invitation)
        .where(Invitation.client_id.in_(client_ids), Invitation.revoked_at.is_(None))
        .order_by(Invitation.id)
    ).all()
    return {row.client_id: row for row in rows}


_OTHER_PROGRAMS = (
    sa.select(Program.id, Program.name)
    .where(
        Program.coach_id == sa.bindparam("coach_id"),
        Program.id != _PROGRAM_ID,
        Program.status != ProgramStatus.ARCHIVED,
    )
    .order_by(Program.name)
)


def other_programs(program: Program) -> list[sa.Row]:
    """Where a client can be moved: the coach's other programs that are not archived."""
    return db.session.execute(
        _OTHER_PROGRAMS, {"coach_id": program.coach_id, "program_id": program.id}
    ).all()


def _statuses(invitations, now: datetime) -> dict[int, InvitationStatus]:
    """Each invitation's standing at `now` (outstanding, expired...), for the page to show."""
    return {inv.id: invitation_status(view_of(inv), now) for inv in invitations}


def tab_rows(
    program: Program, tab: str, listing: ListRequest, counts: dict[str, int], now: datetime
) -> dict:
    if tab == "invitations":
        invitations = db.session.scalars(
            _open_email_invitations(program.id).order_by(Invitation.id.desc())
        ).all()
        return {"invitations": invitations, "invitation_statuses": _statuses(invitations, now)}
    (rows, standings, _total), pager = _client_page(program, tab, listing, counts[tab])
    context = {"rows": rows, "pager": pager, "search": listing.search}
    if tab == "pending":
        context["other_programs"] = other_programs(program)
        formal = _latest_invitations([c.id for c in rows])
        context["formal_invitations"] = formal
        context["invitation_statuses"] = _statuses(formal.values(), now)
    else:
        # Active rows load their Move and Remove forms on demand (clients.actions).
        context["needs_training"] = needs_training_ids(rows, now)
        context["sessions_run_out"] = sessions_run_out_by_client(standings, now)
    return context


def page_context(
    program: Program,
    tab: str = "active",
    *,
    block: str | None = None,
    manual_form: ManualInviteForm | None = None,
    email_form: EmailInviteForm | None = None,
    listing: ListRequest | None = None,
    **extra,
) -> dict:
    """What the program page, or its `block` for htmx, is rendered with."""
    counts = _counts(program)
    context = {
        "program": program,
        "tab": tab,
        "counts": counts,
        **tab_rows(program, tab, listing or ListRequest(), counts, clock.now()),
        **extra,
    }
    if not (block in ("client_area", "client_list") and is_htmx()):
        # Only the page around the client area shows the invite forms and the join link.
        context.update(
            manual_form=manual_form or ManualInviteForm(formdata=None),
            email_form=email_form or EmailInviteForm(formdata=None),
            join=join_link(program),
        )
    return context


def program_page(program: Program, tab: str = "active", *, block=None, status=200, **given):
    return render(
        TEMPLATE, block, status=status, **page_context(program, tab, block=block, **given)
    )


__all__ = [
    "TABS",
    "other_programs",
    "outstanding_invitations_query",
    "page_context",
    "program_page",
]
