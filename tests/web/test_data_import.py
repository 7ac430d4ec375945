"""`flask ondeck import ZIP`: all or nothing. A zip that is not an export, or is damaged
anywhere, is refused with the reason and an exit code, and the database stays as it was."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, date, datetime, time
from enum import Enum

import pytest
import sqlalchemy as sa

from tests.support import moved
from tests.support.factories import make_coach
from tests.support.plusone import logged_in, make_pair
from tests.web.test_data_export import _with_training
from webapp.extensions import db
from webapp.models import CalendarEntry, Client, CoachingSession, LedgerEntry, Program, User
from webapp.services.data_import import UNUSABLE_HASH

NOW = datetime(2026, 3, 11, 10, 0, tzinfo=UTC)
pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def target(tmp_path, postgres_cluster):
    with moved.empty_ondeck(postgres_cluster, tmp_path / "t.sqlite3", migrations=False) as app:
        yield app


@pytest.fixture
def export(app) -> bytes:
    pair = make_pair(app)
    _with_training(app, pair, "Hill sprints")
    return logged_in(app, pair.coach_email).get("/account/export.zip").get_data()


def _changed(export: bytes, change) -> bytes:
    """The same zip with data.json passed through `change` (a function of the parsed JSON)."""
    source = zipfile.ZipFile(io.BytesIO(export))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as copy:
        for name in source.namelist():
            body = source.read(name)
            if name == "data.json":
                body = change(json.loads(body))
                body = body if isinstance(body, bytes) else json.dumps(body).encode()
            copy.writestr(name, body)
    return out.getvalue()


def _import(target, tmp_path, body: bytes):
    path = tmp_path / "export.zip"
    path.write_bytes(body)
    return target.test_cli_runner().invoke(args=["ondeck", "import", str(path)])


def _rows(target) -> dict[str, int]:
    with target.app_context():
        return {
            table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }


def test_an_export_loads_with_new_ids_and_no_usable_password(target, export, tmp_path):
    result = _import(target, tmp_path, export)
    assert result.exit_code == 0, result.output
    assert "Imported the business of coach1@example.com" in result.output
    with target.app_context():
        people = db.session.execute(sa.select(User.email, User.password_hash).order_by(User.id))
        assert [tuple(row) for row in people] == [
            ("coach1@example.com", UNUSABLE_HASH),
            ("dana1@example.com", UNUSABLE_HASH),
        ]
        assert db.session.scalars(sa.select(CalendarEntry.title)).all() == ["Hill sprints"]
        program = db.session.scalars(sa.select(Program)).one()
        assert program.join_token_hash is None  # it had no join link, so it has none


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda doc: b"{not json", "data.json is not valid JSON"),
        (
            lambda doc: {**doc, "version": 2},
            "This export is version 2; this OnDeck reads version 1",
        ),
        (lambda doc: {**doc, "format": "other"}, 'does not say "format": "ondeck-export"'),
        (lambda doc: {**doc, "kind": "client"}, "Only a coach's export can be imported"),
        (
            lambda doc: _set(doc, "calendar_entries", on_date="2026-13-40"),
            "calendar_entries id 1: on_date = '2026-13-40'",
        ),
        (
            lambda doc: _set(doc, "calendar_entries", client_id=999),
            "calendar_entries.client_id names clients id 999, which the export does not hold",
        ),
        (
            lambda doc: _set(doc, "ledger_entries", amount_minor=-5),
            "The export does not fit this database",
        ),
        (lambda doc: _set(doc, "users", is_admin=True), "unknown fields is_admin"),
        (
            lambda doc: {**doc, "tables": {**doc["tables"], "x": []}},
            "Unknown tables in data.json: x",
        ),
    ],
)
def test_a_damaged_export_is_refused_and_nothing_is_written(
    target, export, tmp_path, change, message
):
    result = _import(target, tmp_path, _changed(export, change))
    assert result.exit_code != 0
    assert message in result.output
    assert "Nothing was imported." in result.output
    assert set(_rows(target).values()) == {0}


def _set(document, table: str, **values):
    """The document with the last row of `table` changed: the damage is met late."""
    document["tables"][table][-1].update(values)
    return document


def test_a_zip_without_data_json_or_not_a_zip_at_all_is_refused(target, export, tmp_path):
    source = zipfile.ZipFile(io.BytesIO(export))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as copy:
        for name in source.namelist():
            if name != "data.json":
                copy.writestr(name, source.read(name))
    missing = _import(target, tmp_path, out.getvalue())
    assert missing.exit_code != 0
    assert "The zip holds no data.json: is it an OnDeck export?" in missing.output
    not_zip = _import(target, tmp_path, b"just some text")
    assert not_zip.exit_code != 0 and "Cannot read the zip" in not_zip.output
    assert set(_rows(target).values()) == {0}


def test_a_database_that_holds_anyone_is_left_alone(target, export, tmp_path):
    with target.app_context():
        make_coach(email="already@example.com")
    before = _rows(target)
    result = _import(target, tmp_path, export)
    assert result.exit_code != 0
    assert "This database already holds 1 account(s)" in result.output
    assert _rows(target) == before


def test_rows_loaded_in_many_batches_keep_their_references(target, app, tmp_path, monkeypatch):
    from webapp.services import data_import

    pair = make_pair(app)
    for title in ("Hill sprints", "Tempo", "Long run"):
        _with_training(app, pair, title)
    body = logged_in(app, pair.coach_email).get("/account/export.zip").get_data()
    monkeypatch.setattr(data_import, "BATCH", 2)

    assert _import(target, tmp_path, body).exit_code == 0

    with target.app_context():
        rows = db.session.execute(
            sa.select(CalendarEntry.title, Client.name, User.email)
            .join(Client, Client.id == CalendarEntry.client_id)
            .join(User, User.id == Client.user_id)
            .order_by(CalendarEntry.title)
        ).all()
        assert [tuple(row) for row in rows] == [
            ("Hill sprints", "Dana Client 1", "dana1@example.com"),
            ("Long run", "Dana Client 1", "dana1@example.com"),
            ("Tempo", "Dana Client 1", "dana1@example.com"),
        ]
        owners = db.session.execute(
            sa.select(LedgerEntry.note, User.email).join(
                User, User.id == LedgerEntry.client_user_id
            )
        ).all()
        assert sorted(tuple(row) for row in owners) == [
            ("paid for Hill sprints", "dana1@example.com"),
            ("paid for Long run", "dana1@example.com"),
            ("paid for Tempo", "dana1@example.com"),
        ]
        placed = db.session.scalars(sa.select(CoachingSession.calendar_client_id)).all()
        assert len(placed) == 3 and set(placed) == set(db.session.scalars(sa.select(Client.id)))


def test_every_column_has_a_python_type_the_import_checks_its_values_by():
    """The import checks each value by its column's Python type. A type without one (SQLAlchemy
    gives `object`) would let any value through unchecked, so the schema holds none."""
    checked = (datetime, date, time, Enum, bool, int, str)
    unchecked = [
        f"{table.name}.{column.name}"
        for table in db.metadata.sorted_tables
        for column in table.columns
        if not issubclass(getattr(column.type, "impl", column.type).python_type, checked)
    ]
    assert unchecked == []
