"""One-click unsubscribe: the link's token is the proof, so it needs no login and no CSRF
token (mail clients POST `List-Unsubscribe=One-Click` to it, RFC 8058); a GET, as a link
opened in a browser, only asks to confirm."""

from __future__ import annotations

from flask import abort

from webapp.blueprints.reminders import bp
from webapp.extensions import csrf, db
from webapp.services.reminders import unsubscriber
from webapp.web.htmx import render


@bp.get("/reminders/unsubscribe/<token>")
def unsubscribe(token: str):
    person = unsubscriber(token)
    if person is None:
        abort(404)
    return render(
        "reminders/unsubscribe.html", person=person, token=token, done=person.reminders_off
    )


@bp.post("/reminders/unsubscribe/<token>")
@csrf.exempt
def unsubscribe_post(token: str):
    person = unsubscriber(token)
    if person is None:
        abort(404)
    person.reminders_off = True
    db.session.commit()
    return render("reminders/unsubscribe.html", person=person, token=token, done=True)
