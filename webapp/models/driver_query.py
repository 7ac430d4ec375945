"""A hot SELECT run on the database driver's own cursor, outside an ORM session.

Every request loads its user; on a cached page that one query is all the work there is, and
SQLAlchemy's per-statement machinery (session, connection wrapper, cache key, result set-up)
costs about three times what sending it does. So the statement is built and compiled by
SQLAlchemy once per dialect, sent on a pooled connection's driver cursor, and its values are
converted by the columns' own types, exactly as SQLAlchemy would convert them.

It reads outside any transaction (PostgreSQL autocommit; SQLite without BEGIN), and a driver
error comes back as SQLAlchemy's, so the error pages (503 during an outage) answer as for any
query. Statement counters (`statement_sent`) see it as they see SQLAlchemy's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from blinker import Namespace

# Sent with the SQL of each statement run here, as SQLAlchemy's before_cursor_execute is.
statement_sent = Namespace().signal("ondeck-driver-statement")


@dataclass(frozen=True)
class DriverQuery:
    sql: str
    binds: dict[str, Any]  # the statement's own bound values, the caller's added per call
    positional: tuple[str, ...] | None  # bind names in order, for drivers that take `?`
    columns: tuple[str, ...]
    processors: tuple[Callable[[Any], Any] | None, ...]

    @classmethod
    def compile(cls, query: sa.Select, dialect: sa.Dialect) -> DriverQuery:
        compiled = query.compile(dialect=dialect)
        positional = tuple(compiled.positiontup) if compiled.positional else None
        return cls(
            sql=compiled.string,
            binds=dict(compiled.params),
            positional=positional,
            columns=tuple(column.key for column in query.selected_columns),
            processors=tuple(
                column.type.dialect_impl(dialect).result_processor(dialect, None)
                for column in query.selected_columns
            ),
        )

    def first(self, engine: sa.Engine, params: Mapping[str, Any]) -> dict[str, Any] | None:
        """The first row as a dict of converted values, or None."""
        values = {**self.binds, **params}
        sent = values if self.positional is None else tuple(values[n] for n in self.positional)
        statement_sent.send(self, statement=self.sql)
        dbapi_error = engine.dialect.loaded_dbapi.Error
        try:
            pooled = engine.raw_connection()
        except dbapi_error as error:  # the server is down or refuses connections
            raise sa.exc.DBAPIError.instance(
                self.sql, sent, error, dbapi_error, connection_invalidated=True
            ) from error
        try:
            row = _fetch_one(pooled.driver_connection, engine.dialect, self.sql, sent)
        except dbapi_error as error:
            pooled.invalidate(error)  # whatever broke, the next request gets a fresh one
            raise sa.exc.DBAPIError.instance(
                self.sql, sent, error, dbapi_error, connection_invalidated=True
            ) from error
        finally:
            pooled.close()
        if row is None:
            return None
        return {
            name: value if convert is None else convert(value)
            for name, convert, value in zip(self.columns, self.processors, row, strict=True)
        }


def _fetch_one(connection, dialect: sa.Dialect, sql: str, params) -> tuple | None:
    if dialect.name != "postgresql":
        cursor = connection.cursor()  # SQLite's connections run without implicit BEGIN here
        try:
            return cursor.execute(sql, params).fetchone()
        finally:
            cursor.close()
    connection.autocommit = True  # no BEGIN before, no ROLLBACK after: one round trip
    try:
        with connection.cursor() as cursor:
            return cursor.execute(sql, params, prepare=True).fetchone()
    finally:
        connection.autocommit = False
