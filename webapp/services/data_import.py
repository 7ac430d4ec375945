"""A coach's export loaded into an empty OnDeck, in one transaction: all of it or nothing.

Ids are new (every reference follows its row); nobody has a usable password, so each person
sets one with "Forgot your password?"; join links and invitation links are new; reminders for
sessions still ahead are scheduled again; Stripe is connected again by the coach.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import Enum
from typing import IO, Any

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import Program, User
from webapp.rules.roles import Role
from webapp.services import reminders, tokens
from webapp.services.export_parts import (
    DATA_FILE,
    FORMAT,
    STAND_INS,
    VERSION,
    coach_parts,
    exported_columns,
    referenced_table,
)
from webapp.services.join_links import regenerate

BATCH = 500
# Matches no password: werkzeug reads no method from it, so every check fails.
UNUSABLE_HASH = "!imported"


class ImportRefused(Exception):
    """The export cannot be loaded; the message says why. Nothing was written."""


@dataclass
class Imported:
    coach_email: str
    counts: dict[str, int] = field(default_factory=dict)
    flagged: dict[str, list[int]] = field(default_factory=dict)


def read_export(source: str | IO[bytes]) -> dict[str, Any]:
    """data.json of an export zip, checked for its format and version."""
    try:
        with zipfile.ZipFile(source) as archive, archive.open(DATA_FILE) as data:
            document = json.load(data)
    except (OSError, zipfile.BadZipFile) as error:
        raise ImportRefused(f"Cannot read the zip: {error}") from error
    except KeyError as error:
        raise ImportRefused(f"The zip holds no {DATA_FILE}: is it an OnDeck export?") from error
    except (ValueError, UnicodeDecodeError) as error:
        raise ImportRefused(f"{DATA_FILE} is not valid JSON: {error}") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportRefused(f'{DATA_FILE} does not say "format": "{FORMAT}".')
    if document.get("version") != VERSION:
        raise ImportRefused(
            f"This export is version {document.get('version')!r}; "
            f"this OnDeck reads version {VERSION}."
        )
    if document.get("kind") != "coach":
        raise ImportRefused("Only a coach's export can be imported (this one is a client's).")
    if not isinstance(document.get("tables"), dict):
        raise ImportRefused(f'{DATA_FILE} has no "tables".')
    return document


def import_export(source: str | IO[bytes], now: datetime) -> Imported:
    """Load the export and commit, or refuse with the reason and leave the database as it was."""
    document = read_export(source)
    accounts = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    if accounts:
        raise ImportRefused(
            f"This database already holds {accounts} account(s). Import into an empty OnDeck: "
            "a new database after `flask db upgrade`."
        )
    try:
        imported = _Loader(document).load()
        _after_loading(imported, now)
        db.session.commit()
    except ImportRefused:
        db.session.rollback()
        raise
    except (sa.exc.SQLAlchemyError, ValueError, TypeError, LookupError) as error:
        db.session.rollback()
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise ImportRefused(f"The export does not fit this database: {reason}") from error
    return imported


class _Loader:
    def __init__(self, document: dict[str, Any]):
        self.tables: dict[str, Any] = document["tables"]
        self.account_id = document.get("account_id")
        self.ids: dict[str, dict[int, int]] = {}
        # (table, column, new row id, referenced table, old id): filled in once all is loaded.
        self.later: list[tuple[sa.Table, str, int, str, int]] = []
        # New ids of the rows whose stand-in is true (e.g. programs that had a join link).
        self.flagged: dict[str, list[int]] = {}

    def load(self) -> Imported:
        order = [part.table for part in coach_parts(0)]
        unknown = set(self.tables) - {table.name for table in order}
        if unknown:
            raise ImportRefused(f"Unknown tables in {DATA_FILE}: {', '.join(sorted(unknown))}.")
        counts = {}
        for table in order:
            rows = self.tables.get(table.name, [])
            if not isinstance(rows, list):
                raise ImportRefused(f'"{table.name}" is not a list of rows.')
            self.ids[table.name] = {}
            for start in range(0, len(rows), BATCH):
                self._insert(table, rows[start : start + BATCH])
            counts[table.name] = len(rows)
        for table, column, row_id, target, old in self.later:
            new = self._new_id(table, column, target, old)
            db.session.execute(table.update().where(table.c.id == row_id).values({column: new}))
        coach_id = self.ids["users"].get(self.account_id) if self.account_id else None
        coach = db.session.get(User, coach_id) if coach_id else None
        if coach is None or coach.role != Role.COACH:
            raise ImportRefused("The export names no coach account of its own.")
        return Imported(coach_email=coach.email, counts=counts, flagged=self.flagged)

    def _insert(self, table: sa.Table, rows: list[Any]) -> None:
        old_ids, values, deferred, flags = [], [], [], []
        flag_names = STAND_INS.get(table.name, ())
        for row in rows:
            if isinstance(row, dict):
                flags.append({name: row[name] is True for name in flag_names if name in row})
                row = {name: value for name, value in row.items() if name not in flag_names}
            old_id, row_values, row_deferred = self._values(table, row)
            old_ids.append(old_id)
            values.append(row_values)
            deferred.append(row_deferred)
        statement = table.insert().returning(table.c.id, sort_by_parameter_order=True)
        new_ids = db.session.execute(statement, values).scalars().all()
        mapping = self.ids[table.name]
        for old_id, new_id, row_deferred, row_flags in zip(
            old_ids, new_ids, deferred, flags, strict=True
        ):
            mapping[old_id] = new_id
            for name in (name for name, on in row_flags.items() if on):
                self.flagged.setdefault(name, []).append(new_id)
            self.later.extend(
                (table, name, new_id, target, old) for name, target, old in row_deferred
            )

    def _values(self, table: sa.Table, row: Any):
        if not isinstance(row, dict) or not isinstance(row.get("id"), int):
            raise ImportRefused(f'A row of "{table.name}" is not an object with an id: {row!r:.80}')
        old_id = row["id"]
        where = f"{table.name} id {old_id}"
        if old_id in self.ids[table.name]:
            raise ImportRefused(f"{where} appears twice.")
        columns = {column.name: column for column in exported_columns(table)}
        unknown = set(row) - set(columns)
        if unknown:
            raise ImportRefused(f"{where}: unknown fields {', '.join(sorted(unknown))}.")
        values: dict[str, object] = {}
        deferred = []
        for name, value in row.items():
            if name == "id":
                continue
            column = columns[name]
            target = referenced_table(table, column)
            if target is None or value is None:
                values[name] = _decoded(column, value, where)
            elif not isinstance(value, int):
                raise ImportRefused(f"{where}: {name} is not an id.")
            elif target in self.ids and target != table.name:
                values[name] = self._new_id(table, name, target, value)
            else:  # a row of this table or a later one: set once every row is in
                values[name] = None
                deferred.append((name, target, value))
        values.update(_fresh_secrets(table))
        return old_id, values, deferred

    def _new_id(self, table: sa.Table, column: str, target: str, old: int) -> int:
        try:
            return self.ids[target][old]
        except KeyError:
            raise ImportRefused(
                f"{table.name}.{column} names {target} id {old}, which the export does not hold."
            ) from None


def _decoded(column: sa.Column, value: object, where: str) -> object:
    """A JSON value back as the column's Python value; a wrong one is refused by name."""
    # Each column's type names its Python type; test_data_import holds the schema to types
    # checked below.
    kind = getattr(column.type, "impl", column.type).python_type
    if value is None:
        return None
    try:
        if issubclass(kind, datetime):
            moment = datetime.fromisoformat(str(value))
            if moment.tzinfo is None:
                raise ValueError("no UTC offset")
            return moment
        if issubclass(kind, date):
            return date.fromisoformat(str(value))
        if issubclass(kind, time):
            return time.fromisoformat(str(value))
        if issubclass(kind, Enum):
            return kind(value)
        if kind is bool and not isinstance(value, bool) or kind is int and type(value) is not int:
            raise ValueError(f"expected {kind.__name__}")
        if kind is str and not isinstance(value, str):
            raise ValueError("expected text")
    except ValueError as error:
        raise ImportRefused(f"{where}: {column.name} = {value!r:.60} ({error}).") from error
    return value


def _fresh_secrets(table: sa.Table) -> dict[str, object]:
    """Values for the secret columns an export never holds."""
    if table.name == "users":
        return {"password_hash": UNUSABLE_HASH}
    if table.name == "invitations":  # a hash of a token nobody was given: the link is dead
        return {"token_hash": tokens.hash_token(tokens.new_random_token())}
    return {}


def _after_loading(imported: Imported, now: datetime) -> None:
    """New join links for the programs that had one, and the reminders of the sessions still
    ahead."""
    coach = db.session.scalar(sa.select(User).where(User.email == imported.coach_email))
    assert coach is not None  # the loader found it
    linked = imported.flagged.get("join_link", [])
    for program in db.session.scalars(sa.select(Program).where(Program.id.in_(linked))):
        regenerate(program)
    reminders.reschedule(now, coach=coach)
    db.session.flush()
