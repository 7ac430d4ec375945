"""The time zone a client's calendar runs in, kept with the database session that read it.

A calendar runs in its person's own time zone, or their coach's until they accept. Loaders that
read a client for its coach fetch it in the same query, so the pages that need it (today's date,
session times) run no query of their own. The zones live in the session's `info`, beside the
rows they were read with: they last as long as the session (one request), and nothing outside
the database side reads or writes them except through this module.
"""

from __future__ import annotations

from flask import Flask

from webapp.extensions import db

_KEY = "client_time_zones"


def _known() -> dict[int, str]:
    return db.session.info.setdefault(_KEY, {})


def remember(client_id: int, time_zone: str | None) -> None:
    _known()[client_id] = time_zone or "UTC"


def remembered(client_id: int) -> str | None:
    return _known().get(client_id)


def remember_all(time_zones: dict[int, str | None]) -> None:
    known = _known()
    for client_id, time_zone in time_zones.items():
        known[client_id] = time_zone or "UTC"


def all_remembered() -> dict[int, str]:
    """The zones remembered so far in this session, by client id (not to be changed)."""
    return _known()


def init_zones(app: Flask) -> None:
    @app.teardown_request
    def forget(_error):
        # The session outlives a request when an app context is held around several (tests,
        # CLI), and a person may change their time zone in between. A request that made no
        # session (a cached page) has nothing to forget, and should not make one to say so.
        if db.session.registry.has():
            db.session.info.pop(_KEY, None)
