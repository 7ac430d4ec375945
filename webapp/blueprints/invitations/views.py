"""Following an emailed invitation: sign up (or log in), accept the waiver, welcome."""

import sqlalchemy as sa
from flask import redirect, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from webapp import clock
from webapp.blueprints.invitations import bp
from webapp.blueprints.invitations.forms import LoginAcceptForm, SignupAcceptForm
from webapp.extensions import db
from webapp.models import Program
from webapp.rules.invites import InviteError, check_can_accept, check_usable
from webapp.rules.roles import Role
from webapp.services.clients import require_accepting
from webapp.services.invitations import (
    accept_invitation,
    find_invitation,
    view_of,
)
from webapp.services.users import LoginRefused, create_user, find_user
from webapp.web.accept_forms import AcceptForm
from webapp.web.auth_session import client_required
from webapp.web.htmx import render
from webapp.web.loaders import get_my_joining
from webapp.web.login import authenticate, public_post_allowed, start_session
from webapp.web.refusals import Refused, refusal, too_many_attempts

NOT_VALID = (
    "This invitation link is not valid. Check that you opened the whole link from the email, "
    "or ask your coach to send the invitation again."
)


@bp.get("/invitation/<token>")
def show(token: str):
    invitation, program = _load(token)
    mode, form = _form_for_visitor(invitation, program)
    return _page(invitation, program, mode, form)


@bp.post("/invitation/<token>")
def accept(token: str):
    if not public_post_allowed("accept", token, clock.now()):
        return too_many_attempts()
    invitation, program = _load(token)
    mode, form = _form_for_visitor(invitation, program)
    if not form.validate_on_submit():
        return _page(invitation, program, mode, form, status=422)
    user = _account(mode, form, invitation)
    if user is None:
        return _page(invitation, program, mode, form, status=422)
    try:
        client = accept_invitation(
            invitation, program, user, clock.now(), logged_in=mode == "accept"
        )
    except InviteError as refused:
        db.session.rollback()
        return refusal(
            "Invitation not accepted", str(refused), 409, next_step=_coaching_link(mode == "accept")
        )
    db.session.commit()
    if mode != "accept":
        start_session(user)
    return redirect(url_for("invitations.welcome", client_id=client.id), 303)


@bp.get("/my/welcome/<int:client_id>")
@client_required
def welcome(client_id: int):
    client = get_my_joining(client_id)
    if client.awaiting_payment_since is not None:  # paid by card: paying makes them active
        return redirect(url_for("payments.subscribe_page", client_id=client.id), 303)
    program = db.session.scalar(
        sa.select(Program).options(joinedload(Program.coach)).where(Program.id == client.program_id)
    )
    return render("invitations/welcome.html", client=client, program=program)


def _load(token: str):
    """(invitation, program) when the invitation can still be accepted; raises `Refused`."""
    invitation = find_invitation(token)
    if invitation is None:
        raise Refused("Invitation not found", NOT_VALID, 404)
    program = db.session.scalar(
        sa.select(Program)
        .options(joinedload(Program.coach))
        .where(Program.id == invitation.program_id)
    )
    logged_in = current_user.is_authenticated
    try:
        check_usable(view_of(invitation), clock.now(), logged_in=logged_in)
        require_accepting(program)
    except InviteError as refused:
        raise Refused(
            "Invitation no longer valid", str(refused), 410, next_step=_coaching_link(logged_in)
        ) from refused
    return invitation, program


def _coaching_link(logged_in: bool) -> tuple[str, str] | None:
    """Where someone logged in finds what they have (a coach, their programs)."""
    if not logged_in:
        return None
    if current_user.is_coach:
        return "Go to your programs", url_for("programs.index")
    return "See your coaching", url_for("main.client_home")


def _form_for_visitor(invitation, program):
    """Which form this visitor needs: accept (logged in), log in, or sign up; raises `Refused`
    for someone who cannot accept."""
    waiver = {"waiver_text": program.waiver}
    if current_user.is_authenticated:
        try:
            check_can_accept(
                is_coach=current_user.is_coach,
                account_email=current_user.email,
                invited_email=invitation.email,
            )
        except InviteError as refused:
            raise Refused("Log out first", str(refused), 403, offer_logout=True) from refused
        return "accept", AcceptForm(**waiver)
    account = find_user(invitation.email)
    if account is not None and account.is_coach:
        raise Refused(
            "This invitation cannot be accepted",
            f"{invitation.email} belongs to a coach account, and coach accounts cannot join a "
            "program as a client. Ask the coach to invite another email address.",
            403,
        )
    if account is not None:
        return "login", LoginAcceptForm(**waiver)
    form = SignupAcceptForm(account_email=invitation.email, **waiver)
    if not form.is_submitted():
        form.name.data = invitation.name or None
        form.time_zone.data = program.coach.time_zone
    return "signup", form


def _account(mode: str, form, invitation):
    """The accepting user; None (with the reason on the form) when it cannot be had."""
    if mode == "accept":
        return current_user._get_current_object()
    if mode == "login":
        try:
            return authenticate(invitation.email, form.password.data, clock.now())
        except LoginRefused as refused:
            form.password.errors.append(str(refused))
            return None
    user = create_user(
        name=form.name.data,
        email=invitation.email,
        password=form.password.data,
        role=Role.CLIENT,
        time_zone=form.time_zone.data,
    )
    try:
        with db.session.begin_nested():
            db.session.flush()
    except sa.exc.IntegrityError:
        form.password.errors.append(
            "An account with this email already exists. Reload the page to log in instead."
        )
        return None
    return user


def _page(invitation, program, mode: str, form, status: int = 200):
    return render(
        "invitations/accept.html",
        status=status,
        invitation=invitation,
        program=program,
        mode=mode,
        form=form,
    )
