"""The public side of an invitation: follow the emailed link, sign up or log in, accept."""

from flask import Blueprint
from flask_login import current_user

from webapp.services.memberships import memberships_of

bp = Blueprint("invitations", __name__)


@bp.app_context_processor
def memberships_for_templates():
    """`my_memberships()` in any template: the logged-in client's programs (active, or
    awaiting their first payment). A callable, so the query runs only on the pages that list
    memberships."""

    def my_memberships():
        if not current_user.is_authenticated or not current_user.is_client:
            return []
        return memberships_of(current_user.id)

    return {"my_memberships": my_memberships}


from webapp.blueprints.invitations import views  # noqa: E402, F401  (registers the routes on bp)
