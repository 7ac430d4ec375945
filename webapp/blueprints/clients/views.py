"""A coach's clients in a program: the Active, Pending and Invitations tabs and their actions.

Each tab has its own URL (whole page, or the client area for htmx). Actions answer htmx with
a short notice and a `clients-changed` event, on which the tabs and counts refresh themselves;
without JavaScript they redirect back to the tab with a flash message.
"""

from flask import request, url_for
from flask_login import current_user

from webapp import clock
from webapp.blueprints.clients import bp
from webapp.blueprints.clients.forms import MoveForm
from webapp.extensions import db
from webapp.rules.invites import InviteError, listed_under
from webapp.services import clients as steps
from webapp.services.subscription_tiers import change_tier
from webapp.services.subscriptions import cancel as cancel_subscription
from webapp.web.auth_session import coach_required
from webapp.web.htmx import answer, is_htmx, render, with_oob
from webapp.web.invite_forms import EmailInviteForm, ManualInviteForm
from webapp.web.loaders import get_coach_client, get_coach_invitation, get_own_program
from webapp.web.paging import ListRequest
from webapp.web.program_page import TEMPLATE, other_programs, page_context, program_page
from webapp.web.response_cache import cached

CHANGED = "clients-changed"
# A manual invite swaps the client list itself; what else counts clients follows this event.
ADDED = "clients-added"
TAB_PATTERN = "<any(active, pending, invitations):tab>"
QUICK = "programs/_quick_invite.html"


@bp.get(f"/programs/<int:program_id>/{TAB_PATTERN}")
@coach_required
@cached
def tab(program_id: int, tab: str):
    program = get_own_program(program_id)
    # A search or a page link swaps only the list, so the search box keeps what is typed.
    block = "client_list" if request.headers.get("HX-Target") == "client-panel" else "client_area"
    response = program_page(program, tab, block=block, listing=ListRequest.from_args(request.args))
    response.vary.add("HX-Target")
    return response


@bp.post("/programs/<int:program_id>/clients/manual")
@coach_required
def manual_invite(program_id: int):
    return _invite(
        program_id,
        ManualInviteForm,
        steps.manual_invite,
        tab="pending",
        form_name="manual",
        done=lambda client: f"{client.name} is in Pending, with a calendar ready for training.",
    )


@bp.post("/programs/<int:program_id>/clients/email")
@coach_required
def email_invite(program_id: int):
    return _invite(
        program_id,
        EmailInviteForm,
        steps.email_invite,
        tab="invitations",
        form_name="email",
        done=lambda invitation: f"Invitation sent to {invitation.email}.",
    )


def _invite(program_id: int, form_class, step, *, tab: str, form_name: str, done):
    """Manual and email invites: the same checks, form handling and answers."""
    program = get_own_program(program_id, for_update=True)
    try:
        steps.require_accepting(program)
    except InviteError as refused:
        return _refused(program.id, tab, refused)
    form = form_class()
    if form.validate_on_submit():
        try:
            made = step(
                program,
                name=form.name.data,
                email=form.email.data,
                coach=current_user,
                now=clock.now(),
            )
        except InviteError as refused:
            db.session.rollback()
            form.email.errors.append(str(refused))
        else:
            db.session.commit()
            message = done(made)
            if _quick(form_name):
                return _quick_answer(program, quick_message=message, quick_made=made)
            notice = {f"{form_name}_message": message, f"{form_name}_made": made}
            return _invited(program, tab, message, **notice)
    if _quick(form_name) and is_htmx():
        return render(QUICK, "quick_invite", status=422, p=program, quick_form=form)
    return program_page(
        program, tab, block=f"{form_name}_invite", status=422, **{f"{form_name}_form": form}
    )


@bp.post("/clients/<int:client_id>/invite")
@coach_required
def send_invite(client_id: int):
    client = get_coach_client(client_id, for_update=True)
    program = get_own_program(client.program_id)
    try:
        invitation = steps.send_formal_invite(client, program, current_user, clock.now())
    except InviteError as refused:
        return _refused(program.id, "pending", refused)
    db.session.commit()
    return _done(program.id, "pending", f"Invitation sent to {invitation.email}.")


@bp.get("/clients/<int:client_id>/actions")
@coach_required
def actions(client_id: int):
    """Move or remove one client: loaded into their row when the coach opens its menu (the
    list stays light), or a page of its own without JavaScript."""
    client = get_coach_client(client_id)
    program = get_own_program(client.program_id)
    return render(
        "clients/actions.html",
        "actions",
        client=client,
        program=program,
        other_programs=other_programs(program),
    )


@bp.post("/clients/<int:client_id>/move")
@coach_required
def move(client_id: int):
    client = get_coach_client(client_id, for_update=True)
    origin = client.program_id
    tab_name = listed_under(client.state)
    form = MoveForm()
    if not form.validate_on_submit():
        return _refused(origin, tab_name, InviteError(" ".join(form.program_id.errors)))
    target = get_own_program(form.target_id, for_update=True)
    try:
        steps.move(client, target, clock.now())
    except InviteError as refused:
        return _refused(origin, tab_name, refused)
    db.session.commit()
    change_tier(client.id, target, clock.now())  # the new price from the next period
    return _done(origin, tab_name, f"{client.name} moved to {target.name}, with their calendar.")


@bp.post("/clients/<int:client_id>/remove")
@coach_required
def remove(client_id: int):
    client = get_coach_client(client_id, for_update=True)
    tab_name = listed_under(client.state)
    try:
        steps.remove(client, clock.now())
    except InviteError as refused:
        return _refused(client.program_id, tab_name, refused)
    db.session.commit()
    cancel_subscription(client.id, clock.now())  # after commit: no lock while Stripe answers
    return _done(client.program_id, tab_name, f"{client.name} was removed from this program.")


@bp.post("/programs/<int:program_id>/invitations/<int:invitation_id>/resend")
@coach_required
def resend(program_id: int, invitation_id: int):
    program = get_own_program(program_id)
    invitation = get_coach_invitation(invitation_id, program_id=program_id)
    tab_name = "pending" if invitation.client_id else "invitations"
    try:
        steps.resend(invitation, program, current_user, clock.now())
    except InviteError as refused:
        return _refused(program_id, tab_name, refused)
    db.session.commit()
    return _done(program_id, tab_name, f"A new invitation was sent to {invitation.email}.")


@bp.post("/programs/<int:program_id>/invitations/<int:invitation_id>/revoke")
@coach_required
def revoke(program_id: int, invitation_id: int):
    get_own_program(program_id)
    invitation = get_coach_invitation(invitation_id, program_id=program_id)
    tab_name = "pending" if invitation.client_id else "invitations"
    try:
        steps.revoke(invitation, clock.now())
    except InviteError as refused:
        return _refused(program_id, tab_name, refused)
    db.session.commit()
    return _done(program_id, tab_name, f"The invitation to {invitation.email} was revoked.")


def _quick(form_name: str) -> bool:
    """A manual invite sent from a program's card on the Programs page."""
    return form_name == "manual" and request.args.get("quick") == "1"


def _quick_answer(program, **notice):
    return answer(
        QUICK,
        "quick_invite",
        {"p": program, **notice},
        back=url_for("programs.index"),
        notice=notice["quick_message"],
        events=(ADDED,),
    )


def _invited(program, tab_name: str, message: str, **notice):
    """After an invite form: a fresh form for htmx (and an event), or back to the tab. A
    manual invite also brings the Pending tab into view, with the new client in it."""
    block = "manual_invite" if "manual_message" in notice else "email_invite"
    back = url_for("clients.tab", program_id=program.id, tab=tab_name)
    response = answer(
        TEMPLATE,
        block,
        lambda: page_context(program, tab_name, block=block, **notice),
        back=back,
        notice=message,
        events=(CHANGED,) if block == "email_invite" else (ADDED,),
    )
    if block == "manual_invite" and is_htmx():
        area = page_context(program, tab_name, block="client_area", as_oob=True)
        with_oob(response, TEMPLATE, "client_area", area)
        response.headers["HX-Push-Url"] = back
    return response


def _done(program_id: int, tab_name: str, message: str):
    return _notice(program_id, tab_name, message, events=(CHANGED,))


def _refused(program_id: int, tab_name: str, refused: InviteError):
    db.session.rollback()
    return _notice(program_id, tab_name, str(refused), category="error", status=422)


def _notice(program_id: int, tab_name: str, message: str, *, category="success", **answered):
    return answer(
        "clients/_notice.html",
        "notice",
        {"message": message, "category": category},
        back=url_for("clients.tab", program_id=program_id, tab=tab_name),
        notice=message,
        category=category,
        **answered,
    )
