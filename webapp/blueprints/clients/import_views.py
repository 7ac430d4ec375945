"""A CSV of clients becomes Manual Invites in a program's Pending tab, all or none: bad lines
are listed by number next to the upload field and nothing is imported."""

from flask import flash, redirect, url_for
from flask_login import current_user

from webapp import clock
from webapp.blueprints.clients import bp
from webapp.blueprints.clients.import_form import ImportForm
from webapp.extensions import db
from webapp.rules.client_import import MAX_BYTES, MAX_ROWS, ImportFileError
from webapp.rules.invites import InviteError
from webapp.services.client_import import SHOWN_ERRORS, ImportRefused, import_clients
from webapp.services.clients import require_accepting
from webapp.web.auth_session import coach_required
from webapp.web.htmx import render
from webapp.web.loaders import get_own_program

TEMPLATE = "clients/import.html"
LIMITS = {"max_rows": MAX_ROWS, "max_kb": MAX_BYTES // 1024, "shown_errors": SHOWN_ERRORS}


@bp.get("/programs/<int:program_id>/clients/import")
@coach_required
def import_form(program_id: int):
    program = get_own_program(program_id)
    return render(TEMPLATE, program=program, form=ImportForm(), line_errors=[], **LIMITS)


@bp.post("/programs/<int:program_id>/clients/import")
@coach_required
def import_csv(program_id: int):
    program = get_own_program(program_id, for_update=True)
    form, line_errors = ImportForm(), []
    if form.validate_on_submit():
        data = form.file.data.read(MAX_BYTES + 1)
        try:
            require_accepting(program)
            added = import_clients(program, data, current_user, clock.now())
        except (ImportFileError, InviteError) as refused:
            form.file.errors.append(str(refused))
        except ImportRefused as refused:
            line_errors = refused.errors
        else:
            db.session.commit()
            flash(_added(len(added)), "success")
            return redirect(url_for("clients.tab", program_id=program.id, tab="pending"), 303)
    db.session.rollback()
    context = {"program": program, "form": form, "line_errors": line_errors, **LIMITS}
    return render(TEMPLATE, status=422, **context)


def _added(count: int) -> str:
    if count == 1:
        return "1 client is in Pending, with a calendar ready for training."
    return f"{count} clients are in Pending, each with a calendar ready for training."
