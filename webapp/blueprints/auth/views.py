from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required

from webapp.accounts import (
    LoginRefused,
    authenticate,
    create_user,
    email_taken,
    end_session,
    safe_next,
    start_session,
)
from webapp.blueprints.auth import bp
from webapp.blueprints.auth.forms import LoginForm, SignupForm
from webapp.extensions import db
from webapp.htmx import render
from webapp.models import ROLE_COACH


def home_for(user) -> str:
    return url_for("programs.index") if user.is_coach else url_for("main.client_home")


@bp.get("/signup")
def signup():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    return render("auth/signup.html", form=SignupForm())


@bp.post("/signup")
def signup_post():
    form = SignupForm()
    if form.validate_on_submit():
        if email_taken(form.email.data):
            form.email.errors.append("An account with this email already exists. Log in instead.")
            return render("auth/signup.html", form=form, status=422)
        user = create_user(
            name=form.name.data,
            email=form.email.data,
            password=form.password.data,
            role=ROLE_COACH,
            time_zone=form.time_zone.data,
        )
        db.session.commit()
        start_session(user)
        flash("Welcome to OnDeck. Create your first program to get started.", "success")
        return redirect(url_for("programs.index"))
    return render("auth/signup.html", form=form, status=422)


@bp.get("/login")
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    return render("auth/login.html", form=LoginForm(), next=request.args.get("next", ""))


@bp.post("/login")
def login_post():
    form = LoginForm()
    next_url = request.form.get("next", "")
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data)
        except LoginRefused as refused:
            form.password.errors.append(str(refused))
        else:
            start_session(user)
            return redirect(safe_next(next_url, home_for(user)))
    return render("auth/login.html", form=form, next=next_url, status=422)


@bp.post("/logout")
@login_required
def logout():
    end_session(current_user)
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))
