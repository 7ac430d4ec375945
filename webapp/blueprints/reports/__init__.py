from flask import Blueprint

bp = Blueprint("reports", __name__)

from webapp.blueprints.reports import ledger_views, rows_views, views  # noqa: E402, F401
