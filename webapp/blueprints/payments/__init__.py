from flask import Blueprint

bp = Blueprint("payments", __name__)

from webapp.blueprints.payments import card_views, views, webhook_views  # noqa: E402, F401
