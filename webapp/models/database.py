"""Engine set-up that differs by database."""

from __future__ import annotations

import select
import weakref

from flask import Flask
from psycopg.pq import TransactionStatus
from sqlalchemy import event, exc
from sqlalchemy.orm import Session

from webapp.extensions import db

# An execution option on a request's connection: the request only reads (`read_only`).
READ_ONLY = "ondeck_read_only"


def read_only(session) -> None:
    """Run this request's queries without a transaction: no BEGIN and no ROLLBACK round trips
    around a page that only reads. Each statement sees what was committed when it ran, as it
    would under READ COMMITTED inside a transaction. A flush then is a bug, and raises.
    A session already in a transaction (a test's, a command's) reads on inside it.
    """
    if session.in_transaction():
        return
    options: dict = {READ_ONLY: True}
    if session.get_bind().dialect.name == "postgresql":
        options["isolation_level"] = "AUTOCOMMIT"
    session.connection(execution_options=options)


@event.listens_for(Session, "before_flush")
def _no_writes_when_read_only(session, _context, _instances) -> None:
    if session.connection().get_execution_options().get(READ_ONLY):
        raise RuntimeError("a read-only request tried to write")


def init_database(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            _configure_sqlite(engine)
        elif engine.dialect.name == "postgresql":
            _replace_ended_connections(engine)
            _keep_prepared_statements(engine)


def _replace_ended_connections(engine) -> None:
    """A pooled connection the server has ended is swapped for a new one before it is used.

    A server that ends a session (a restart, an idle timeout, pg_terminate_backend) says so
    on the socket before closing it, and an idle connection has nothing else to read: a
    readable socket at checkout means the connection is gone. Looking costs a system call,
    where SQLAlchemy's pool_pre_ping costs a round trip on every request.
    """

    @event.listens_for(engine, "checkout")
    def on_checkout(dbapi_connection, _record, _proxy):
        if dbapi_connection.closed or dbapi_connection.broken:
            raise exc.DisconnectionError("the connection is closed")
        readable, _, _ = select.select([dbapi_connection.fileno()], [], [], 0)
        if readable:
            raise exc.DisconnectionError("the server ended the connection")


def _keep_prepared_statements(engine) -> None:
    """A transaction that only read ends with COMMIT rather than ROLLBACK.

    On a rollback psycopg forgets every statement it has prepared and sends DEALLOCATE ALL,
    so a pool that rolls back each request's reads would make every query of every request
    be planned again, and add a round trip. Committing a transaction that wrote nothing
    changes nothing. One that wrote, ran anything but a SELECT, or failed, still rolls back.
    """
    wrote: weakref.WeakSet = weakref.WeakSet()  # driver connections, until their transaction ends
    rollback = engine.dialect.do_rollback

    @event.listens_for(engine, "before_cursor_execute")
    def note_writes(_conn, cursor, statement, _parameters, _context, _executemany):
        if statement.lstrip()[:6].upper() != "SELECT":
            wrote.add(cursor.connection)

    @event.listens_for(engine, "commit")
    def forget(conn):
        wrote.discard(conn.connection.dbapi_connection)

    def do_rollback(dbapi_connection) -> None:
        driver = getattr(dbapi_connection, "dbapi_connection", dbapi_connection)
        if driver in wrote or driver.info.transaction_status != TransactionStatus.INTRANS:
            wrote.discard(driver)
            rollback(dbapi_connection)
        else:
            driver.commit()

    engine.dialect.do_rollback = do_rollback


def _configure_sqlite(engine) -> None:
    """Foreign keys on, a busy timeout, and BEGIN IMMEDIATE for every transaction.

    SQLite has no SELECT ... FOR UPDATE; taking the write lock when a transaction begins makes
    read-then-write workflows exclusive (SQLAlchemy's documented pysqlite recipe).
    """

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        if not connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
