"""The user's load runs on the driver's cursor (`models.driver_query`): it must read what
SQLAlchemy would read, fail as SQLAlchemy would fail, and be counted like any statement."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.support.factories import PASSWORD, make_coach
from tests.support.queries import counted_queries
from webapp.extensions import db
from webapp.models import User
from webapp.models.driver_query import DriverQuery
from webapp.web.auth_session import _user_query


def test_a_row_read_on_the_driver_equals_the_row_sqlalchemy_reads(app):
    with app.app_context():
        coach = make_coach(email="coach@example.com")
        db.session.commit()
        engine = db.engine
        query = _user_query(engine.dialect.name)
        with engine.connect() as connection:
            by_sqlalchemy = dict(connection.execute(query, {"user_id": coach.id}).mappings().one())
        on_the_driver = DriverQuery.compile(query, engine.dialect).first(
            engine, {"user_id": coach.id}
        )
    assert on_the_driver == by_sqlalchemy
    # Converted by the columns' types, as the ORM's user would hold them.
    assert on_the_driver["role"] is coach.role
    assert on_the_driver["created_at"].utcoffset().total_seconds() == 0
    assert on_the_driver["agenda_email"] is False
    assert on_the_driver["ondeck_versions"]


def test_no_such_row_is_none(app):
    with app.app_context():
        engine = db.engine
        query = DriverQuery.compile(_user_query(engine.dialect.name), engine.dialect)
        assert query.first(engine, {"user_id": 987654}) is None


def test_a_failing_statement_raises_sqlalchemys_error_and_leaves_the_pool_usable(app):
    with app.app_context():
        engine = db.engine
        broken = DriverQuery.compile(
            sa.select(sa.column("id")).select_from(sa.table("no_such_table")), engine.dialect
        )
        with pytest.raises(sa.exc.DBAPIError):
            broken.first(engine, {})
        fine = DriverQuery.compile(
            sa.select(sa.func.count().label("count")).select_from(User), engine.dialect
        )
        assert fine.first(engine, {}) == {"count": 0}
        # Nothing was left open on a pooled connection: a write still gets its transaction.
        make_coach(email="after@example.com")
        db.session.commit()
        assert fine.first(engine, {}) == {"count": 1}


def test_the_users_load_is_counted_with_the_pages_queries(app, client):
    with app.app_context():
        make_coach(email="coach@example.com")
    client.login("coach@example.com", PASSWORD)
    with counted_queries(app) as statements:
        assert client.get("/programs/").status_code == 200
    users = [s for s in statements if "FROM users" in s and "data_versions" in s]
    assert len(users) == 1, "\n".join(s[:120] for s in statements)
