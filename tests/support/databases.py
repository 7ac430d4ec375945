"""Test databases: the settings every test app starts from, the schema built once per run,
and emptying it between tests.

SQLite: the schema is built into one file per run and copied for each test, so each test
has a real file of its own that live servers and child processes can open. PostgreSQL: one
throwaway cluster per run holds the schema, and each test empties its tables.
"""

from __future__ import annotations

import os
import shutil

import sqlalchemy as sa

from webapp import create_app
from webapp.extensions import db


def test_config(url: str, **extra) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": url,
        "PUBLIC_URL": "http://localhost",
        "MAIL_SERVER": "",
        "MAIL_DEFAULT_SENDER": "OnDeck <no-reply@ondeck.test>",
        "DEV_MAILBOX": True,
        # One iteration: logging in costs nothing. test_password_hashing keeps scrypt.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
        **extra,
    }


test_config.__test__ = False  # a helper, not a test


def build_schema(url: str) -> None:
    schema_app = create_app(test_config(url))
    with schema_app.app_context():
        db.create_all()
        db.engine.dispose()


def empty_all_tables() -> None:
    """Empty every table and restart every id sequence. Row by row, children first: on tables
    this small that is far quicker than TRUNCATE, which makes new files for every table."""
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.execute(sa.text("SELECT setval(oid, 1, false) FROM pg_class WHERE relkind = 'S'"))
    db.session.commit()


def copy_schema(schema_file, url: str) -> bool:
    """Copy the schema file to a SQLite URL's path that does not exist yet; whether it did."""
    prefix = "sqlite:///"
    if not schema_file or not url.startswith(prefix) or os.path.exists(url[len(prefix) :]):
        return False
    shutil.copyfile(schema_file, url[len(prefix) :])
    return True


def _without_fsync(dbapi_connection, _record) -> None:
    # A test database need not survive a power cut: commits skip the disk flush (the
    # PostgreSQL cluster runs with fsync=off for the same reason).
    dbapi_connection.execute("PRAGMA synchronous=OFF")


def ready_for_a_test(*, on_postgres: bool, copied: bool) -> None:
    """An empty schema in the app's database; call inside its app context."""
    if db.engine.dialect.name == "sqlite":
        sa.event.listen(db.engine, "connect", _without_fsync)
    if on_postgres:
        empty_all_tables()
    elif not copied:
        db.create_all()
