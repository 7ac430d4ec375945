from flask import Blueprint

bp = Blueprint("account", __name__)

from webapp.blueprints.account import (  # noqa: E402, F401
    email_views,
    erasure_views,
    reminder_views,
    views,
)
