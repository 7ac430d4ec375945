"""The public side of an invitation: follow the emailed link, sign up or log in, accept."""

from flask import Blueprint

bp = Blueprint("invitations", __name__)

from webapp.blueprints.invitations import views  # noqa: E402, F401
from webapp.services.memberships import my_memberships  # noqa: E402


@bp.app_context_processor
def memberships_for_templates():
    # A callable, so the query runs only on the pages that list memberships.
    return {"my_memberships": my_memberships}
