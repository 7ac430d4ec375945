"""Account workflows shared by sign-up, log-in and invite acceptance."""

from __future__ import annotations

from datetime import datetime
from functools import cache

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import generate_password_hash

from webapp.extensions import db
from webapp.models import PasswordReset, User
from webapp.rules.login_throttle import LIMITS, Scope, refusal
from webapp.services import ratelimits
from webapp.services.emailed_links import retire_open_links
from webapp.services.tokens import hash_token


def password_hash_method() -> str:
    return current_app.config["PASSWORD_HASH_METHOD"]


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=password_hash_method())


@cache
def _dummy(method: str) -> User:
    """Checked against when the email is unknown, so a wrong email costs as long as a wrong
    password."""
    return User(password_hash=generate_password_hash("not a password", method=method))


class LoginRefused(Exception):
    pass


def find_user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))


def email_taken(email: str) -> bool:
    return find_user(email) is not None


def create_user(*, name: str, email: str, password: str, role: str, time_zone: str) -> User:
    user = User(name=name, email=email.strip().lower(), role=role, time_zone=time_zone)
    user.set_password(password, password_hash_method())
    db.session.add(user)
    return user


def authenticate(email: str, password: str, address: str, now: datetime) -> User:
    """The user for these credentials, or LoginRefused with a message for the form; `address`
    is the visitor's, whose failures are counted."""
    user = find_user(email)
    wrong = "That email and password do not match an account."
    _check_password(email, user, password, wrong, address, now)
    assert user is not None  # a wrong email has raised
    return user


def confirm_password(user: User, password: str, address: str, now: datetime) -> None:
    """LoginRefused unless this is the user's password; a wrong one counts as a failed log-in."""
    wrong = "That is not your current password."
    _check_password(user.email, user, password, wrong, address, now)


def _check_password(
    email: str, user: User | None, password: str, wrong: str, address: str, now: datetime
) -> None:
    keys = _failure_keys(email, address)
    refused = refusal({scope: ratelimits.window(key) for scope, key in keys.items()}, now)
    if refused:
        raise LoginRefused(refused.message)
    if user is None:
        _dummy(password_hash_method()).check_password(password)
    if user is None or not user.check_password(password):
        for scope, key in keys.items():
            ratelimits.hit(key, now, limit=LIMITS[scope].limit, period=LIMITS[scope].period)
        raise LoginRefused(wrong)
    # Only this address's count for the account: a sprayer cannot clear its address's count
    # with an account of its own, nor the owner the count of guesses made elsewhere.
    ratelimits.reset(keys[Scope.ACCOUNT_FROM_ADDRESS])


def _failure_keys(email: str, address: str) -> dict[Scope, str]:
    # Hashed, so a key stays short whatever the email; the address is the visitor's own.
    account = hash_token(email.strip().lower())[:32]
    return {
        Scope.ACCOUNT_FROM_ADDRESS: f"login:{account}:{address}",
        Scope.ADDRESS: f"login-address:{address}",
        Scope.ACCOUNT: f"login:{account}",
    }


def change_password(user: User, password: str, now: datetime) -> None:
    """Set a new password; every session of the account, this one included, must log in again,
    and a reset link still out no longer works."""
    user.set_password(password, password_hash_method())
    user.session_version = User.session_version + 1
    retire_open_links(PasswordReset, user.id, now)


def end_every_session(user: User) -> None:
    """Log out everywhere: bumping the version makes every older cookie useless."""
    db.session.execute(
        sa.update(User).where(User.id == user.id).values(session_version=User.session_version + 1)
    )
    db.session.commit()
