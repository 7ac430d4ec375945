"""The public join page, the embeddable widget, and the coach's join-link controls."""

import sqlalchemy as sa
from flask import abort, redirect, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from webapp import clock
from webapp.blueprints.join import bp
from webapp.blueprints.join.forms import JoinSignupForm
from webapp.extensions import db
from webapp.models import Program
from webapp.rules.invites import InviteError
from webapp.rules.programs import ProgramStatus, is_editable
from webapp.rules.roles import Role
from webapp.services import outbox
from webapp.services.clients import require_accepting
from webapp.services.invitations import join_program, membership
from webapp.services.join_links import join_link, regenerate
from webapp.services.signups import LINK_HOURS, request_signup
from webapp.services.tokens import hash_token, looks_like_token
from webapp.web.accept_forms import AcceptForm
from webapp.web.auth_session import coach_required
from webapp.web.htmx import answer, render
from webapp.web.loaders import get_own_program
from webapp.web.login import public_post_allowed
from webapp.web.refusals import Refused, refusal, too_many_attempts
from webapp.web.security import allow_framing

DEAD_LINK = (
    "This join link does not work. It may have been turned off or replaced: "
    "ask the coach for their current link."
)


def _program_for(token: str) -> Program | None:
    """The program whose join link this is, while the link is turned on."""
    if not looks_like_token(token):
        return None
    return db.session.scalar(
        sa.select(Program)
        .options(joinedload(Program.coach))
        .where(Program.join_token_hash == hash_token(token), Program.join_enabled.is_(True))
    )


def _load(token: str) -> Program:
    """The program of a join link that takes clients; raises `Refused` otherwise."""
    program = _program_for(token)
    if program is None:
        raise Refused("Join link not found", DEAD_LINK, 404)
    try:
        require_accepting(program)
    except InviteError as refused:
        status = 410 if program.status == ProgramStatus.ARCHIVED else 403
        raise Refused(
            "Not taking new clients",
            f"{program.name} is not taking new clients at the moment. "
            f"Contact {program.coach.name} for another program.",
            status,
        ) from refused
    return program


@bp.get("/join/<token>")
def show(token: str):
    program = _load(token)
    mode, form = _form_for_visitor(program)
    return _page(program, token, mode, form)


@bp.post("/join/<token>")
def join(token: str):
    if not public_post_allowed("join", token, clock.now()):
        return too_many_attempts()
    program = _load(token)
    mode, form = _form_for_visitor(program)
    if not form.validate_on_submit():
        return _page(program, token, mode, form, status=422)
    if mode == "signup":
        return _sign_up(program, form)
    return _join_now(program)


def _sign_up(program: Program, form):
    """No account yet: the address is proved first, and confirming joins the program."""
    message = request_signup(
        name=form.name.data,
        email=form.email.data,
        password=form.password.data,
        role=Role.CLIENT,
        time_zone=form.time_zone.data,
        now=clock.now(),
        program=program,
    )
    db.session.commit()
    return render(
        "auth/signup_sent.html",
        email=form.email.data,
        program=program,
        hours=LINK_HOURS,
        captured=outbox.captured_copy(message),
    )


def _join_now(program: Program):
    """The logged-in client joins at once."""
    try:
        client = join_program(program, current_user._get_current_object(), clock.now())
    except (InviteError, sa.exc.IntegrityError) as refused:
        db.session.rollback()
        message = str(refused) if isinstance(refused, InviteError) else "Please try again."
        return refusal("Could not join", message, 409)
    db.session.commit()
    return redirect(url_for("invitations.welcome", client_id=client.id), 303)


@bp.get("/join/<token>/widget")
@allow_framing
def widget(token: str):
    """The only page other sites may frame: no cookie, no form, a link that opens a new tab."""
    program = _program_for(token)
    if program is None:
        return render("join/widget.html", status=404, program=None)
    return render("join/widget.html", program=program, token=token)


@bp.post("/programs/<int:program_id>/join-link/regenerate")
@coach_required
def regenerate_link(program_id: int):
    program = get_own_program(program_id, for_update=True)
    if not is_editable(program.status):
        return _panel(program, "An archived program has no join link.", "error")
    replacing = program.join_salt is not None
    regenerate(program)
    program.join_enabled = True
    db.session.commit()
    done = "New join link made. The old link no longer works." if replacing else "Join link made."
    return _panel(program, done)


@bp.post("/programs/<int:program_id>/join-link/<any(on, off):switch>")
@coach_required
def switch_link(program_id: int, switch: str):
    program = get_own_program(program_id, for_update=True)
    if program.join_salt is None:
        regenerate(program)
    program.join_enabled = switch == "on"
    db.session.commit()
    done = "Join link turned on." if program.join_enabled else "Join link turned off."
    return _panel(program, done)


def _panel(program: Program, message: str, category: str = "success"):
    context = {
        "program": program,
        "join": join_link(program),
        "join_message": message,
        "join_category": category,
    }
    return answer(
        "programs/detail.html",
        "join_panel",
        context,
        back=url_for("programs.detail", program_id=program.id),
        notice=message,
        category=category,
    )


def _form_for_visitor(program: Program):
    """(mode, form) for this visitor; a coach is refused, a member sent to their welcome."""
    waiver = {"waiver_text": program.waiver}
    if not current_user.is_authenticated:
        return "signup", JoinSignupForm(**waiver)
    if current_user.is_coach:
        raise Refused(
            "Log out first",
            "You are logged in as a coach. Coach accounts cannot join a program as a client: "
            "log out, then follow the link again.",
            403,
            offer_logout=True,
        )
    client = membership(program.id, current_user)
    if client is not None:
        abort(redirect(url_for("invitations.welcome", client_id=client.id), 303))
    return "accept", AcceptForm(**waiver)


def _page(program: Program, token: str, mode: str, form, status: int = 200):
    return render(
        "join/show.html", status=status, program=program, token=token, mode=mode, form=form
    )
