from __future__ import annotations

from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models.clients import Client
from webapp.models.types import UTCDateTime, now_default


class CalendarEntry(db.Model):
    """One item of training written by the coach for one date of one client's calendar."""

    __tablename__ = "calendar_entries"
    __table_args__ = (sa.Index("ix_calendar_entries_client_date", "client_id", "on_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id"))
    on_date: Mapped[date] = mapped_column(sa.Date)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    at_time: Mapped[time | None] = mapped_column(sa.Time)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    client_note: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_default)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=now_default, onupdate=now_default
    )

    client: Mapped[Client] = relationship(lazy="raise")


class EntryMove(db.Model):
    """Who moved an entry, when, from and to which date."""

    __tablename__ = "entry_moves"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        sa.ForeignKey("calendar_entries.id", ondelete="CASCADE"), index=True
    )
    moved_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    moved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_default)
    from_date: Mapped[date] = mapped_column(sa.Date)
    to_date: Mapped[date] = mapped_column(sa.Date)
