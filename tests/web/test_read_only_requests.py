"""A cached page only reads, so its queries (the user's load among them) run outside any
transaction: no BEGIN or ROLLBACK round trips, and on SQLite no write lock to wait for. A
form still writes inside one transaction, and a read-only request that tried to write would
raise rather than write piecemeal."""

import sqlite3
from datetime import date

import pytest
import sqlalchemy as sa

from tests.support.factories import make_coach
from webapp.extensions import db
from webapp.models import CalendarEntry, Program
from webapp.models.database import read_only


def _in_transaction(dbapi_connection) -> bool:
    if isinstance(dbapi_connection, sqlite3.Connection):
        return dbapi_connection.in_transaction
    return dbapi_connection.info.transaction_status != 0  # psycopg: 0 is IDLE


@pytest.fixture
def transactions(app):
    """Whether each statement the app runs leaves a transaction open, in order. (Asked after
    it ran: psycopg begins a transaction with the first statement that needs one.)"""
    seen: list[tuple[str, bool]] = []

    def after(connection, _cursor, statement, *_args):
        seen.append(
            (statement.split()[0].upper(), _in_transaction(connection.connection.dbapi_connection))
        )

    with app.app_context():
        sa.event.listen(db.engine, "after_cursor_execute", after)
    yield seen
    with app.app_context():
        sa.event.remove(db.engine, "after_cursor_execute", after)


def test_a_cached_page_reads_with_no_transaction_open(app, coach, pair, transactions):
    page = coach.get(f"/programs/{pair.program_id}")
    assert page.status_code == 200 and "Active" in page.text
    assert transactions, "the page ran its queries"
    assert [kind for kind, open_ in transactions if open_] == []


def test_a_form_writes_inside_one_transaction(app, coach, transactions):
    saved = coach.post(
        "/programs/new",
        data={"name": "Spring block", "price": "50", "currency": "GBP", "billing_period": "month"},
    )
    assert saved.status_code in (302, 303)
    writes = [open_ for kind, open_ in transactions if kind in ("INSERT", "UPDATE")]
    assert writes and all(writes)
    with app.app_context():
        assert db.session.scalar(sa.select(Program.name).where(Program.name == "Spring block"))


def test_a_read_only_session_refuses_to_write(app):
    with app.app_context():
        coach_id = make_coach(email="c@example.com").id
        db.session.commit()
        db.session.remove()
        session = db.session()
        read_only(session)
        session.add(Program(coach_id=coach_id, name="Never", price_minor=100, currency="GBP"))
        with pytest.raises(RuntimeError, match="read-only"):
            session.flush()
        db.session.remove()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Program)) == 0


def test_a_page_is_read_while_another_connection_is_writing(app, coach, pair):
    """Neither waited for nor seen: the write has not committed."""
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            # A read that took the write lock would give up after this long (production: 30 s).
            sa.event.listen(
                db.engine, "connect", lambda conn, _: conn.execute("PRAGMA busy_timeout=200")
            )
            db.engine.dispose()
        name = db.session.get(Program, pair.program_id).name
        other = sa.create_engine(db.engine.url, poolclass=sa.pool.NullPool)
    with other.connect() as writer:
        if other.dialect.name == "sqlite":
            writer.exec_driver_sql("BEGIN IMMEDIATE")
        writer.execute(
            sa.update(Program).where(Program.id == pair.program_id).values(name="Not yet")
        )
        page = coach.get(f"/programs/{pair.program_id}")
        writer.rollback()
    assert page.status_code == 200, page.text[:300]
    assert name in page.text and "Not yet" not in page.text


def test_an_inline_save_writes_in_its_transaction_then_reads_the_editor_outside_one(
    app, coach, pair, transactions
):
    on = date.today().isoformat()
    coach.hx_post(f"/clients/{pair.client_id}/calendar/days/{on}/entries", data={"title": "Run"})
    with app.app_context():
        entry_id = db.session.scalar(
            sa.select(CalendarEntry.id).where(CalendarEntry.title == "Run")
        )
    transactions.clear()

    saved = coach.hx_post(
        f"/clients/{pair.client_id}/calendar/entries/{entry_id}",
        data={"title": "Tempo run", "body": "", "at_time": "", "on_date": on},
    )

    assert saved.status_code == 200 and "Tempo run" in saved.text
    kinds = [kind for kind, _open in transactions]
    last_write = max(i for i, kind in enumerate(kinds) if kind in ("INSERT", "UPDATE"))
    assert all(open_ for _kind, open_ in transactions[: last_write + 1])
    after = transactions[last_write + 1 :]
    assert after and {kind for kind, _open in after} == {"SELECT"}, after
    assert not any(open_ for _kind, open_ in after), "the editor was read inside a transaction"
    with app.app_context():
        assert db.session.get(CalendarEntry, entry_id).title == "Tempo run"
