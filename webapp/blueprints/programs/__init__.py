from flask import Blueprint

bp = Blueprint("programs", __name__, url_prefix="/programs")

from webapp.blueprints.programs import views  # noqa: E402, F401
