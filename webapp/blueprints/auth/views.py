from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required

from webapp import clock
from webapp.blueprints.auth import bp
from webapp.blueprints.auth.forms import LoginForm, SignupForm
from webapp.extensions import db
from webapp.rules.roles import Role
from webapp.services import outbox
from webapp.services.signups import LINK_HOURS, request_signup
from webapp.services.users import LoginRefused
from webapp.web.htmx import render
from webapp.web.login import (
    authenticate,
    end_session,
    home_for,
    public_post_allowed,
    safe_next,
    start_session,
)
from webapp.web.refusals import too_many_attempts


def already_logged_in():
    """Signing up while logged in would swap this browser to another account: refuse."""
    flash(
        f"You are already logged in as {current_user.email}. "
        "Log out first to create another account.",
        "info",
    )
    return redirect(home_for(current_user), 303)


def signup_sent(email: str, captured=None):
    return render(
        "auth/signup_sent.html", email=email, program=None, hours=LINK_HOURS, captured=captured
    )


@bp.get("/signup")
def signup():
    if current_user.is_authenticated:
        return already_logged_in()
    return render("auth/signup.html", form=SignupForm())


@bp.post("/signup")
def signup_post():
    if current_user.is_authenticated:
        return already_logged_in()
    form = SignupForm()
    if not form.validate_on_submit():
        return render("auth/signup.html", form=form, status=422)
    if not public_post_allowed("signup", form.email.data, clock.now()):
        return too_many_attempts()
    message = request_signup(
        name=form.name.data,
        email=form.email.data,
        password=form.password.data,
        role=Role.COACH,
        time_zone=form.time_zone.data,
        now=clock.now(),
    )
    db.session.commit()
    # The same answer whether or not the email has an account.
    return signup_sent(form.email.data, outbox.captured_copy(message))


@bp.get("/login")
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    return render("auth/login.html", form=LoginForm(next=request.args.get("next", "")))


@bp.post("/login")
def login_post():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data, clock.now())
        except LoginRefused as refused:
            form.password.errors.append(str(refused))
        else:
            start_session(user)
            return redirect(safe_next(form.next.data, home_for(user)))
    return render("auth/login.html", form=form, status=422)


@bp.post("/logout")
@login_required
def logout():
    end_session(current_user)
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))
