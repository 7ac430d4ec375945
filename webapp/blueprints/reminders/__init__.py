"""Session reminders: the one-click unsubscribe link every reminder carries (RFC 8058)."""

from flask import Blueprint

bp = Blueprint("reminders", __name__)

from webapp.blueprints.reminders import views  # noqa: E402, F401
