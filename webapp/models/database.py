"""Engine set-up that differs by database."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event

from webapp.extensions import db


def init_database(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            _configure_sqlite(engine)


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
        connection.exec_driver_sql("BEGIN IMMEDIATE")
