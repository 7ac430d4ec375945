"""The program page with its client tabs: one template, served whole or one block at a time.
The programs blueprint serves the page, the clients blueprint its tabs and invite forms; what
the tabs read is webapp.services.program_clients.
"""

from __future__ import annotations

from datetime import datetime

from flask_login import current_user

from webapp import clock
from webapp.models import Program
from webapp.rules.invites import InvitationStatus, invitation_status
from webapp.services.attention import sessions_run_out_by_client
from webapp.services.calendar_reads import needs_training_ids
from webapp.services.clients import outstanding_invitations_query
from webapp.services.invitations import view_of
from webapp.services.join_links import join_link
from webapp.services.next_sessions import next_sessions
from webapp.services.program_clients import (
    ClientPage,
    clients_page,
    latest_invitations,
    open_email_invitations,
    other_programs,
    tab_counts,
)
from webapp.web.htmx import is_htmx, render
from webapp.web.invite_forms import EmailInviteForm, ManualInviteForm
from webapp.web.paging import ListRequest, Pager, page_count

TABS = ("active", "pending", "invitations")
# Clients listed per page of the Active and Pending tabs.
PAGE_SIZE = 25
TEMPLATE = "programs/detail.html"


def _clients(program: Program, state: str, listing: ListRequest, page: int) -> ClientPage:
    # The program is the logged-in coach's (its loader checked), so theirs is the coach's zone.
    pattern = listing.like_pattern() if listing.search else None
    return clients_page(
        program,
        state,
        page=page,
        size=PAGE_SIZE,
        pattern=pattern,
        coach_zone=current_user.time_zone,
    )


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


def _statuses(invitations, now: datetime) -> dict[int, InvitationStatus]:
    """Each invitation's standing at `now` (outstanding, expired...), for the page to show."""
    return {inv.id: invitation_status(view_of(inv), now) for inv in invitations}


def tab_rows(
    program: Program, tab: str, listing: ListRequest, counts: dict[str, int], now: datetime
) -> dict:
    if tab == "invitations":
        invitations = open_email_invitations(program)
        return {"invitations": invitations, "invitation_statuses": _statuses(invitations, now)}
    (rows, standings, _total), pager = _client_page(program, tab, listing, counts[tab])
    context = {"rows": rows, "pager": pager, "search": listing.search}
    if tab == "pending":
        context["other_programs"] = other_programs(program)
        formal = latest_invitations([c.id for c in rows])
        context["formal_invitations"] = formal
        context["invitation_statuses"] = _statuses(formal.values(), now)
    else:
        # Active rows load their Move and Remove forms on demand (clients.actions).
        context["needs_training"] = needs_training_ids(rows, now)
        context["sessions_run_out"] = sessions_run_out_by_client(standings, now)
        context["next_sessions"] = next_sessions(program.coach_id, [r.user_id for r in rows])
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
    counts = tab_counts(program)
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
