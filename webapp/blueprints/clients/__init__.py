"""A coach's clients: the Pending, Active and Invitations tabs of a program, invites, moves."""

from flask import Blueprint

bp = Blueprint("clients", __name__)

from webapp.blueprints.clients import (  # noqa: E402, F401
    erasure_views,
    import_views,
    switcher_views,
    views,
)
