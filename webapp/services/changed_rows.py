"""How many rows an UPDATE or DELETE changed."""

from __future__ import annotations

from typing import Any, cast

import sqlalchemy as sa


def changed_rows(result: sa.Result[Any]) -> int:
    # Session.execute is typed to return a plain Result; for UPDATE and DELETE it is a
    # CursorResult, which knows its row count.
    return cast(sa.CursorResult[Any], result).rowcount
