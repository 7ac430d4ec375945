"""Error pages: a clear page for a person, a small fragment for htmx."""

from __future__ import annotations

from flask import Flask, current_app, g, make_response, render_template
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

from webapp.extensions import db, login_manager
from webapp.web.auth_session import send_to_login
from webapp.web.htmx import is_htmx, render_block
from webapp.web.refusals import Refused

CSRF_MESSAGE = "This form has expired or was not sent from OnDeck. Reload the page and try again."
# Every page has this box (base.html); app.js shows what is swapped into it.
NOTICE_AREA = "#htmx-error"

MESSAGES = {
    400: ("Bad request", "That request could not be understood."),
    403: ("Not allowed", "You do not have permission to do that."),
    404: ("Not found", "There is nothing here. It may have been moved or deleted."),
    405: ("Not allowed", "That action is not available here."),
    413: ("Too large", "What you sent is larger than this page accepts."),
    429: ("Too many attempts", "Please wait a little and try again."),
    500: ("Something went wrong", "The error was logged. Nothing you entered was saved."),
    503: ("Temporarily unavailable", "The service is busy or restarting. Try again shortly."),
}


def error_page(status: int, message: str | None = None):
    title, default = MESSAGES.get(status, MESSAGES[500])
    return render_template("errors/error.html", title=title, message=message or default), status


def _http_error(error):
    # Only 400 and 429 carry messages written for people; the rest use the default text.
    message = error.description if error.code in (400, 429) else None
    return error_page(error.code, message)


def _size(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MB"
    return f"{limit / 1024:g} KB"


def _too_large(error):
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    message = "What you sent is larger than this page accepts"
    message += f" (at most {_size(limit)})." if limit else "."
    message += " Shorten the text and try again."
    if is_htmx():
        # The form stays as it was; the message is all the page needs.
        body = render_block("errors/error.html", "error", title="Too large", message=message)
        return body, 413
    return error_page(413, message)


def init_error_pages(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        if not is_htmx():
            return error_page(400, CSRF_MESSAGE)
        # No session, no token to match: the real trouble is that the person is logged out.
        if not current_user.is_authenticated:
            return send_to_login()
        return htmx_notice(400, CSRF_MESSAGE)

    @app.errorhandler(Refused)
    def refused(refusal: Refused):
        return refusal.page()

    for status in (400, 403, 404, 405, 429):
        app.register_error_handler(status, _http_error)
    app.register_error_handler(413, _too_large)

    @app.errorhandler(OperationalError)
    def database_unavailable(error):
        app.logger.error("database error: %s", error)
        return _unavailable()

    @app.errorhandler(DBAPIError)
    def database_error(error):
        # A connection cut mid-request (server restart) is an outage, not a bug.
        if not error.connection_invalidated:
            raise error
        app.logger.error("database connection lost: %s", error)
        return _unavailable()

    @app.teardown_appcontext
    def release_session(error):
        # Runs before Flask-SQLAlchemy's own teardown. Closing the session rolls back on its
        # connection; when the server has just cut that connection, the rollback raises and a
        # finished response (even a successful save) would turn into a bare 500.
        try:
            db.session.remove()
        except SQLAlchemyError as failure:
            app.logger.warning("database connection lost at the end of a request: %s", failure)
            db.session.registry().invalidate()  # drops the connections without a rollback
            db.session.registry.clear()

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return error_page(500)


def htmx_notice(status: int, message: str):
    """A sentence for the page's notice area, never an error page inside a panel."""
    response = make_response(str(escape(message)), status)
    response.headers["HX-Retarget"] = NOTICE_AREA
    response.headers["HX-Reswap"] = "innerHTML"
    return response


def _unavailable():
    """The 503 page, rendered without touching the database (it may still be down)."""
    try:
        db.session.rollback()
    except SQLAlchemyError:
        pass
    # The rollback expired the loaded user; render as anonymous rather than reload it.
    g._login_user = login_manager.anonymous_user()
    body, status = error_page(503)
    return body, status, {"Retry-After": "5"}
