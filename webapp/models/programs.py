from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models.types import UTCDateTime, now_default, stored_enum
from webapp.models.users import User
from webapp.rules.programs import BillingPeriod, ProgramStatus, ProgramType


class Program(db.Model):
    __tablename__ = "programs"
    __table_args__ = (
        sa.CheckConstraint("price_minor >= 0", name="price_not_negative"),
        sa.CheckConstraint("status IN ('draft', 'published', 'archived')", name="status"),
        sa.CheckConstraint("type = 'one_to_one'", name="type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    coach_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    type: Mapped[ProgramType] = mapped_column(
        stored_enum(ProgramType, 20), default=ProgramType.ONE_TO_ONE
    )
    price_minor: Mapped[int] = mapped_column(sa.BigInteger)
    currency: Mapped[str] = mapped_column(sa.String(3))
    billing_period: Mapped[BillingPeriod] = mapped_column(stored_enum(BillingPeriod, 10))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    welcome_message: Mapped[str] = mapped_column(sa.Text, default="")
    waiver: Mapped[str] = mapped_column(sa.Text, default="")
    # Clients settle the price with the coach directly: no card payment is asked for.
    paid_outside: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    status: Mapped[ProgramStatus] = mapped_column(
        stored_enum(ProgramStatus, 10), default=ProgramStatus.DRAFT
    )
    # Join link: the public token is derived from SECRET_KEY and this salt (services/tokens.py),
    # so the coach can copy it again while the database holds only its hash.
    join_enabled: Mapped[bool] = mapped_column(default=True)
    join_salt: Mapped[str | None] = mapped_column(sa.String(32))
    join_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_default)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=now_default, onupdate=now_default
    )
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    coach: Mapped[User] = relationship(lazy="raise")

    def __repr__(self) -> str:
        return f"<Program {self.id} {self.status}>"
