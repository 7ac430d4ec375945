"""Your data as one zip (GDPR Art. 20): a coach's whole business, or a client's own records.
The zip is made while it is sent, so it has no Content-Length."""

from __future__ import annotations

from flask import Response, stream_with_context
from flask_login import current_user, login_required

from webapp import clock
from webapp.blueprints.account import bp
from webapp.services import data_export


@bp.get("/account/export.zip")
@login_required
def export():
    user = current_user._get_current_object()
    now = clock.now()
    make = data_export.coach_zip if user.is_coach else data_export.client_zip
    response = Response(stream_with_context(make(user.id, now)), mimetype="application/zip")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{data_export.file_name(user, now)}"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response
