"""A program's public join link, its embeddable widget, and the coach's controls for it."""

from flask import Blueprint

bp = Blueprint("join", __name__)

from webapp.blueprints.join import views  # noqa: E402, F401
