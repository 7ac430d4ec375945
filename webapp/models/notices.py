from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models.types import UTCDateTime, now_default


class SessionMove(db.Model):
    """Who moved, unplaced or voided a placed session, when, and from and to which time."""

    __tablename__ = "session_moves"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("coaching_sessions.id"), index=True)
    # The calendar it was on (or is now on), whose client is told.
    calendar_client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id"), index=True)
    moved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    moved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_default)
    from_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # None: taken off the calendar (unplaced or voided).
    to_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
