"""Sign-up with a password: no account until the address is proved.

A sign-up (coach, or a client through a join link) stores what was given and mails the address
a single-use link. Confirming it, with the same password, makes the account and completes the
join. Until then nothing addressed to the email (a pending client's calendar, an invitation) is
touched, so a stranger who types someone's email gains nothing and blocks nothing.

The page answers the same whether or not the address has an account; only its inbox learns
which, so the form cannot be used to find out who is on OnDeck.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app, url_for
from werkzeug.security import check_password_hash

from webapp.extensions import db
from webapp.models import OutboxMessage, Program, SignupRequest, User
from webapp.rules.credentials import LinkError
from webapp.rules.identity import (
    ACCOUNT_EXISTS,
    SIGNUP_EMAIL_LIMIT,
    SIGNUP_EMAIL_PERIOD,
    SIGNUP_LINK_LIFETIME,
    AccountExists,
    SignupMail,
    check_confirmable,
    signup_link_expiry,
    signup_mail,
)
from webapp.services import outbox, ratelimits
from webapp.services.changed_rows import changed_rows
from webapp.services.tokens import hash_token, looks_like_token, new_random_token
from webapp.services.users import email_taken, hash_password

LINK_HOURS = int(SIGNUP_LINK_LIFETIME.total_seconds() // 3600)
NOT_FOUND = (
    "This link is not valid. Check that you opened the whole link from the email, or sign up "
    "again to get a new one."
)


def request_signup(
    *,
    name: str,
    email: str,
    password: str,
    role: str,
    time_zone: str,
    now: datetime,
    program: Program | None = None,
) -> OutboxMessage | None:
    """Mail the address a confirmation link, or, if it has an account, a note saying so.

    Returns the queued message (None when the address has had its share of sign-up mail)."""
    email = email.strip().lower()
    # Counted per address, so a flood of sign-ups cannot flood one inbox.
    decision = ratelimits.hit(
        f"signup:{email}", now, limit=SIGNUP_EMAIL_LIMIT, period=SIGNUP_EMAIL_PERIOD
    )
    if not decision.allowed:
        return None
    if signup_mail(account_exists=email_taken(email)) is SignupMail.ALREADY_REGISTERED:
        return _mail_account_exists(email, program)
    token = new_random_token()
    db.session.add(
        SignupRequest(
            email=email,
            name=name,
            password_hash=hash_password(password),
            role=role,
            time_zone=time_zone,
            program_id=program.id if program else None,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=signup_link_expiry(now),
        )
    )
    link = current_app.config["PUBLIC_URL"] + url_for("auth.confirm_signup", token=token)
    return outbox.queue_rendered(
        email,
        "Confirm your email to finish signing up to OnDeck",
        "signup_confirm",
        name=name,
        program=program,
        link=link,
        hours=LINK_HOURS,
    )


def _mail_account_exists(email: str, program: Program | None) -> OutboxMessage:
    base = current_app.config["PUBLIC_URL"]
    return outbox.queue_rendered(
        email,
        "Someone tried to sign up to OnDeck with your address",
        "signup_account_exists",
        email=email,
        program=program,
        login=base + url_for("auth.login"),
        forgot=base + url_for("auth.forgot_password"),
    )


def load_signup(token: str) -> SignupRequest:
    """The sign-up for this link (usable or not: confirming says why not), or LinkError."""
    signup = None
    if looks_like_token(token):
        signup = db.session.scalar(
            sa.select(SignupRequest).where(SignupRequest.token_hash == hash_token(token))
        )
    if signup is None:
        raise LinkError(NOT_FOUND)
    return signup


def check_signup(signup: SignupRequest, now: datetime, password: str | None = None) -> None:
    """Raise why this link cannot make the account (a rule error), or return."""
    check_confirmable(
        expires_at=signup.expires_at,
        used_at=signup.used_at,
        account_exists=email_taken(signup.email),
        # Opening the page asks for no password yet: only the confirming post checks it.
        password_matches=password is None or check_password_hash(signup.password_hash, password),
        now=now,
    )


def confirm_signup(signup: SignupRequest, password: str, now: datetime) -> User:
    """Make the account once, with the details of this sign-up. Two confirmations of one
    link, or of two links for one email, make one account: the link is claimed with a
    conditional update and the email is unique. The caller rolls back on a rule error."""
    check_signup(signup, now, password)
    claimed = changed_rows(
        db.session.execute(
            sa.update(SignupRequest)
            .where(SignupRequest.id == signup.id, SignupRequest.used_at.is_(None))
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
    )
    if claimed != 1:
        # Another request confirmed this link between our read and this update.
        raise AccountExists(ACCOUNT_EXISTS)
    user = User(
        name=signup.name,
        email=signup.email,
        password_hash=signup.password_hash,
        role=signup.role,
        time_zone=signup.time_zone,
    )
    db.session.add(user)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except sa.exc.IntegrityError:
        # Another sign-up for this email was confirmed at the same moment.
        raise AccountExists(ACCOUNT_EXISTS) from None
    return user
