"""A version counter per coach (and one for everyone), bumped by every write that changes
what a page may show; cached pages are keyed by the versions they were rendered at."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db


class DataVersion(db.Model):
    __tablename__ = "data_versions"

    # A coach's user id, or 0 (rules.data_scopes.EVERYONE) for what anyone's page may show.
    coach_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(sa.BigInteger, default=0)
