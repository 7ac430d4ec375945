from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint

bp = Blueprint("sessions", __name__)


@bp.app_template_filter("local_time")
def local_time(value: datetime | None, tz: str | None, pattern: str = "%H:%M") -> str:
    """A UTC datetime as the client's wall-clock time (or any strftime pattern)."""
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(tz or "UTC")).strftime(pattern)


from webapp.blueprints.sessions import booking_views, views  # noqa: E402, F401
