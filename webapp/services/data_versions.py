"""Every write bumps, in its own transaction, the version of each coach whose pages it may
change (`rules.data_scopes` says whose a row is), so a page cached under the versions it was
rendered at can never be served once they move on.

Rows the ORM flushes are traced to their coach; a bulk UPDATE, DELETE or INSERT, whose rows
are not known here, bumps everyone's version. The bumps are written at commit, after the last
flush, in coach order, so two transactions never wait on each other's version rows in
opposite orders; a rolled-back transaction bumps nothing.
"""

from __future__ import annotations

import functools
from itertools import chain

import sqlalchemy as sa
from flask_sqlalchemy.session import Session
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState

from webapp.extensions import db
from webapp.models import CalendarEntry, Client, CoachingSession, DataVersion, Program
from webapp.rules.data_scopes import EVERYONE, Everyone, Traced, Unshown, Via, owner_of

_PENDING = "ondeck_versions_to_bump"
_BUMPED = "ondeck_versions_bumped"  # in this transaction already (see `bump_now`)
_PROGRAM_COACH = "ondeck_program_coaches"  # programs whose coach a loader has checked
# A bulk statement may name the coaches whose rows it changes; without it, it is everyone's.
COACHES_OPTION = "ondeck_coaches"

# How an id in a column leads to coach ids: (the id column it matches, the coach id column),
# joined from the table that holds the coach.
_COACH_OF = {
    Via.PROGRAM: (Program.id, Program.coach_id, ()),
    Via.CLIENT: (Client.id, Program.coach_id, ((Program, Program.id == Client.program_id),)),
    Via.ENTRY: (
        CalendarEntry.id,
        Program.coach_id,
        (
            (Client, Client.id == CalendarEntry.client_id),
            (Program, Program.id == Client.program_id),
        ),
    ),
    Via.SESSION: (CoachingSession.id, CoachingSession.coach_id, ()),
}


def init_data_versions() -> None:
    """Listen on every Flask-SQLAlchemy session, once per process."""
    for name, listener in (
        ("after_flush", _after_flush),
        ("do_orm_execute", _after_bulk),
        ("before_commit", _before_commit),
        ("after_transaction_end", _forget),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def note_program_coach(program_id: int, coach_id: int) -> None:
    """A loader that checked a program's coach says so, so a write to that program's rows is
    traced without asking the database again (a program never changes coach)."""
    db.session.info.setdefault(_PROGRAM_COACH, {})[program_id] = coach_id


def bump_now(coach_ids: list[int]) -> None:
    """Bump these versions at once rather than at commit. The rows stay locked until the
    transaction ends, so a write that must not run beside another of the same coach's (the
    +1 count) can take this lock instead of one of its own."""
    session = db.session()
    _bump(session.connection(), sorted(set(coach_ids)))
    session.info.setdefault(_BUMPED, set()).update(coach_ids)


def versions_seen_by(user_id: int) -> dict[int, int]:
    """The versions a person's pages depend on: everyone's, their own as a coach, and those of
    the coaches they are a client of. One query."""
    their_coaches = (
        sa.select(Program.coach_id)
        .join(Client, Client.program_id == Program.id)
        .where(Client.user_id == user_id)
    )
    rows = db.session.execute(
        sa.select(DataVersion.coach_id, DataVersion.version).where(
            sa.or_(
                DataVersion.coach_id.in_([EVERYONE, user_id]),
                DataVersion.coach_id.in_(their_coaches),
            )
        )
    )
    return {coach_id: version for coach_id, version in rows}


def versions_text(user_id, dialect: str) -> sa.ScalarSelect:
    """The same versions as `versions_seen_by`, as one text column (`coach:version,…`, in any
    order) to read beside the logged-in user in the query that loads them."""
    their_coaches = (
        sa.select(Program.coach_id)
        .join(Client, Client.program_id == Program.id)
        .where(Client.user_id == user_id)
    )
    pair = sa.cast(DataVersion.coach_id, sa.String) + ":" + sa.cast(DataVersion.version, sa.String)
    joined = sa.func.string_agg if dialect == "postgresql" else sa.func.group_concat
    return (
        sa.select(joined(pair, ","))
        .where(
            sa.or_(
                DataVersion.coach_id == EVERYONE,
                DataVersion.coach_id == user_id,
                DataVersion.coach_id.in_(their_coaches),
            )
        )
        .scalar_subquery()
    )


def parse_versions(text: str | None) -> dict[int, int]:
    """`versions_text`'s column as `versions_seen_by` returns it."""
    pairs = (item.split(":", 1) for item in (text or "").split(",") if item)
    return {int(coach_id): int(version) for coach_id, version in pairs}


def _pending(session) -> set[int]:
    return session.info.setdefault(_PENDING, set())


def _after_flush(session, _flush_context) -> None:
    traced: dict[Via, set[int]] = {}
    pending = _pending(session)
    for obj in chain(session.new, session.dirty, session.deleted):
        state = sa.inspect(obj)
        if obj in session.dirty and not session.is_modified(obj):
            continue
        owner = owner_of(state.mapper.local_table.name)
        if isinstance(owner, Unshown):
            continue
        if isinstance(owner, Everyone):
            pending.add(EVERYONE)
            continue
        values = _values(state, owner)
        if owner.via is Via.COACH:
            pending.update(values)
        else:
            traced.setdefault(owner.via, set()).update(values)
    connection = session.connection()
    for via, ids in traced.items():
        pending.update(_coaches(session, connection, via, ids))


def _values(state, owner: Traced) -> set[int]:
    """The column's value now and before the flush (a row moved to another program changes
    both programs' coaches' pages)."""
    mapper = state.mapper
    key = mapper.get_property_by_column(mapper.local_table.c[owner.column]).key
    history = state.attrs[key].history
    return {v for v in chain(history.added, history.unchanged, history.deleted) if v is not None}


def _coaches(session, connection, via: Via, ids: set[int]) -> set[int]:
    known = _known_coaches(session, via, ids)
    ids = ids - set(known)
    if not ids:
        return set(known.values())
    id_column, coach_column, joins = _COACH_OF[via]
    query = sa.select(id_column, coach_column)
    for table, on in joins:
        query = query.join(table, on)
    rows = connection.execute(query.where(id_column.in_(sorted(ids)))).all()
    coaches = {coach_id for _id, coach_id in rows} | set(known.values())
    if len({row_id for row_id, _coach in rows}) < len(ids):
        coaches.add(EVERYONE)  # a row whose parent went in the same flush: no longer traced
    return coaches


def _known_coaches(session, via: Via, ids: set[int]) -> dict[int, int]:
    """The coaches of these rows that the session already knows: a client loaded with its
    program checked by a loader, or the program itself."""
    checked = session.info.get(_PROGRAM_COACH, {})
    found: dict[int, int] = {}
    for row_id in ids:
        program_id: int | None = row_id
        if via is Via.CLIENT:
            client = session.identity_map.get(
                sa.inspect(Client).identity_key_from_primary_key((row_id,))
            )
            program_id = client.program_id if client is not None else None
        elif via is not Via.PROGRAM:
            continue
        if program_id is None:
            continue
        if program_id in checked:
            found[row_id] = checked[program_id]
            continue
        program = session.identity_map.get(
            sa.inspect(Program).identity_key_from_primary_key((program_id,))
        )
        if program is not None:
            found[row_id] = program.coach_id
    return found


def _after_bulk(execute_state: ORMExecuteState) -> None:
    """A statement run directly: a SELECT changes nothing; anything else is not traced row by
    row, so it bumps everyone's version unless no cached page reads its table, or it names
    the coaches whose rows it changes (`COACHES_OPTION`)."""
    if execute_state.is_select:
        return
    named = execute_state.execution_options.get(COACHES_OPTION)
    if named is not None:
        _pending(execute_state.session).update(named)
        return
    table = getattr(execute_state.statement, "table", None)
    if table is not None and isinstance(owner_of(str(table.name)), Unshown):
        return
    _pending(execute_state.session).add(EVERYONE)


def _before_commit(session) -> None:
    session.flush()  # the last flush's rows are traced before the versions are written
    pending = sorted(_pending(session) - session.info.get(_BUMPED, set()))
    if pending:
        _bump(session.connection(), pending)
    session.info.pop(_PENDING, None)
    session.info.pop(_BUMPED, None)


def _bump(connection, coach_ids: list[int]) -> None:
    """One statement, run for the versions in coach order (see the module's docstring)."""
    if not coach_ids:
        return
    rows = [{"coach_id": coach_id} for coach_id in coach_ids]
    connection.execute(_bump_statement(connection.dialect.name), rows)


@functools.lru_cache(maxsize=4)
def _bump_statement(dialect: str):
    """Built once per engine: every write runs it. One row per run, as SQLAlchemy compiles a
    multi-row INSERT afresh each time; several coaches' rows go as an executemany."""
    table = DataVersion.__table__
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        insert(table)
        .values(coach_id=sa.bindparam("coach_id"), version=1)
        .on_conflict_do_update(
            index_elements=[table.c.coach_id], set_={"version": table.c.version + 1}
        )
    )


def _forget(session, transaction) -> None:
    """The whole transaction ended (committed, or rolled back with nothing to bump). A
    savepoint's end keeps what the transaction around it wrote."""
    if transaction.parent is None:
        session.info.pop(_PENDING, None)
        session.info.pop(_BUMPED, None)
