"""The private iCalendar feed: a secret URL per client that a phone's calendar subscribes to.

Phones poll it; each answer carries an ETag (a hash of the body) and a Last-Modified (when the
body last changed), and a matching If-None-Match or If-Modified-Since gets 304 and no body.
"""

from __future__ import annotations

from flask import abort, make_response, request

from webapp import clock
from webapp.blueprints.calendar import bp
from webapp.services.feed import publish


@bp.get("/feeds/<token>.ics")
def feed(token: str):
    published = publish(token, clock.now())
    if published is None:
        abort(404)
    response = make_response(published.body)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'inline; filename="training.ics"'
    # Cache, but ask again each time: the answer is usually a cheap 304.
    response.headers["Cache-Control"] = "private, no-cache"
    response.set_etag(published.version[:32])
    response.last_modified = published.changed_at
    return response.make_conditional(request)
