"""Refuse control characters in submitted text before any view sees them.

PostgreSQL cannot store NUL in text, and no form of OnDeck wants control characters other
than tab and line breaks; refusing them here gives one clear 400 instead of a database error.
"""

from __future__ import annotations

import re

from flask import Flask, abort, request

_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _has_forbidden(values) -> bool:
    return any(_FORBIDDEN.search(value) for _key, value in values.items(multi=True))


def init_input_guard(app: Flask) -> None:
    @app.before_request
    def refuse_control_characters():
        if _has_forbidden(request.args) or (
            request.method == "POST" and _has_forbidden(request.form)
        ):
            abort(400, "Text cannot contain control characters. Remove them and try again.")
