"""Column types shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator

from webapp import clock


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on every database.

    SQLite keeps no offset, so values are normalised to UTC before they are stored.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def stored_enum(enum: type[StrEnum], length: int) -> sa.Enum:
    """A rules enum kept as the same VARCHAR its values always were: no native type, no new
    constraint (the tables keep their own CHECKs), and reading a row gives the enum member."""
    return sa.Enum(
        enum,
        native_enum=False,
        values_callable=lambda members: [member.value for member in members],
        length=length,
        create_constraint=False,
        validate_strings=True,
    )


def now_default() -> datetime:
    """Column defaults read the one clock too, so a test that sets the time sets them."""
    return clock.now()
