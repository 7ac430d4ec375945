"""A logged-in session from its start to its end: a new CSRF secret at each end, and idle and
absolute limits kept in the signed session cookie and checked before every request (the
decision is webapp.rules.sessions)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask, current_app, flash, g, session
from flask_login import logout_user

from webapp import clock
from webapp.rules.sessions import SessionLimits, ended, should_record_seen

LOGGED_IN_AT = "logged_in_at"
SEEN_AT = "seen_at"


def began() -> None:
    """Call right after logging a user in."""
    session[LOGGED_IN_AT] = session[SEEN_AT] = _stamp(clock.now())
    _new_csrf_secret()


def end() -> None:
    logout_user()
    session.pop(LOGGED_IN_AT, None)
    session.pop(SEEN_AT, None)
    _new_csrf_secret()


def _new_csrf_secret() -> None:
    """A form token picked up before logging in or out (a planted one, say) stops working;
    the next page rendered carries a new one."""
    session.pop("csrf_token", None)
    g.pop("csrf_token", None)


def init_session_lifetime(app: Flask) -> None:
    @app.before_request
    def end_expired_sessions():
        if "_user_id" not in session:
            return
        now = clock.now()
        seen_at = _read(SEEN_AT)
        why = ended(logged_in_at=_read(LOGGED_IN_AT), seen_at=seen_at, now=now, limits=_limits())
        if why:
            # The request goes on logged out: a page that needs a log-in sends the visitor
            # to log in, and `next` brings them back.
            end()
            flash(why, "info")
        elif should_record_seen(seen_at, now):
            session[SEEN_AT] = _stamp(now)


def _limits() -> SessionLimits:
    config = current_app.config
    return SessionLimits(
        idle=timedelta(minutes=float(config["SESSION_IDLE_MINUTES"])),
        max_age=timedelta(days=float(config["SESSION_MAX_DAYS"])),
    )


def _stamp(moment: datetime) -> int:
    return int(moment.timestamp())


def _read(key: str) -> datetime | None:
    value = session.get(key)
    return datetime.fromtimestamp(value, UTC) if isinstance(value, int) else None
