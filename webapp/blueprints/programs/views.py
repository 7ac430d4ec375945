import sqlalchemy as sa
from flask import flash, redirect, url_for
from flask_login import current_user

from webapp import clock
from webapp.blueprints.programs import bp
from webapp.blueprints.programs.forms import ProgramForm
from webapp.extensions import db
from webapp.models import Program
from webapp.rules import RuleError
from webapp.rules.money import Money
from webapp.rules.programs import ProgramAction, ProgramStatus, ProgramType, is_editable
from webapp.services.amounts import price_input
from webapp.services.programs import change_status, counts_by_state
from webapp.web.auth_session import coach_required
from webapp.web.htmx import render
from webapp.web.loaders import get_own_program
from webapp.web.program_page import program_page
from webapp.web.response_cache import cached


@bp.get("/")
@coach_required
@cached
def index():
    programs = db.session.scalars(
        sa.select(Program)
        .where(Program.coach_id == current_user.id)
        .order_by(Program.status == ProgramStatus.ARCHIVED, Program.created_at.desc())
    ).all()
    counts = counts_by_state([p.id for p in programs])
    return render("programs/index.html", programs=programs, counts=counts)


@bp.get("/new")
@coach_required
def new():
    return render("programs/form.html", form=ProgramForm(), program=None)


@bp.post("/new")
@coach_required
def create():
    form = ProgramForm()
    if not form.validate_on_submit():
        return render("programs/form.html", form=form, program=None, status=422)
    program = Program(coach_id=current_user.id, type=ProgramType.ONE_TO_ONE)
    _apply(form, program)
    db.session.add(program)
    db.session.commit()
    flash(f"Program “{program.name}” created as a draft. Publish it to invite clients.", "success")
    return redirect(url_for("programs.detail", program_id=program.id))


@bp.get("/<int:program_id>")
@coach_required
@cached
def detail(program_id: int):
    # The program page opens on its Active clients tab.
    return program_page(get_own_program(program_id), "active", block="client_area")


@bp.get("/<int:program_id>/edit")
@coach_required
def edit(program_id: int):
    program = get_own_program(program_id)
    form = ProgramForm(obj=program)
    form.price.data = _price_text(program)
    return render("programs/form.html", form=form, program=program)


@bp.post("/<int:program_id>/edit")
@coach_required
def update(program_id: int):
    program = get_own_program(program_id)
    form = ProgramForm()
    if not is_editable(program.status):
        flash("An archived program cannot be edited.", "error")
        return redirect(url_for("programs.detail", program_id=program.id))
    if not form.validate_on_submit():
        return render("programs/form.html", form=form, program=program, status=422)
    _apply(form, program)
    db.session.commit()
    flash("Program saved.", "success")
    return redirect(url_for("programs.detail", program_id=program.id))


@bp.post("/<int:program_id>/publish")
@coach_required
def publish(program_id: int):
    done = "Program published. You can now invite clients."
    return _change(program_id, ProgramAction.PUBLISH, done)


@bp.post("/<int:program_id>/archive")
@coach_required
def archive(program_id: int):
    return _change(program_id, ProgramAction.ARCHIVE, "Program archived.")


def _change(program_id: int, action: ProgramAction, done: str):
    program = get_own_program(program_id, for_update=True)
    try:
        change_status(program, action, clock.now())
    except RuleError as refused:
        db.session.rollback()
        flash(str(refused), "error")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(url_for("programs.detail", program_id=program_id))


def _apply(form: ProgramForm, program: Program) -> None:
    program.name = form.name.data
    program.price_minor = form.money.minor
    program.currency = form.money.currency
    program.billing_period = form.billing_period.data
    program.paid_outside = bool(form.paid_outside.data)
    program.description = form.description.data or ""
    program.welcome_message = form.welcome_message.data or ""
    program.waiver = form.waiver.data or ""


def _price_text(program: Program) -> str:
    return price_input(Money(program.price_minor, program.currency))
