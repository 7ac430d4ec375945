"""Where a logged-in user lands."""

from __future__ import annotations

from flask import url_for


def home_for(user) -> str:
    return url_for("programs.index") if user.is_coach else url_for("main.client_home")
