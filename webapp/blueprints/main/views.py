from flask import redirect, url_for
from flask_login import current_user

from webapp.blueprints.main import bp
from webapp.web.auth_session import client_required
from webapp.web.htmx import render


@bp.get("/")
def index():
    if current_user.is_authenticated:
        if current_user.is_coach:
            return redirect(url_for("programs.index"))
        return redirect(url_for("main.client_home"))
    return render("main/index.html")


@bp.get("/me")
@client_required
def client_home():
    return render("main/client_home.html")
