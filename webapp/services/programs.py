"""Database-side steps for programs, kept out of the views."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import Client, Program
from webapp.rules.invites import State
from webapp.rules.programs import ProgramAction, ProgramStatus, next_status
from webapp.services.join_links import regenerate as regenerate_join_link


def counts_by_state(program_ids: list[int]) -> dict[int, dict[str, int]]:
    """{program_id: {"pending": n, "active": n}} in one query."""
    if not program_ids:
        return {}
    rows = db.session.execute(
        sa.select(Client.program_id, Client.state, sa.func.count())
        .where(Client.program_id.in_(program_ids), Client.state.in_((State.PENDING, State.ACTIVE)))
        .group_by(Client.program_id, Client.state)
    ).all()
    counts: dict[int, dict[str, int]] = {pid: {"pending": 0, "active": 0} for pid in program_ids}
    for program_id, state, count in rows:
        counts[program_id][state] = count
    return counts


def change_status(program: Program, action: ProgramAction, now: datetime) -> None:
    """Apply the lifecycle rule; raises the rule's error when the step is refused."""
    members = counts_by_state([program.id])[program.id]
    status = next_status(
        ProgramStatus(program.status),
        action,
        clients_in_program=members["pending"] + members["active"],
    )
    program.status = status
    if status is ProgramStatus.PUBLISHED:
        program.published_at = now
        if program.join_salt is None:
            # Published programs get a join link at once; the coach can turn it off.
            regenerate_join_link(program)
    elif status is ProgramStatus.ARCHIVED:
        program.archived_at = now
