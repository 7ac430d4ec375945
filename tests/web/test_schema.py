"""The schema comes from migrations, and money is never a float."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from tests.support.databases import test_config
from tests.support.postgres import empty_database
from webapp import create_app
from webapp.extensions import db


@pytest.fixture
def empty_database_url(tmp_path, postgres_cluster):
    with empty_database(postgres_cluster and postgres_cluster[0], tmp_path / "m.sqlite3") as url:
        yield url


def test_migrations_build_exactly_the_models(empty_database_url):
    app = create_app(test_config(empty_database_url))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        tables = sa.inspect(db.engine).get_table_names()
        db.engine.dispose()
    assert diff == [], f"models and migrations differ; run `flask db migrate`: {diff}"
    assert {"users", "programs", "clients", "calendar_entries", "bookings"} <= set(tables)


def test_no_column_is_a_float():
    floats = [
        f"{table.name}.{column.name}"
        for table in db.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, sa.Float | sa.Numeric)
    ]
    assert floats == []


def test_money_columns_are_integers_with_a_currency():
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if column.name.endswith("_minor"):
                assert isinstance(column.type, sa.Integer), f"{table.name}.{column.name}"
                assert "currency" in table.columns, f"{table.name} has money but no currency"
