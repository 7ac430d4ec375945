"""The one module that touches the htmx helper packages.

Views call `render` for a page that is also served as a block to htmx requests, and `answer`
after a change; both render one block of a template (jinja2-fragments), so a page and the
fragment it is answered with cannot drift. Swapping a library touches this file only.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from flask import Response, flash, make_response, redirect, render_template, request
from htmx_flask import Htmx
from jinja2_fragments.flask import render_block

htmx = Htmx()


def is_htmx() -> bool:
    return bool(getattr(request, "htmx", False)) and not request.htmx.boosted


def render(template: str, block: str | None = None, *, status: int = 200, **context) -> Response:
    """The whole page, or only `block` of it when htmx asks: page and fragment cannot drift."""
    if block is not None and is_htmx():
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    return make_response(body, status)


def answer(
    template: str,
    block: str,
    context: dict | Callable[[], dict],
    *,
    back: str,
    notice: str | None = None,
    category: str = "success",
    events: tuple[str, ...] = (),
    status: int = 200,
) -> Response:
    """The answer to a change: htmx gets `block` of `template` rendered with `context` (with
    `status`, announcing `events`); a browser without JavaScript gets `notice` flashed and a
    303 to `back`, so a reload never sends the form again."""
    if not is_htmx():
        if notice:
            flash(notice, category)
        return redirect(back, 303)
    if callable(context):
        context = context()
    return trigger(make_response(render_block(template, block, **context), status), *events)


def in_place_of(target: str, template: str, context: dict, *, status: int = 200) -> Response:
    """An htmx answer that replaces the element `target` (a CSS selector) whole, whichever
    element the request aimed at: the change touched that element alone."""
    response = make_response(render_template(template, **context), status)
    response.headers["HX-Retarget"] = target
    response.headers["HX-Reswap"] = "outerHTML"
    return response


def with_oob(response: Response, template: str, block: str, context: dict) -> Response:
    """Add `block` of `template` to an htmx answer, to be swapped out of band (the block marks
    itself hx-swap-oob)."""
    response.set_data(response.get_data(as_text=True) + render_block(template, block, **context))
    return response


def trigger(response: Response, *events: str) -> Response:
    """Announce events so other panels refresh themselves (HX-Trigger).

    Each is dispatched on the body: htmx would otherwise fire it on the element that sent the
    request, and if the list was redrawn meanwhile that element is gone and the event with it.
    """
    if events:
        response.headers["HX-Trigger"] = json.dumps({name: {"target": "body"} for name in events})
    return response


def redirect_htmx_aware(location: str) -> Response:
    """A redirect that htmx follows as a full navigation and a browser as a 303."""
    if is_htmx():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = location
        return response
    response = make_response("", 303)
    response.headers["Location"] = location
    return response
