"""Every write bumps, in its own transaction, the version of each coach whose pages it may
change; a rolled-back write bumps nothing; every table is placed deliberately."""

from datetime import date

import pytest
import sqlalchemy as sa

from tests.support.factories import make_client, make_client_user
from tests.support.plusone import make_pair
from webapp.extensions import db
from webapp.models import CalendarEntry, Client, DataVersion, Program, RateLimitWindow, User
from webapp.rules.data_scopes import EVERYONE, OWNERS
from webapp.services.data_versions import bump_now, versions_seen_by


def versions() -> dict[int, int]:
    db.session.rollback()  # read what is committed
    return dict(db.session.execute(sa.select(DataVersion.coach_id, DataVersion.version)).all())


def add_entry(client_id: int) -> None:
    db.session.add(CalendarEntry(client_id=client_id, on_date=date(2026, 5, 4), title="Run"))


@pytest.fixture
def two(app, pair):
    other = make_pair(app, n=2)
    return pair, other


def test_every_table_is_placed_on_purpose(app):
    assert set(db.metadata.tables) == set(OWNERS)


def test_a_calendar_write_bumps_only_its_coach(app, two):
    mine, other = two
    with app.app_context():
        before = versions()
        add_entry(mine.client_id)
        db.session.commit()
        after = versions()
    assert after[mine.coach_id] == before.get(mine.coach_id, 0) + 1
    assert after.get(other.coach_id) == before.get(other.coach_id)
    assert after.get(EVERYONE) == before.get(EVERYONE)


def test_a_rolled_back_write_bumps_nothing(app, two):
    mine, _other = two
    with app.app_context():
        before = versions()
        add_entry(mine.client_id)
        db.session.flush()
        db.session.rollback()
        assert versions() == before


def test_a_savepoint_rolled_back_keeps_what_the_transaction_wrote_before(app, two):
    mine, _other = two
    with app.app_context():
        before = versions()
        add_entry(mine.client_id)
        db.session.flush()
        with pytest.raises(sa.exc.IntegrityError), db.session.begin_nested():
            db.session.add(Client(program_id=mine.program_id, email=None, name=None))
            db.session.flush()
        db.session.commit()
        assert versions()[mine.coach_id] == before.get(mine.coach_id, 0) + 1


def test_moving_a_client_bumps_the_coach_of_both_programs(app, two):
    mine, other = two
    with app.app_context():
        before = versions()
        client = db.session.get(Client, mine.client_id)
        client.program_id = other.program_id  # (not a move the app allows: two coaches)
        db.session.commit()
        after = versions()
    assert after[mine.coach_id] == before.get(mine.coach_id, 0) + 1
    assert after[other.coach_id] == before.get(other.coach_id, 0) + 1


def test_a_bulk_statement_bumps_everyone_and_an_unshown_table_nobody(app, two):
    mine, _other = two
    with app.app_context():
        before = versions()
        db.session.execute(
            sa.update(Program).where(Program.id == mine.program_id).values(name="Renamed")
        )
        db.session.commit()
        assert versions()[EVERYONE] == before.get(EVERYONE, 0) + 1
        before = versions()
        db.session.execute(sa.delete(RateLimitWindow))
        db.session.commit()
        assert versions() == before


def test_a_person_renamed_bumps_everyone(app, two):
    mine, _other = two
    with app.app_context():
        before = versions()
        db.session.get(User, mine.person_id).name = "Dana Renamed"
        db.session.commit()
        assert versions()[EVERYONE] == before.get(EVERYONE, 0) + 1


def test_a_person_sees_everyones_their_own_and_their_coaches_versions(app, two):
    mine, other = two
    with app.app_context():
        # Dana becomes a client of the other coach too; the first coach writes.
        program = db.session.get(Program, other.program_id)
        make_client(program, user=db.session.get(User, mine.person_id))
        add_entry(mine.client_id)
        db.session.commit()
        seen = versions_seen_by(mine.person_id)
        assert set(seen) == {EVERYONE, mine.coach_id, other.coach_id}
        assert seen == {k: v for k, v in versions().items() if k in seen}
        stranger = make_client_user(email="sam@example.com", name="Sam")
        assert set(versions_seen_by(stranger.id)) == {EVERYONE}


def test_the_bump_is_compiled_once_and_then_served_from_sqlalchemys_cache(app, two):
    """Every write runs it: a statement SQLAlchemy cannot cache is compiled again each time."""
    mine, other = two
    seen: list[tuple[str, object]] = []

    def note(_conn, _cursor, statement, _params, context, _many):
        if statement.lstrip().upper().startswith("INSERT INTO DATA_VERSIONS"):
            seen.append((statement, context.cache_hit))

    with app.app_context():
        sa.event.listen(db.engine, "after_cursor_execute", note)
        try:
            before = versions()
            for _ in range(2):
                bump_now([mine.coach_id])
                db.session.commit()
                bump_now([other.coach_id, mine.coach_id])
                db.session.commit()
        finally:
            sa.event.remove(db.engine, "after_cursor_execute", note)
        after = versions()
        hit = db.engine.dialect.CACHE_HIT
    assert after[mine.coach_id] == before.get(mine.coach_id, 0) + 4
    assert after[other.coach_id] == before.get(other.coach_id, 0) + 2
    assert [cached for _sql, cached in seen[2:]] == [hit, hit]
