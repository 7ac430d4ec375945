from flask import Blueprint

bp = Blueprint("attention", __name__)

from webapp.blueprints.attention import views  # noqa: E402, F401
