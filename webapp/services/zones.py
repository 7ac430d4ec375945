"""The time zone a client's calendar runs in, read with the client row and kept for the request.

A calendar runs in its person's own time zone, or their coach's until they accept. Loaders that
read a client for its coach fetch it in the same query, so the pages that need it (today's date,
session times) run no query of their own.
"""

from __future__ import annotations

from flask import Flask, g

_KEY = "client_time_zones"


def remember(client_id: int, time_zone: str | None) -> None:
    g.setdefault(_KEY, {})[client_id] = time_zone or "UTC"


def remembered(client_id: int) -> str | None:
    return g.get(_KEY, {}).get(client_id)


# A list's rows at once: one look-up of `g` (a context-local proxy) instead of one per row.


def remember_all(time_zones: dict[int, str | None]) -> None:
    known = g.setdefault(_KEY, {})
    for client_id, time_zone in time_zones.items():
        known[client_id] = time_zone or "UTC"


def all_remembered() -> dict[int, str]:
    """The zones remembered so far in this request, by client id (not to be changed)."""
    return g.get(_KEY, {})


def init_zones(app: Flask) -> None:
    @app.teardown_request
    def forget(_error):
        # `g` outlives a request when an app context is held around several (tests, CLI).
        g.pop(_KEY, None)
