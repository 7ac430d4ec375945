"""Who a person is on OnDeck: a coach, who runs programs, or a client, who joins them."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    COACH = "coach"
    CLIENT = "client"
