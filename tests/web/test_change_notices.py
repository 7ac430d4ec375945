"""Change notices: a move the client can see sends one email, with the old and new date and
time, a few minutes later; changes made close together share it; beyond the horizon, none."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.support.plusone import logged_in
from tests.support.queued import outbox, reminders
from tests.support.reminders import booked, london, place, relay
from tests.web.test_plusone_concurrency import run_together, tabs
from webapp.extensions import db
from webapp.models import CalendarEntry, OutboxMessage, PlusOneEnrolment

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # Monday 7 December; the client sees 7 days ahead
THURSDAY, FRIDAY = date(2026, 12, 10), date(2026, 12, 11)


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port}


def _entries(app, pair, days: list[date]) -> list[int]:
    with app.app_context():
        rows = [
            CalendarEntry(client_id=pair.client_id, on_date=on, title=f"Run {n}")
            for n, on in enumerate(days, 1)
        ]
        db.session.add_all(rows)
        db.session.commit()
        return [row.id for row in rows]


def _notices(app) -> list[OutboxMessage]:
    return [m for m in outbox(app) if m.kind == "notice"]


def _relay_at(app, time, when: datetime):
    time.now = when.astimezone(UTC)
    return relay(app)


def test_moving_the_session_to_friday_sends_one_notice_and_friday_reminders(
    app, pair, time, smtp_server
):
    coach = logged_in(app, pair.coach_email)
    [only] = booked(app, pair, sessions=1)
    place(coach, pair, only, THURSDAY, "18:30")
    time.advance(minutes=30)
    place(coach, pair, only, FRIDAY, "18:30")

    assert _relay_at(app, time, T0 + timedelta(minutes=33)) == (0, 0), "batched a few minutes"
    assert _relay_at(app, time, T0 + timedelta(minutes=36)) == (1, 0)
    [notice] = smtp_server.mailbox.wait_for(1)
    assert notice["Subject"] == "Changes to your calendar"
    assert notice["Reply-To"].addresses[0].addr_spec == pair.coach_email
    assert (
        "Coaching session: Thursday 10 December 2026, 18:30 → now Friday 11 December 2026, 18:30"
        in smtp_server.mailbox.body(notice)
    )
    for when in (london(date(2026, 12, 9), 18, 30), london(THURSDAY, 16, 30)):
        assert _relay_at(app, time, when) == (0, 0), "no reminder for the old time"
    assert _relay_at(app, time, london(THURSDAY, 18, 30)) == (1, 0)
    assert _relay_at(app, time, london(FRIDAY, 16, 30)) == (1, 0)
    mails = smtp_server.mailbox.wait_for(3)
    assert len(mails) == 3
    assert all("Friday 11 December 2026 at 18:30" in m["Subject"] for m in mails[1:])


def test_shifting_ten_entries_by_a_week_sends_one_notice_not_ten(app, pair, time, smtp_server):
    coach = logged_in(app, pair.coach_email)
    booked(app, pair, sessions=1)  # the calendar starts in 2026
    days = [date(2026, 12, 7) + timedelta(days=n % 8) for n in range(10)]
    _entries(app, pair, days)
    response = coach.post(
        f"/clients/{pair.client_id}/calendar/shift",
        data={"from_date": "2026-12-07", "days": "7"},
        follow_redirects=True,
    )
    assert "10 entries" in response.get_data(as_text=True)
    assert len(_notices(app)) == 1
    _relay_at(app, time, T0 + timedelta(minutes=6))
    [notice] = smtp_server.mailbox.wait_for(1)
    lines = [line for line in smtp_server.mailbox.body(notice).splitlines() if "→" in line]
    assert len(lines) == 10
    assert "- Run 1: Monday 7 December 2026 → now Monday 14 December 2026" in lines


def test_changes_minutes_apart_share_one_notice_and_a_later_one_gets_its_own(
    app, pair, time, smtp_server
):
    coach = logged_in(app, pair.coach_email)
    booked(app, pair, sessions=1)
    first, second = _entries(app, pair, [date(2026, 12, 8), date(2026, 12, 9)])

    def move(entry_id: int, to: date, title: str):
        coach.post(
            f"/clients/{pair.client_id}/calendar/entries/{entry_id}",
            data={"title": title, "body": "", "at_time": "", "on_date": to.isoformat()},
        )

    move(first, date(2026, 12, 10), "Run 1")
    time.advance(minutes=3)
    move(second, date(2026, 12, 11), "Run 2")
    time.advance(minutes=3)  # five minutes after the first move, two after the second
    assert relay(app) == (0, 0), "the last change restarts the wait"
    time.advance(minutes=3)
    assert relay(app) == (1, 0)
    time.advance(minutes=1)
    move(first, date(2026, 12, 12), "Run 1")
    time.advance(minutes=6)
    assert relay(app) == (1, 0)
    first_notice, second_notice = smtp_server.mailbox.wait_for(2)
    body = smtp_server.mailbox.body(first_notice)
    assert "Run 1: Tuesday 8 December 2026 → now Thursday 10 December 2026" in body
    assert "Run 2: Wednesday 9 December 2026 → now Friday 11 December 2026" in body
    later = smtp_server.mailbox.body(second_notice)
    assert "Run 1: Thursday 10 December 2026 → now Saturday 12 December 2026" in later
    assert "Run 2" not in later


def test_a_change_beyond_the_horizon_sends_nothing(app, pair, time, smtp_server):
    coach = logged_in(app, pair.coach_email)
    [only] = booked(app, pair, sessions=1)
    _entries(app, pair, [date(2026, 12, 28), date(2026, 12, 30)])
    coach.post(
        f"/clients/{pair.client_id}/calendar/shift", data={"from_date": "2026-12-20", "days": "7"}
    )
    place(coach, pair, only, date(2026, 12, 29), "10:00")
    place(coach, pair, only, date(2026, 12, 30), "10:00")
    assert _notices(app) == []
    _relay_at(app, time, T0 + timedelta(hours=1))
    assert smtp_server.mailbox.messages == []


def test_a_session_moved_back_before_the_notice_goes_is_no_change(app, pair, time, smtp_server):
    coach = logged_in(app, pair.coach_email)
    [only] = booked(app, pair, sessions=1)
    place(coach, pair, only, THURSDAY, "18:30")
    place(coach, pair, only, FRIDAY, "18:30")
    place(coach, pair, only, THURSDAY, "18:30")
    with app.app_context():
        [row] = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "notice"))
        assert (row.skip_reason, row.dedupe_key) == ("nothing changed", None)
    assert _relay_at(app, time, T0 + timedelta(minutes=10)) == (0, 0)


def test_ten_sessions_moved_at_the_same_moment_share_one_notice_and_keep_their_reminders(
    app, pair, time, smtp_server
):
    coach = logged_in(app, pair.coach_email)
    ids = booked(app, pair, sessions=10)
    for sid in ids:
        place(coach, pair, sid, THURSDAY, "18:30")
    url = f"/clients/{pair.client_id}/sessions/{{}}/place"
    calls = [
        lambda tab=tab, sid=sid: (
            tab.post(
                url.format(sid), data={"on_date": FRIDAY.isoformat(), "at_time": "18:30"}
            ).status_code
        )
        for tab, sid in zip(tabs(app, pair.coach_email, 10), ids, strict=True)
    ]
    assert set(run_together(calls)) <= {200, 303}
    assert len(_notices(app)) == 1
    waiting = [r for r in reminders(app) if r.skipped_at is None]
    assert sorted((r.session_id, r.offset_minutes) for r in waiting) == sorted(
        (sid, offset) for sid in ids for offset in (1440, 120)
    )
    assert {r.next_attempt_at for r in waiting} == {
        london(THURSDAY, 18, 30),
        london(FRIDAY, 16, 30),
    }
    _relay_at(app, time, T0 + timedelta(minutes=6))
    [notice] = smtp_server.mailbox.wait_for(1)
    assert smtp_server.mailbox.body(notice).count("→ now Friday 11 December 2026, 18:30") == 10


def test_double_placing_at_the_same_moment_makes_one_reminder_per_time(app, pair, time):
    [only] = booked(app, pair, sessions=1)
    url = f"/clients/{pair.client_id}/sessions/{only}/place"
    calls = [
        lambda tab=tab: (
            tab.post(url, data={"on_date": THURSDAY.isoformat(), "at_time": "18:30"}).status_code
        )
        for tab in tabs(app, pair.coach_email, 8)
    ]
    assert set(run_together(calls)) <= {200, 303}
    assert sorted(r.offset_minutes for r in reminders(app)) == [120, 1440]


def test_undoing_a_completion_voids_the_plus_one_and_tells_the_client(app, pair, time, smtp_server):
    coach = logged_in(app, pair.coach_email)
    [only] = booked(app, pair, sessions=1, total_minor=5000)
    with app.app_context():
        db.session.add(
            PlusOneEnrolment(coach_id=pair.coach_id, client_user_id=pair.person_id, enrolled=True)
        )
        db.session.commit()
    place(coach, pair, only, date(2026, 12, 7), "10:00")
    time.now = london(date(2026, 12, 7), 11, 0).astimezone(UTC)
    coach = logged_in(app, pair.coach_email)
    coach.post(f"/clients/{pair.client_id}/sessions/{only}/complete")
    plus = [r for r in reminders(app) if r.session_id != only and r.skipped_at is None]
    assert sorted(r.offset_minutes for r in plus) == [120, 1440], "the +1 on deck is reminded"
    coach.post(f"/clients/{pair.client_id}/sessions/{only}/undo")
    assert all(r.skipped_at is not None for r in reminders(app) if r.session_id != only)
    time.advance(minutes=6)
    relay(app)
    mails = smtp_server.mailbox.wait_for(3)  # the two +1 emails, then the notice
    [notice] = [m for m in mails if m["Subject"] == "Changes to your calendar"]
    assert notice["To"] == pair.person_email
    assert (
        "Coaching session: Monday 14 December 2026, 10:00, now taken off your calendar"
        in smtp_server.mailbox.body(notice)
    )
