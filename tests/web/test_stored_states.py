"""Stored states are the rules' enums in Python and the same strings in the database as ever,
so rows written before the enums read back unchanged, and a state outside the enum is refused
before it reaches the table."""

import pytest
import sqlalchemy as sa

from tests.support.factories import make_client, make_coach, make_program
from webapp.extensions import db
from webapp.models import Client, Program, User
from webapp.rules.invites import Method, State
from webapp.rules.programs import BillingPeriod, ProgramStatus, ProgramType
from webapp.rules.roles import Role


def test_rows_read_back_as_enum_members(app):
    with app.app_context():
        coach = make_coach()
        program = make_program(coach)
        make_client(program, name="Ana", email="ana@example.com")
        db.session.expunge_all()
        user = db.session.get(User, coach.id)
        row = db.session.scalar(sa.select(Client))
        stored = db.session.get(Program, program.id)
        assert user.role is Role.COACH
        assert row.state in State and row.method in Method
        assert stored.status is ProgramStatus.PUBLISHED
        assert stored.type is ProgramType.ONE_TO_ONE
        assert stored.billing_period is BillingPeriod.MONTH


def test_the_columns_hold_the_same_strings_as_before(app):
    with app.app_context():
        coach = make_coach()
        program = make_program(coach)
        make_client(program, name="Ana", email="ana@example.com")
        raw = db.session.execute(
            sa.text(
                "SELECT users.role, programs.status, programs.type, clients.state "
                "FROM users JOIN programs ON programs.coach_id = users.id "
                "JOIN clients ON clients.program_id = programs.id"
            )
        ).one()
        assert tuple(raw)[:3] == ("coach", "published", "one_to_one")
        assert raw[3] in {"pending", "active"}


def test_a_row_written_as_a_plain_string_reads_back_as_its_member(app):
    with app.app_context():
        coach = make_coach()
        program = make_program(coach)
        db.session.execute(
            sa.text("UPDATE programs SET status = 'archived' WHERE id = :id"), {"id": program.id}
        )
        db.session.commit()
        db.session.expunge_all()
        assert db.session.get(Program, program.id).status is ProgramStatus.ARCHIVED


def test_a_state_outside_the_enum_is_refused_before_the_database(app):
    with app.app_context():
        program = make_program(make_coach())
        row = db.session.get(Program, program.id)
        row.status = "deleted"
        with pytest.raises(sa.exc.StatementError) as refused:
            db.session.flush()
        # Refused by the enum while binding, not by the table's CHECK constraint.
        assert isinstance(refused.value.orig, LookupError)
        db.session.rollback()
