"""The pages the benchmark measures, as data.

Each page names the role that requests it and a `pick` query that returns target rows from the
seeded database: the first column is the email of the user to log in as, the others fill the URL
template. Requests cycle over the targets, so the load spreads over many users and rows instead of
hitting one cached row. Coach pages all use the first 20 coaches (every coach at 1/100), so the
run logs in few users.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bench import write_targets


@dataclass(frozen=True)
class Page:
    name: str
    method: str
    url: str
    role: str
    pick: str
    fragment: bool = False
    # Form body of a write ("key=value&..."), sent with the session's CSRF token in the
    # X-CSRFToken header, as htmx does. "{n}" in it becomes a number of each request's own:
    # a save that comes back to a row must still change it, as the same values write nothing.
    body: str | None = None
    # The status every request must answer; any other is counted in the "Not 200" column.
    ok_status: int = 200
    # Writes need a fresh target per request; reads cycle over a few dozen.
    targets: int = 20
    # False: the route is not built yet; the entry is listed, then skipped.
    present: bool = True
    # Not one of OnDeck's pages but a yardstick for them (least_write.py): measured and
    # reported like the others, held to no target.
    reference: bool = False

    @property
    def varies(self) -> bool:
        return "{n}" in (self.body or "")

    def body_for(self, n: int) -> str | None:
        """The body of request number n."""
        return None if self.body is None else self.body.replace("{n}", str(n))


def _month(offset: int) -> str:
    """`YYYY-MM`, `offset` months from this one."""
    today = date.today()
    months = today.year * 12 + today.month - 1 + offset
    return f"{months // 12}-{months % 12 + 1:02d}"


_THIS_MONTH, _MONTHS_AGO_11 = _month(0), _month(-11)

COACH_PROGRAMS = """
    SELECT u.email, p.id AS program_id
    FROM programs p JOIN users u ON u.id = p.coach_id
    WHERE p.status = 'published' AND p.coach_id <= 20
    ORDER BY md5(p.id::text) LIMIT :limit
"""

COACH_ACTIVE_CLIENTS = """
    SELECT u.email, c.id AS client_id
    FROM clients c JOIN programs p ON p.id = c.program_id JOIN users u ON u.id = p.coach_id
    WHERE c.state = 'active' AND p.coach_id <= 20
    ORDER BY md5(c.id::text) LIMIT :limit
"""

PAGES: list[Page] = [
    Page(
        name="programs list",
        method="GET",
        url="/programs/",
        role="coach",
        pick="SELECT email FROM users WHERE role = 'coach' AND id <= 20 LIMIT :limit",
    ),
    Page(
        name="program page",
        method="GET",
        url="/programs/{program_id}",
        role="coach",
        pick=COACH_PROGRAMS,
    ),
    Page(
        name="active tab",
        method="GET",
        url="/programs/{program_id}/active",
        role="coach",
        pick=COACH_PROGRAMS,
        fragment=True,
    ),
    Page(
        name="coach's client week",
        method="GET",
        url="/clients/{client_id}/calendar",
        role="coach",
        pick=COACH_ACTIVE_CLIENTS,
        fragment=True,
    ),
    Page(
        name="client's own calendar",
        method="GET",
        url="/my/calendar/{client_id}",
        role="client",
        pick="""
            SELECT u.email, c.id AS client_id
            FROM clients c JOIN users u ON u.id = c.user_id
            WHERE c.state = 'active'
            ORDER BY md5(c.id::text) LIMIT :limit
        """,
        fragment=True,
    ),
    # The client's page of one coach: packages to buy (and pay by card), their statement.
    Page(
        name="client's coach, packages and payments",
        method="GET",
        url="/my/coaches/{coach_id}",
        role="client",
        pick="""
            SELECT u.email, p.coach_id
            FROM clients c JOIN users u ON u.id = c.user_id JOIN programs p ON p.id = c.program_id
            WHERE c.state = 'active'
            ORDER BY md5(c.id::text) LIMIT :limit
        """,
    ),
    Page(
        name="client's payments (coach)",
        method="GET",
        url="/clients/{client_id}/payments",
        role="coach",
        pick=COACH_ACTIVE_CLIENTS,
    ),
    Page(
        name="reports, 12 months",
        method="GET",
        url=f"/reports?from={_MONTHS_AGO_11}&to={_THIS_MONTH}&currency=GBP",
        role="coach",
        pick="SELECT email FROM users WHERE role = 'coach' AND id <= 20 LIMIT :limit",
    ),
    Page(
        name="needs attention",
        method="GET",
        url="/needs-attention",
        role="coach",
        pick="SELECT email FROM users WHERE role = 'coach' AND id <= 20 LIMIT :limit",
    ),
    # Inline save of a calendar entry (an edit on the same date, so not a move).
    Page(
        name="inline save of an entry",
        method="POST",
        url="/clients/{client_id}/calendar/entries/{entry_id}",
        role="coach",
        pick="""
            SELECT u.email, e.id AS entry_id, c.id AS client_id
            FROM calendar_entries e JOIN clients c ON c.id = e.client_id
            JOIN programs p ON p.id = c.program_id JOIN users u ON u.id = p.coach_id
            WHERE c.state = 'active' AND e.on_date = CURRENT_DATE AND p.coach_id <= 20
            ORDER BY md5(e.id::text) LIMIT :limit
        """,
        fragment=True,
        body=(
            "title=Back+squat+5x5+{n}&body=Rest+2+minutes+between+sets&at_time="
            f"&on_date={date.today().isoformat()}"
        ),
        targets=200,
    ),
    # "Mark complete" on a remaining session. Each request completes another session: a
    # completed one answers without writing, so every size has enough (write_targets.py).
    Page(
        name="mark complete",
        method="POST",
        url="/clients/{client_id}/sessions/{session_id}/complete",
        role="coach",
        pick="""
            SELECT u.email, s.id AS session_id, MIN(c.id) AS client_id
            FROM coaching_sessions s JOIN users u ON u.id = s.coach_id
            JOIN clients c ON c.user_id = s.client_user_id
            JOIN programs p ON p.id = c.program_id AND p.coach_id = s.coach_id
            WHERE s.status = 'remaining' AND s.coach_id <= 20
            GROUP BY u.email, s.id
            ORDER BY md5(s.id::text) LIMIT :limit
        """,
        fragment=True,
        body="",
        targets=write_targets.REMAINING_SESSIONS,
    ),
    # The least any write can cost: log-in, CSRF, one UPDATE, the commit (least_write.py).
    Page(
        name="least write (reference)",
        method="POST",
        url="/bench/least-write",
        role="coach",
        pick="SELECT email FROM users WHERE role = 'coach' AND id <= 20 LIMIT :limit",
        fragment=True,
        body="",
        reference=True,
    ),
]
