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


def init_zones(app: Flask) -> None:
    @app.teardown_request
    def forget(_error):
        # `g` outlives a request when an app context is held around several (tests, CLI).
        g.pop(_KEY, None)
