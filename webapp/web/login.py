"""Logging a visitor in and out, and the checks that count against their address."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from flask import request, url_for
from flask_login import login_user

from webapp.models import User
from webapp.services import invitations, users
from webapp.web import session_lifetime


def visitor_address() -> str:
    """The visitor's address: behind trusted proxies, the one they forwarded (web.proxies)."""
    return request.remote_addr or "unknown"


def authenticate(email: str, password: str, now: datetime) -> User:
    """The user for these credentials, or LoginRefused; failures count against this visitor."""
    return users.authenticate(email, password, visitor_address(), now)


def confirm_password(user: User, password: str, now: datetime) -> None:
    users.confirm_password(user, password, visitor_address(), now)


def public_post_allowed(kind: str, token: str, now: datetime) -> bool:
    """Count a public form post against this visitor's address and the token."""
    return invitations.public_post_allowed(kind, token, request.remote_addr, now)


def start_session(user: User) -> None:
    login_user(user)
    session_lifetime.began()


def end_session(user: User) -> None:
    """Log out on every device, this browser included."""
    users.end_every_session(user)
    session_lifetime.end()


def home_for(user) -> str:
    return url_for("programs.index") if user.is_coach else url_for("main.client_home")


def safe_next(target: str | None, default: str) -> str:
    """Only same-site paths, never an open redirect."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target:
        return default
    return target
