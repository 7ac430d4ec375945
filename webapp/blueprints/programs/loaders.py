"""The one place that loads a program for its coach; anything else is a 404."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from webapp.extensions import db
from webapp.models import Program


def get_own_program(program_id: int, *, for_update: bool = False) -> Program:
    query = sa.select(Program).where(Program.id == program_id, Program.coach_id == current_user.id)
    if for_update:
        query = query.with_for_update()
    program = db.session.scalar(query)
    if program is None:
        abort(404)
    return program
