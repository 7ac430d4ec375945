"""Loading the logged-in user: the cookie names a user and a session version."""

from __future__ import annotations

from functools import wraps

import sqlalchemy as sa
from flask import abort
from flask_login import current_user, login_required

from webapp.extensions import db
from webapp.models import User

# Every request loads its user: built once, as Session.get rebuilds its statement each time.
_USER = sa.select(User).where(User.id == sa.bindparam("user_id"))


def load_user(user_id: str) -> User | None:
    """Refuse a cookie whose session version is older than the user's (logged out since)."""
    try:
        raw_id, raw_version = user_id.split(":", 1)
        uid, version = int(raw_id), int(raw_version)
    except ValueError:
        return None
    user = db.session.scalar(_USER, {"user_id": uid})
    if user is None or user.session_version != version:
        return None
    return user


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
