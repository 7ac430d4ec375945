"""Which coach's data a changed row belongs to, so that a write bumps the version of every
cached page that may show it (`services.data_versions`, `web.response_cache`).

Each table names how to find the coach (or coaches) of one of its rows: a column that holds
the coach's id, or a column that leads there through another table. A table whose rows cannot
be traced to one coach counts as everyone's (`EVERYONE`): any write to it makes every cached
page fresh. A table no cached page reads is `UNSHOWN`, and a write to it bumps nothing.
Over-bumping only costs cache hits; under-bumping would serve a stale page, so when in doubt
a table is everyone's.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# The version every page depends on, whoever's it is.
EVERYONE = 0


class Via(StrEnum):
    """How a column leads to the coach's id."""

    COACH = "coach"  # the column is the coach's user id
    PROGRAM = "program"  # a programs.id: its coach_id
    CLIENT = "client"  # a clients.id: its program's coach_id
    ENTRY = "entry"  # a calendar_entries.id: its client's program's coach_id
    SESSION = "session"  # a coaching_sessions.id: its coach_id


@dataclass(frozen=True)
class Traced:
    """Rows of this table belong to the coach the column leads to."""

    column: str
    via: Via


@dataclass(frozen=True)
class Everyone:
    """Rows that may show on anyone's page (a person's name, time zone or address)."""


@dataclass(frozen=True)
class Unshown:
    """Rows no cached page reads."""


Owner = Traced | Everyone | Unshown

OWNERS: dict[str, Owner] = {
    "bookings": Traced("coach_id", Via.COACH),
    "calendar_entries": Traced("client_id", Via.CLIENT),
    "clients": Traced("program_id", Via.PROGRAM),
    "coaching_sessions": Traced("coach_id", Via.COACH),
    "email_changes": Everyone(),
    "entry_moves": Traced("entry_id", Via.ENTRY),
    "invitations": Traced("program_id", Via.PROGRAM),
    "ledger_entries": Traced("coach_id", Via.COACH),
    "outbox_messages": Unshown(),  # mail; read by the relay and the captured-mail pages
    "packages": Traced("coach_id", Via.COACH),
    "password_resets": Unshown(),
    "payment_accounts": Traced("coach_id", Via.COACH),
    "plus_one_enrolments": Traced("coach_id", Via.COACH),
    "program_subscriptions": Traced("coach_id", Via.COACH),
    "programs": Traced("coach_id", Via.COACH),
    "rate_limit_windows": Unshown(),
    "saved_cards": Traced("coach_id", Via.COACH),
    "session_moves": Traced("session_id", Via.SESSION),
    "signup_requests": Traced("program_id", Via.PROGRAM),
    "users": Everyone(),
    "webhook_events": Unshown(),
    "data_versions": Unshown(),  # the versions themselves
}


def owner_of(table: str) -> Owner:
    """How a table's rows find their coach; a table not listed is everyone's."""
    return OWNERS.get(table, Everyone())


def versions_key(versions: dict[int, int]) -> tuple[tuple[int, int], ...]:
    """The versions a page was rendered at, in one order, for a cache key."""
    return tuple(sorted(versions.items()))
