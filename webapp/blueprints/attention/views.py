"""Needs attention: the coach's clients short of written training or of sessions, as a page and
as the top bar's dropdown (the same read, the menu block for htmx)."""

from __future__ import annotations

from flask_login import current_user

from webapp import clock
from webapp.blueprints.attention import bp
from webapp.services.attention_list import needing_attention
from webapp.services.next_sessions import next_sessions
from webapp.web.auth_session import coach_required
from webapp.web.htmx import is_htmx, render
from webapp.web.response_cache import cached


@bp.get("/needs-attention")
@coach_required
@cached
def index():
    items = needing_attention(current_user, clock.now())
    if is_htmx():
        response = render("attention/_menu.html", "menu", items=items)
    else:
        people = [a.client.user_id for a in items]
        following = next_sessions(current_user.id, people)
        response = render("attention/index.html", items=items, next_sessions=following)
    response.vary.add("HX-Request")
    return response
