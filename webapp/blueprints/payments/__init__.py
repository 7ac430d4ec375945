from flask import Blueprint

bp = Blueprint("payments", __name__)

from webapp.blueprints.payments import (  # noqa: E402, F401
    card_views,
    subscription_views,
    views,
    webhook_views,
)
