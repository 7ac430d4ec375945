"""Small helpers shared by the calendar views."""

from __future__ import annotations

from datetime import date

from flask import abort

from webapp.extensions import db
from webapp.rules.calendar import NotAllowed
from webapp.rules.dates import parse_date
from webapp.web.errors import error_page


def parse_day(iso: str) -> date:
    """A YYYY-MM-DD from the URL inside the calendar's range, or 404."""
    on = parse_date(iso)
    if on is None:
        abort(404)
    return on


def scope_ids(form, suffix: str):
    """Give a form's fields ids unique on a page that shows several editors at once."""
    for field in form:
        field.id = f"{field.name}-{suffix}"
        field.label.field_id = field.id
    return form


def init_errors(bp) -> None:
    @bp.errorhandler(NotAllowed)
    def not_allowed(refused):
        db.session.rollback()
        return error_page(403, str(refused))
