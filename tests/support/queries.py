"""Count the SQL statements a request runs, to prove a page has no N+1 queries."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from webapp.extensions import db
from webapp.models.driver_query import statement_sent


@contextmanager
def counted_queries(app, *, cold: bool = True):
    """Yields a list that fills with each statement run while the block executes. The
    response cache starts empty (`cold`), so a page is counted as its first request after a
    write, the version read included; `cold=False` counts what the cache leaves."""
    statements: list[str] = []
    with app.app_context():
        engine = db.engine
    kept = app.extensions.get("ondeck_response_cache")
    if kept is not None and cold:
        kept.clear()

    def record(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE", "PRAGMA")):
            statements.append(statement)

    def record_driver(_query, statement):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    # The user's load runs on the driver's cursor (`models.driver_query`) and says so here.
    statement_sent.connect(record_driver)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
        statement_sent.disconnect(record_driver)
