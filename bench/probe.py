"""Run each page once through the Flask test client: its status, queries and HTML.

Queries are counted in-process (gunicorn workers don't count), against the same database the
load runs on. The HTML captured here is what the ceiling app serves.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

import sqlalchemy as sa

from bench.database import instance_path
from bench.least_write import with_least_write
from bench.pages import Page
from bench.seed import PASSWORD
from tests.support.queries import counted_queries

SERVICE_REPEATS = 30


@dataclass(frozen=True)
class Probe:
    status: int
    queries: int  # cold: the first request since the data last changed
    html: str
    # The same request again: what a response cached under the same data versions costs
    # (None for a write, which is never served twice).
    warm_queries: int | None = None
    # Mean time of one request in-process, one at a time (reads only): the work per request
    # without gunicorn, sockets or queueing.
    service_ms: float | None = None


def pick_targets(app, page: Page) -> list[tuple[str, str]]:
    """(email, path) for each target row of the page's pick query."""
    from webapp.extensions import db
    from webapp.models import User

    with app.app_context():
        rows = db.session.execute(sa.text(page.pick), {"limit": page.targets}).mappings().all()
        emails = {row["email"] for row in rows}
        roles = set(
            db.session.scalars(sa.select(User.role).where(User.email.in_(emails))) if emails else ()
        )
    if roles - {page.role}:
        raise RuntimeError(f"{page.name}: its pick query names {roles} users, not {page.role}s")
    return [(row["email"], page.url.format(**row)) for row in rows]


def make_app(database_url: str):
    from webapp import create_app

    os.environ.setdefault("ONDECK_INSTANCE_PATH", instance_path())
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "bench-probe",
            "WTF_CSRF_ENABLED": False,
            "SESSION_COOKIE_SECURE": False,
            "DEV_MAILBOX": False,
        }
    )
    return with_least_write(app)


def probe(app, page: Page, email: str, path: str) -> Probe:
    client = app.test_client()
    login = client.post("/login", data={"email": email, "password": PASSWORD})
    if login.status_code != 302:
        raise RuntimeError(f"test client could not log in as {email}: {login.status_code}")
    headers = {"HX-Request": "true"} if page.fragment else {}
    with counted_queries(app) as statements:
        response = client.open(
            path,
            method=page.method,
            data=page.body_for(0),
            content_type="application/x-www-form-urlencoded" if page.body is not None else None,
            headers=headers,
        )
    service_ms = warm = None
    if page.method == "GET" and response.status_code == page.ok_status:
        with counted_queries(app, cold=False) as again:
            client.get(path, headers=headers)
        warm = len(again)
        started = time.perf_counter()
        for _ in range(SERVICE_REPEATS):
            client.get(path, headers=headers)
        service_ms = (time.perf_counter() - started) / SERVICE_REPEATS * 1000
    html = response.get_data(as_text=True)
    return Probe(
        response.status_code, len(statements), html, service_ms=service_ms, warm_queries=warm
    )
