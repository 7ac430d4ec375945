"""A reference for the write pages: the least a logged-in write can do in OnDeck's own stack.

It is OnDeck's app with one more route, added only where the bench serves or probes the app:
the coach's log-in and CSRF check, one UPDATE (their data version, which every write bumps),
the commit, and a one-line fragment. The write pages cannot cost less than this, so its share
of its ceiling is the most any write here can reach on this machine.
"""

from __future__ import annotations

from flask import Flask
from flask_login import current_user

URL = "/bench/least-write"


def create_app() -> Flask:
    from webapp import create_app as create_ondeck

    return with_least_write(create_ondeck())


def with_least_write(app: Flask) -> Flask:
    from webapp.extensions import db
    from webapp.services.data_versions import bump_now
    from webapp.web.auth_session import coach_required

    @coach_required
    def least_write():
        bump_now([current_user.id])
        db.session.commit()
        return '<p role="status">Saved.</p>'

    app.add_url_rule(URL, "bench_least_write", least_write, methods=["POST"])
    return app
