"""The private iCalendar feed: a secret URL per client that a phone's calendar subscribes to.

Phones poll it; each answer carries an ETag (a hash of the body) and a Last-Modified (when the
body last changed), and a matching If-None-Match or If-Modified-Since gets 304 and no body.
"""

from __future__ import annotations

import hashlib

from flask import abort, make_response, request

from webapp import clock
from webapp.blueprints.calendar import bp
from webapp.extensions import db
from webapp.rules.feed import changed_at
from webapp.services import tokens
from webapp.services.feed_ics import feed_ics
from webapp.services.feed_rows import feed_of, subscribed_client


@bp.get("/feeds/<token>.ics")
def feed(token: str):
    if not tokens.looks_like_token(token):
        abort(404)
    found = subscribed_client(token)
    if found is None:
        abort(404)
    client, time_zone, program_name = found
    now = clock.now()
    body = feed_ics(feed_of(client, time_zone, program_name, now), tokens.installation_id())
    # The body is the whole truth (entries, sessions, horizon, time zone), so its hash changes
    # whenever anything a subscriber sees does, and only then.
    version = hashlib.sha256(body).hexdigest()
    if version != client.feed_version or client.feed_changed_at is None:
        client.feed_changed_at = changed_at(
            client.feed_version, client.feed_changed_at, version, now
        )
        client.feed_version = version
        db.session.commit()

    response = make_response(body)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'inline; filename="training.ics"'
    # Cache, but ask again each time: the answer is usually a cheap 304.
    response.headers["Cache-Control"] = "private, no-cache"
    response.set_etag(version[:32])
    response.last_modified = client.feed_changed_at
    return response.make_conditional(request)
