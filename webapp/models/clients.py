from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models.programs import Program
from webapp.models.types import UTCDateTime, now_default, stored_enum
from webapp.models.users import User
from webapp.rules.invites import Method, State


class Client(db.Model):
    """A person in a coach's program. Their calendar hangs off this row, so it moves with it."""

    __tablename__ = "clients"
    __table_args__ = (
        sa.UniqueConstraint("program_id", "email"),
        sa.CheckConstraint("state IN ('pending', 'active', 'removed')", name="state"),
        sa.CheckConstraint("method IN ('manual', 'email', 'link')", name="method"),
        sa.CheckConstraint("horizon_days IS NULL OR horizon_days >= 0", name="horizon"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(sa.ForeignKey("programs.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    email: Mapped[str] = mapped_column(sa.String(254))
    state: Mapped[State] = mapped_column(stored_enum(State, 10))
    method: Mapped[Method] = mapped_column(stored_enum(Method, 10))
    start_date: Mapped[date] = mapped_column(sa.Date)
    # Set by the coach; until then a pending client's start date moves to the day they join.
    start_date_set: Mapped[bool] = mapped_column(default=False)
    # Days ahead of the client's today they may see; NULL means everything written.
    horizon_days: Mapped[int | None] = mapped_column(default=7)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_default)
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    waiver_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Accepted a program paid by card; pending until Stripe confirms the first payment.
    awaiting_payment_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Private calendar feed: token derived from SECRET_KEY and this salt; only its hash stored.
    feed_salt: Mapped[str | None] = mapped_column(sa.String(32))
    feed_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    # The feed as last served (a hash of its body) and when it last changed: its Last-Modified.
    feed_version: Mapped[str | None] = mapped_column(sa.String(64))
    feed_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Erased: name and email are placeholders and the calendar is gone; the row stays because
    # the coaching sessions kept as financial records point at it.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    program: Mapped[Program] = relationship(lazy="raise")
    user: Mapped[User | None] = relationship(lazy="raise")

    def __repr__(self) -> str:
        return f"<Client {self.id} {self.state}>"


class Invitation(db.Model):
    """A sent invite with a secret token; outstanding until accepted, revoked or expired."""

    __tablename__ = "invitations"
    __table_args__ = (sa.CheckConstraint("kind IN ('manual', 'email')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(sa.ForeignKey("programs.id"), index=True)
    # Set for the formal invite of a Manual Invite (pending) client.
    client_id: Mapped[int | None] = mapped_column(sa.ForeignKey("clients.id"), index=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    name: Mapped[str] = mapped_column(sa.String(120), default="")
    kind: Mapped[Method] = mapped_column(stored_enum(Method, 10))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    invited_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_default)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    program: Mapped[Program] = relationship(lazy="raise")
    client: Mapped[Client | None] = relationship(lazy="raise")
