from flask import Blueprint

bp = Blueprint("calendar", __name__)

from webapp.blueprints.calendar import (  # noqa: E402
    client_views,
    coach_views,
    common,
    feed_views,
    move_views,
    tools_views,
)

common.init_errors(bp)

__all__ = ["bp", "client_views", "coach_views", "feed_views", "move_views", "tools_views"]
