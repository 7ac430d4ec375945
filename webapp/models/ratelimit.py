from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models.types import UTCDateTime


class RateLimitWindow(db.Model):
    """A fixed-window counter per key, in the database so every worker shares it."""

    __tablename__ = "rate_limit_windows"

    key: Mapped[str] = mapped_column(sa.String(300), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    count: Mapped[int] = mapped_column(default=0)
