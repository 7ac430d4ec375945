"""A second OnDeck on a database of its own, empty, to import an export into."""

from __future__ import annotations

from contextlib import contextmanager

from flask_migrate import upgrade

from tests.support.client import CsrfClient
from tests.support.databases import build_schema, test_config
from tests.support.postgres import empty_database
from webapp import create_app
from webapp.extensions import db


@contextmanager
def empty_ondeck(postgres_cluster, sqlite_path, *, migrations: bool = True):
    """The app; its schema made by the migrations, as `flask db upgrade` makes it (or, where
    only the import is under test, straight from the models)."""
    cluster = postgres_cluster[0] if postgres_cluster else None
    with empty_database(cluster, sqlite_path) as url:
        if not migrations:
            build_schema(url)
        moved = create_app(test_config(url))
        moved.test_client_class = CsrfClient
        if migrations:
            with moved.app_context():
                upgrade()
        try:
            yield moved
        finally:
            with moved.app_context():
                db.session.remove()
                db.engine.dispose()
