"""A CSV of clients becomes Manual Invites in Pending: all of them, or none when any line is
bad (the caller commits, or rolls back on `ImportRefused`)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email

from webapp.extensions import db
from webapp.models import Client, Program, User
from webapp.rules import RuleError
from webapp.rules.client_import import LineError, Row, find_program, first_seen, read
from webapp.services.clients import manual_invite, require_accepting

# Shown next to the upload field; more than this many bad lines are counted, not listed.
SHOWN_ERRORS = 50


class ImportRefused(Exception):
    """Some lines are bad: nothing was imported."""

    def __init__(self, errors: list[LineError]):
        super().__init__(f"{len(errors)} lines are bad")
        self.errors = sorted(errors, key=lambda error: error.line)


def _email_problem(email: str) -> str | None:
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return f"“{email}” is not a valid email address."
    return None


def import_clients(program: Program, data: bytes, coach: User, now: datetime) -> list[Client]:
    """Every row of the file a pending client (Manual Invite) of the program it names.

    ImportFileError when the file cannot be read; ImportRefused, listing every bad line,
    when any row is refused (by these checks or by the invite rules)."""
    rows, errors = read(data)
    programs = {
        p.id: p for p in db.session.scalars(sa.select(Program).where(Program.coach_id == coach.id))
    }
    names = {pid: p.name for pid, p in programs.items()}
    seen: dict[tuple[str, int], int] = {}
    added: list[Client] = []
    for row in rows:
        try:
            target = programs[find_program(row.program, program.id, names)]
            problem = _problem(row, target, seen)
            if problem is None:
                made = manual_invite(target, name=row.name, email=row.email, coach=coach, now=now)
                added.append(made)
        except RuleError as refused:
            problem = LineError(row.line, _sentence(str(refused)))
        if problem is not None:
            errors.append(problem)
    if errors:
        raise ImportRefused(errors)
    if not added:
        raise ImportRefused([LineError(1, "the file has no clients under its header line.")])
    return added


def _problem(row: Row, target: Program, seen: dict[tuple[str, int], int]) -> LineError | None:
    """A bad email, or the same one twice for a program; a closed program raises."""
    problem = _email_problem(row.email)
    if problem:
        return LineError(row.line, problem)
    require_accepting(target)
    return first_seen(seen, row, target.id)


def _sentence(message: str) -> str:
    """A rule's message after "Line N: ": lower-case first letter."""
    return message[:1].lower() + message[1:] if message else message
