"""Fixtures: the app on SQLite or PostgreSQL, a CSRF-aware client, a real SMTP server.

Choose the database with `--db=postgresql` or ONDECK_TEST_DB=postgresql (default sqlite).
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest
import sqlalchemy as sa

from tests.support import postgres
from tests.support.client import CsrfClient
from tests.support.compiled_templates import share_compiled_templates
from tests.support.factories import PASSWORD
from tests.support.parts import have_postgres, need
from tests.support.plusone import Pair, logged_in, make_pair
from tests.support.smtp import SmtpServer

pytest_plugins = ["tests.support.browser", "tests.support.site"]

os.environ.setdefault("ONDECK_INSTANCE_PATH", tempfile.mkdtemp(prefix="ondeck-instance-"))

from webapp import clock, create_app  # noqa: E402
from webapp.extensions import db  # noqa: E402


def pytest_addoption(parser):
    parser.addoption(
        "--db",
        default=os.environ.get("ONDECK_TEST_DB", "sqlite"),
        choices=("sqlite", "postgresql"),
        help="database the suite runs on",
    )


def pytest_report_header(config):
    return f"database: {config.getoption('--db')}"


@pytest.fixture(scope="session")
def db_backend(request) -> str:
    return request.config.getoption("--db")


@pytest.fixture(scope="session")
def postgres_cluster(db_backend):
    """(url, data_dir) of a throwaway cluster, made once per run when PostgreSQL is chosen."""
    if db_backend != "postgresql":
        yield None
        return
    need(have_postgres(), "PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    with postgres.cluster() as started:
        url, _data = started
        schema_app = create_app(_test_config(url))
        with schema_app.app_context():
            db.create_all()
            db.engine.dispose()
        yield started


def _test_config(url: str, **extra) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "PUBLIC_URL": "http://localhost",
        "MAIL_SERVER": "",
        "MAIL_DEFAULT_SENDER": "OnDeck <no-reply@ondeck.test>",
        "DEV_MAILBOX": True,
        # One iteration: logging in costs nothing. test_password_hashing keeps scrypt.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
        **extra,
    }


def _empty_all_tables() -> None:
    """Empty every table and restart every id sequence. Row by row, children first: on tables
    this small that is far quicker than TRUNCATE, which makes new files for every table."""
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.execute(sa.text("SELECT setval(oid, 1, false) FROM pg_class WHERE relkind = 'S'"))
    db.session.commit()


@pytest.fixture
def app_config(request, tmp_path, postgres_cluster) -> dict:
    """Override or extend in a test module to change settings before the app is made."""
    url = postgres_cluster[0] if postgres_cluster else f"sqlite:///{tmp_path / 'test.sqlite3'}"
    if request.node.get_closest_marker("production_hashing"):
        return _test_config(url, PASSWORD_HASH_METHOD="scrypt")
    return _test_config(url)


@pytest.fixture(scope="session")
def sqlite_schema(tmp_path_factory, db_backend):
    """A SQLite file holding the empty schema, made once per run and copied for each test."""
    if db_backend != "sqlite":
        return None
    path = tmp_path_factory.mktemp("schema") / "schema.sqlite3"
    schema_app = create_app(_test_config(f"sqlite:///{path}"))
    with schema_app.app_context():
        db.create_all()
        db.engine.dispose()
    return path


def _without_fsync(dbapi_connection, _record) -> None:
    # A test database need not survive a power cut: commits skip the disk flush (the
    # PostgreSQL cluster runs with fsync=off for the same reason).
    dbapi_connection.execute("PRAGMA synchronous=OFF")


def _sqlite_file(url: str) -> str | None:
    prefix = "sqlite:///"
    return url[len(prefix) :] if url.startswith(prefix) else None


@pytest.fixture
def app(app_config, postgres_cluster, sqlite_schema):
    """The app on an empty schema: PostgreSQL's tables truncated, or a fresh copy of the
    SQLite schema file (a real file, so live servers and child processes share it)."""
    sqlite_path = _sqlite_file(app_config["SQLALCHEMY_DATABASE_URI"])
    copied = bool(sqlite_schema and sqlite_path and not os.path.exists(sqlite_path))
    if copied:
        shutil.copyfile(sqlite_schema, sqlite_path)
    application = create_app(app_config)
    application.test_client_class = CsrfClient
    share_compiled_templates(application)
    with application.app_context():
        if db.engine.dialect.name == "sqlite":
            sa.event.listen(db.engine, "connect", _without_fsync)
        if postgres_cluster:
            _empty_all_tables()
        elif not copied:
            db.create_all()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app) -> CsrfClient:
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    """Log the `client` fixture in and out, as flaskr's tests do."""

    def __init__(self, client: CsrfClient):
        self._client = client

    def login(self, email: str, password: str = PASSWORD):
        return self._client.login(email, password)

    def logout(self):
        return self._client.logout()


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def frozen_clock(request, monkeypatch):
    """The app's clock stopped at the test module's NOW; use with
    `pytestmark = pytest.mark.usefixtures("frozen_clock")`."""
    now = request.module.NOW
    monkeypatch.setattr(clock, "now", lambda: now)
    return now


@pytest.fixture
def pair(app) -> Pair:
    """A coach with a published program and one active client who has an account."""
    return make_pair(app)


@pytest.fixture
def coach(app, pair) -> CsrfClient:
    """A browser logged in as the pair's coach."""
    return logged_in(app, pair.coach_email)


@pytest.fixture
def smtp_server():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def base_url():
    # Replaces pytest-playwright's (which trips a pytest deprecation); tests use live_server.url.
    return None
