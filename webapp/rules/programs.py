"""Program lifecycle: draft -> published -> archived."""

from __future__ import annotations

from enum import StrEnum

from webapp.rules import RuleError


class ProgramStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class ProgramType(StrEnum):
    ONE_TO_ONE = "one_to_one"


class ProgramAction(StrEnum):
    PUBLISH = "publish"
    ARCHIVE = "archive"


class BillingPeriod(StrEnum):
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"
    ONCE = "once"


BILLING_LABELS = {
    BillingPeriod.WEEK: "per week",
    BillingPeriod.MONTH: "per month",
    BillingPeriod.YEAR: "per year",
    BillingPeriod.ONCE: "one-off",
}

# 1-2-1 programs have no daily leaderboard: every client has a different schedule.
LEADERBOARD_AVAILABLE = {"one_to_one": False}


def has_leaderboard(program_type: str) -> bool:
    """Whether a program of this type offers a daily leaderboard (none does for 1-2-1)."""
    return LEADERBOARD_AVAILABLE.get(program_type, False)


class ProgramRuleError(RuleError):
    pass


def next_status(
    current: ProgramStatus, action: ProgramAction, *, clients_in_program: int = 0
) -> ProgramStatus:
    """The status after `action`, or ProgramRuleError saying why it is not allowed."""
    if action is ProgramAction.PUBLISH:
        if current is ProgramStatus.DRAFT:
            return ProgramStatus.PUBLISHED
        if current is ProgramStatus.PUBLISHED:
            raise ProgramRuleError("This program is already published.")
        raise ProgramRuleError("An archived program cannot be published again.")
    if action is ProgramAction.ARCHIVE:
        if current is ProgramStatus.ARCHIVED:
            raise ProgramRuleError("This program is already archived.")
        if clients_in_program:
            noun = "client" if clients_in_program == 1 else "clients"
            raise ProgramRuleError(
                f"This program still has {clients_in_program} pending or active {noun}. "
                "Move them to another program before archiving it."
            )
        return ProgramStatus.ARCHIVED
    raise ProgramRuleError(f"Unknown action {action!r}.")


def accepts_clients(status: ProgramStatus) -> bool:
    """Only a published program accepts invites and joins."""
    return status is ProgramStatus.PUBLISHED


def is_editable(status: ProgramStatus) -> bool:
    """An archived program is kept as it was: its details, invites and join link are closed."""
    return status is not ProgramStatus.ARCHIVED


def offers(status: ProgramStatus, action: ProgramAction) -> bool:
    """Whether a program in `status` offers the step at all. Archiving is offered while
    clients remain: taking the step then says why it is refused."""
    try:
        next_status(status, action)
    except ProgramRuleError:
        return False
    return True
