from flask import Blueprint
from flask_login import current_user

from webapp.services.coaching_sessions import coaches_of

bp = Blueprint("my_coaches", __name__, url_prefix="/my/coaches")


@bp.app_context_processor
def coaches_helper():
    """`my_coaches()` in any template: the coaches the logged-in client is active with."""

    def my_coaches():
        if not current_user.is_authenticated or not current_user.is_client:
            return []
        return coaches_of(current_user.id)

    return {"my_coaches": my_coaches}


from webapp.blueprints.my_coaches import views  # noqa: E402, F401  (registers the routes on bp)
