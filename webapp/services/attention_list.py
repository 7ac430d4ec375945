"""What Needs attention lists, page and top-bar menu alike: active and pending clients short of
written training (how many days, and the first gap), and active clients whose sessions ran out,
who owe a card payment, or whose program renewal failed."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import Booking, CalendarEntry, Client, User
from webapp.rules.attention import AttentionReason, TrainingGap, reasons, training_gap
from webapp.rules.calendar import needs_training_window
from webapp.rules.dates import today_in
from webapp.rules.invites import State
from webapp.rules.plusone import PlusOneDecision
from webapp.services import zones
from webapp.services.attention import active_clients_of, sessions_run_out_by_client, standings_of
from webapp.services.calendar_reads import needs_training_ids
from webapp.services.payment_due import payment_due_by_client


class Attention(NamedTuple):
    client: Client
    gap: TrainingGap | None  # short of written training
    run_out: PlusOneDecision | None  # no session left and +1 will not book one
    payment_due: list[Booking]  # bookings whose card charge did not go through
    renewal_failed: bool  # the program's last renewal by card failed

    @property
    def reasons(self) -> tuple[AttentionReason, ...]:
        return reasons(
            training_gap=self.gap is not None,
            sessions_run_out=self.run_out is not None,
            payment_due=bool(self.payment_due),
            renewal_failed=self.renewal_failed,
        )


def training_gaps(clients: list[Client], now: datetime) -> dict[int, TrainingGap]:
    """Each flagged client's written days of their window and first gap: two or three queries."""
    flagged = needs_training_ids(clients, now)
    if not flagged:
        return {}
    time_zones = zones.all_remembered()
    windows = {
        c.id: needs_training_window(today_in(now, time_zones.get(c.id)), c.horizon_days)
        for c in clients
        if c.id in flagged
    }
    written: dict[int, set] = defaultdict(set)
    rows = db.session.execute(
        sa.select(CalendarEntry.client_id, CalendarEntry.on_date)
        .where(
            CalendarEntry.client_id.in_(list(windows)),
            CalendarEntry.on_date.between(
                min(w[0] for w in windows.values()), max(w[1] for w in windows.values())
            ),
        )
        .distinct()
    )
    for client_id, on in rows:
        written[client_id].add(on)
    return {cid: training_gap(written[cid], *window) for cid, window in windows.items()}


def needing_attention(coach: User, now: datetime) -> list[Attention]:
    """Everyone the coach should look at, active clients first, each in name order."""
    # Active and pending clients in one query, with their standing and failed renewals.
    rows = active_clients_of(coach, (State.ACTIVE, State.PENDING), renewal=True)
    active_rows = [row for row in rows if row.Client.state == State.ACTIVE]
    active = [row.Client for row in active_rows]
    pending = [row.Client for row in rows if row.Client.state == State.PENDING]
    gaps = training_gaps(active + pending, now)
    run_out = sessions_run_out_by_client(standings_of(active_rows), now)
    due = payment_due_by_client(coach, active)
    renewal_failed = {row.Client.id for row in active_rows if row.renewal_failed}
    return [
        Attention(c, gaps.get(c.id), run_out.get(c.id), due.get(c.id, []), c.id in renewal_failed)
        for c in active + pending
        if c.id in gaps or c.id in run_out or c.id in due or c.id in renewal_failed
    ]
