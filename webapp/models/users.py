from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from webapp.extensions import db
from webapp.models.types import UTCDateTime, now_default, stored_enum
from webapp.rules.roles import Role


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (sa.CheckConstraint("role IN ('coach', 'client')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(stored_enum(Role, 10))
    time_zone: Mapped[str] = mapped_column(sa.String(64), default="UTC")
    # Bumped at logout: a cookie carrying an older version no longer loads the user.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_default)
    # A coach's reminder times, minutes before each session ("1440,120"), and their agenda.
    reminder_offsets: Mapped[str] = mapped_column(sa.String(60), default="1440,120")
    agenda_email: Mapped[bool] = mapped_column(default=False)
    # Where a coach's sessions take place, as their reminders say ("" when not given).
    session_location: Mapped[str] = mapped_column(sa.String(200), default="")
    # A client's own choice; the unsubscribe link's token is derived from the salt, hash kept.
    reminders_off: Mapped[bool] = mapped_column(default=False)
    training_digest: Mapped[bool] = mapped_column(default=False)
    unsubscribe_salt: Mapped[str | None] = mapped_column(sa.String(32))
    unsubscribe_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    # Erased (a client who left, or a coach who closed): name and email are placeholders, the
    # login is dead, and the financial records kept are deleted after `retain_until`.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    retain_until: Mapped[date | None] = mapped_column(sa.Date)

    def set_password(self, password: str, method: str = "scrypt") -> None:
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_coach(self) -> bool:
        return self.role == Role.COACH

    @property
    def is_client(self) -> bool:
        return self.role == Role.CLIENT

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class PasswordReset(db.Model):
    """An emailed link to choose a new password: single use, short-lived, only its hash kept."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_default)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set when the link is used, or when a newer link for the same account replaces it.
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class EmailChange(db.Model):
    """A new email address waiting for its owner to open the link sent to it: single use,
    only the link's hash kept. The account keeps its old address until then."""

    __tablename__ = "email_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    new_email: Mapped[str] = mapped_column(sa.String(254))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_default)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set when the change is made, or when a newer request for the same account replaces it.
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SignupRequest(db.Model):
    """A sign-up waiting for its address to be proved. No account exists until the link mailed
    to the address is opened, so typing someone's email gains nothing. Several may wait for one
    email; the first confirmed makes the account and the rest are refused."""

    __tablename__ = "signup_requests"
    __table_args__ = (sa.CheckConstraint("role IN ('coach', 'client')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(stored_enum(Role, 10))
    time_zone: Mapped[str] = mapped_column(sa.String(64))
    # Signed up through this program's join link: confirming also joins it.
    program_id: Mapped[int | None] = mapped_column(sa.ForeignKey("programs.id"))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_default)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
