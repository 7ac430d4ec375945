from flask import Blueprint

bp = Blueprint("auth", __name__)

from webapp.blueprints.auth import password_views, signup_views, views  # noqa: E402, F401
