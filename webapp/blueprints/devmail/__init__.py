"""Captured mail: in development, a coach reads the outbox here to follow invite links."""

from flask import Blueprint

bp = Blueprint("devmail", __name__, url_prefix="/dev/mail")

from webapp.blueprints.devmail import views  # noqa: E402, F401
