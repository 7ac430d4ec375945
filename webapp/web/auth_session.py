"""Loading the logged-in user: the cookie names a user and a session version."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache, wraps
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import abort, current_app, flash, g, make_response, redirect, request, session, url_for
from flask_login import current_user, login_required, login_url
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.util import identity_key

from webapp.extensions import db, login_manager
from webapp.models import User
from webapp.models.driver_query import DriverQuery
from webapp.services.data_versions import parse_versions, versions_text
from webapp.web.htmx import is_htmx
from webapp.web.login import safe_next

# What the user's pages depend on (`services.data_versions`), read in the same query, for the
# response cache; kept on `g` for this request.
VERSIONS = "ondeck_data_versions"


_ROW = "ondeck_user_row"
_VERSIONS_COLUMN = "ondeck_versions"


@cache
def _user_columns() -> tuple[str, ...]:
    return tuple(prop.key for prop in sa.inspect(User).column_attrs)


@cache
def _user_query(dialect: str) -> sa.Select:
    """Every request loads its user: built once, as Session.get rebuilds its statement each
    time; the data versions come in the same round trip. A Core row, as a cached page needs
    only its id and versions, and the ORM's loading would cost more than the page."""
    user_id = sa.bindparam("user_id")
    columns = [prop.columns[0].label(prop.key) for prop in sa.inspect(User).column_attrs]
    versions = versions_text(user_id, dialect).label(_VERSIONS_COLUMN)
    return sa.select(*columns, versions).where(User.__table__.c.id == user_id)


_DRIVER_QUERIES: dict[str, DriverQuery] = {}


def _driver_query(dialect: sa.Dialect) -> DriverQuery:
    query = _DRIVER_QUERIES.get(dialect.name)
    if query is None:
        query = _DRIVER_QUERIES[dialect.name] = DriverQuery.compile(
            _user_query(dialect.name), dialect
        )
    return query


def _read_row(user_id: str | None) -> Mapping | None:
    """Refuse a cookie whose session version is older than the user's (logged out since)."""
    try:
        raw_id, raw_version = (user_id or "").split(":", 1)
        uid, version = int(raw_id), int(raw_version)
    except ValueError:
        return None
    engine = db.engine
    if db.session.registry.has() and db.session().in_transaction():
        # A test's or a command's session reads inside its own transaction, and sees its writes.
        query = _user_query(engine.dialect.name)
        row = db.session.connection().execute(query, {"user_id": uid}).mappings().first()
    else:
        row = _driver_query(engine.dialect).first(engine, {"user_id": uid})
    if row is None or row["session_version"] != version or row["erased_at"] is not None:
        return None
    g.setdefault(VERSIONS, parse_versions(row[_VERSIONS_COLUMN]))
    return row


def session_user_row() -> Mapping | None:
    """The logged-in user's row, read before the view runs (the response cache asks); the
    login that follows builds its user from it rather than asking again."""
    if _ROW not in g:
        g.setdefault(_ROW, _read_row(session.get("_user_id")))
    return g.get(_ROW)


def load_user(user_id: str) -> User | None:
    row = g.pop(_ROW, None)
    if row is None or f"{row['id']}:{row['session_version']}" != user_id:
        row = _read_row(user_id)
    return None if row is None else _as_loaded(row)


def _as_loaded(row: Mapping) -> User:
    """The row as the session's persistent, unchanged User, as if the ORM had loaded it (and,
    as the ORM would, the instance the session already holds)."""
    held = db.session.identity_map.get(identity_key(User, row["id"]))
    if held is not None:
        return held
    user = User(**{key: row[key] for key in _user_columns()})
    make_transient_to_detached(user)
    db.session.add(user)
    return user


def send_to_login():
    """Log in first, then come back: the one answer to every request that needs a login.

    An htmx request gets no redirect to follow (its XMLHttpRequest would follow it and swap the
    log-in page into the element it updates) but HX-Redirect, which htmx turns into a whole-page
    visit whatever the status; `next` is the page the person is on, not the fragment's URL.
    """
    flash(login_manager.login_message, login_manager.login_message_category)
    if not is_htmx():
        return redirect(login_url(login_manager.login_view, next_url=request.url))
    page = page_of_this_site(request.headers.get("HX-Current-URL"))
    response = make_response("", 401)
    response.headers["HX-Redirect"] = url_for(login_manager.login_view, next=page)
    return response


def page_of_this_site(url: str | None) -> str | None:
    """The path and query of a URL on this site's origin, else None (never an open redirect)."""
    if not url:
        return None
    parts = urlsplit(url)
    # Behind a TLS proxy the app sees http://host while the browser is on PUBLIC_URL.
    origins = {urlsplit(request.host_url), urlsplit(current_app.config.get("PUBLIC_URL") or "")}
    if (parts.scheme, parts.netloc) not in {(o.scheme, o.netloc) for o in origins if o.netloc}:
        return None
    page = parts.path + (f"?{parts.query}" if parts.query else "")
    return safe_next(page, "") or None


def coach_required(view):
    """Logged in as a coach; anyone else logged in gets a 404, as if the page did not exist."""

    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if not current_user.is_coach:
            abort(404)
        return view(*args, **kwargs)

    return wrapper


def client_required(view):
    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if not current_user.is_client:
            abort(404)
        return view(*args, **kwargs)

    return wrapper
