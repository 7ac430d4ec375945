from flask import Blueprint

bp = Blueprint("calendar", __name__)

from webapp.blueprints.calendar import client_views, coach_views, common, feed_views  # noqa: E402

common.init_errors(bp)

__all__ = ["bp", "client_views", "coach_views", "feed_views"]
