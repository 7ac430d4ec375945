from flask import Blueprint

bp = Blueprint("account", __name__)

from webapp.blueprints.account import email_views, reminder_views, views  # noqa: E402, F401
