"""Session reminders reach the real SMTP server when due by the one clock, moved forward by hand:
a day and two hours before a session, in the client's time zone, with the session's .ics."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
import sqlalchemy as sa
import vobject

from tests.support.plusone import logged_in
from tests.support.queued import reminders
from tests.support.reminders import booked, ics_of, london, place, relay, sent_at_london
from webapp.extensions import db
from webapp.models import PlusOneEnrolment
from webapp.services import demo

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # a Monday in winter (London on GMT)


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port}


@dataclass(frozen=True)
class Week:
    monday: datetime  # when the coach places the session
    thursday: date

    @property
    def wednesday(self) -> date:
        return self.thursday - timedelta(days=1)


WINTER = Week(datetime(2026, 12, 7, 9, 0, tzinfo=UTC), date(2026, 12, 10))
SUMMER = Week(datetime(2027, 7, 12, 9, 0, tzinfo=UTC), date(2027, 7, 15))  # BST, UTC+1


def _relay_at(app, time, when: datetime) -> int:
    time.now = when.astimezone(UTC)
    return relay(app)[0]


@pytest.mark.parametrize("week", [WINTER, SUMMER], ids=["winter", "summer"])
def test_reminders_arrive_on_wednesday_1830_and_thursday_1630_london_time(
    app, pair, time, smtp_server, week
):
    time.now = week.monday
    coach = logged_in(app, pair.coach_email)
    ids = booked(app, pair, sessions=5)
    for done in ids[:3]:
        coach.post(f"/clients/{pair.client_id}/sessions/{done}/complete")
    place(coach, pair, ids[3], week.thursday, "18:30")

    assert relay(app) == (0, 0)
    assert _relay_at(app, time, london(week.wednesday, 18, 29)) == 0, "not before its time"
    assert _relay_at(app, time, london(week.wednesday, 18, 30)) == 1
    assert _relay_at(app, time, london(week.thursday, 16, 29)) == 0
    assert _relay_at(app, time, london(week.thursday, 16, 30)) == 1
    assert _relay_at(app, time, london(week.thursday, 18, 0)) == 0, "each goes once"

    mails = smtp_server.mailbox.wait_for(2)
    assert [m["To"] for m in mails] == [pair.person_email] * 2
    assert [sent_at_london(m).replace(second=0, microsecond=0) for m in mails] == [
        london(week.wednesday, 18, 30),
        london(week.thursday, 16, 30),
    ]
    starts_utc = london(week.thursday, 18, 30).astimezone(UTC)
    for mail in mails:
        text = smtp_server.mailbox.body(mail)
        assert f"Thursday {week.thursday.day} {week.thursday:%B %Y} at 18:30" in text
        assert "(Europe/London)" in text
        assert "Where: with Casey Coach 1, as arranged" in text
        assert "This is session 4 of 5." in text
        assert "After this one you have 1 more session booked." in text
        assert "session 4 of 5 with Casey Coach 1" in mail["Subject"]
        assert mail["Reply-To"].addresses[0].addr_spec == pair.coach_email
        ics = ics_of(mail)
        [event] = vobject.readOne(ics.decode()).vevent_list
        assert event.dtstart.value == starts_utc
        assert event.dtend.value == starts_utc + timedelta(hours=1)
        assert event.summary.value == "Coaching session"
        [parsed] = icalendar.Calendar.from_ical(ics).walk("VEVENT")
        assert parsed.decoded("dtstart") == starts_utc
        assert str(parsed["uid"]).startswith(f"session-{ids[3]}-")


@pytest.mark.parametrize(
    ("enrolled", "says"),
    [
        (True, "This is your last session: +1 will book one more at £50.00."),
        (False, "No sessions left after this one."),
    ],
)
def test_the_last_sessions_reminder_says_what_plus_one_will_do(
    app, pair, time, smtp_server, enrolled, says
):
    coach = logged_in(app, pair.coach_email)
    [only] = booked(app, pair, sessions=1, total_minor=5000)
    with app.app_context():
        db.session.add(
            PlusOneEnrolment(
                coach_id=pair.coach_id, client_user_id=pair.person_id, enrolled=enrolled
            )
        )
        db.session.commit()
    place(coach, pair, only, WINTER.thursday)
    _relay_at(app, time, london(WINTER.wednesday, 18, 30))
    [mail] = smtp_server.mailbox.wait_for(1)
    assert "This is session 1 of 1." in smtp_server.mailbox.body(mail)
    assert says in smtp_server.mailbox.body(mail)


def test_a_relay_stopped_for_hours_sends_each_due_reminder_once_and_skips_past_sessions(
    app, pair, time, smtp_server
):
    coach = logged_in(app, pair.coach_email)
    first, second = booked(app, pair, sessions=2)
    place(coach, pair, first, WINTER.thursday, "18:30")
    place(coach, pair, second, WINTER.wednesday, "09:00")
    # The relay was down from Tuesday until Thursday 17:30: both of Thursday's reminders are
    # due and go once, late; Wednesday's session has been and gone, so its reminders do not.
    time.now = london(WINTER.thursday, 17, 30).astimezone(UTC)
    first_round = relay(app)
    assert (first_round, first_round.skipped) == ((2, 0), 2)
    assert relay(app) == (0, 0) and relay(app).skipped == 0
    mails = smtp_server.mailbox.wait_for(2)
    assert len(mails) == 2
    assert all("Thursday 10 December 2026 at 18:30" in m["Subject"] for m in mails)
    rows = {(r.session_id, r.offset_minutes): r for r in reminders(app)}
    assert {key: (r.sent_at is not None, r.skip_reason) for key, r in rows.items()} == {
        (first, 1440): (True, None),
        (first, 120): (True, None),
        (second, 1440): (False, "the session had started"),
        (second, 120): (False, "the session had started"),
    }


def test_a_completed_or_unplaced_session_has_no_reminders_left(app, pair, time, smtp_server):
    coach = logged_in(app, pair.coach_email)
    first, second = booked(app, pair, sessions=2)
    place(coach, pair, first, WINTER.thursday)
    place(coach, pair, second, WINTER.thursday, "10:00")
    coach.post(f"/clients/{pair.client_id}/sessions/{first}/complete")
    response = coach.post(
        f"/clients/{pair.client_id}/sessions/{second}/unplace", follow_redirects=True
    )
    assert "Session taken off the calendar." in response.get_data(as_text=True)
    waiting = [r for r in reminders(app) if r.skipped_at is None]
    assert waiting == []
    time.now = london(WINTER.thursday, 17, 0).astimezone(UTC)
    relay(app)
    # Only the change notice for the session taken off the calendar; no reminder.
    [notice] = smtp_server.mailbox.wait_for(1)
    assert notice["Subject"] == "Changes to your calendar"
    assert "now taken off your calendar" in smtp_server.mailbox.body(notice)


def test_placing_a_session_twice_at_once_keeps_one_reminder_per_offset(app, pair, time):
    coach = logged_in(app, pair.coach_email)
    [only] = booked(app, pair, sessions=1)
    place(coach, pair, only, WINTER.thursday)
    place(coach, pair, only, WINTER.thursday)  # a double click
    rows = reminders(app)
    assert sorted(r.offset_minutes for r in rows) == [120, 1440]
    with app.app_context():
        keys = db.session.scalars(sa.text("SELECT dedupe_key FROM outbox_messages")).all()
    assert len(set(keys)) == len(keys)


def test_the_demo_sessions_come_with_their_reminders(app, time):
    with app.app_context():
        demo.load("a demo password here", time.now)
    # Placed Tuesday and Thursday 07:30 (T0 is Monday 09:00): all but Tuesday's day-before one.
    rows = reminders(app)
    assert [(r.offset_minutes, r.next_attempt_at) for r in rows] == [
        (120, london(date(2026, 12, 8), 5, 30)),
        (1440, london(date(2026, 12, 9), 7, 30)),
        (120, london(date(2026, 12, 10), 5, 30)),
    ]


def test_the_reminder_says_where_the_coach_said_sessions_take_place(app, pair, time, smtp_server):
    coach = logged_in(app, pair.coach_email)
    coach.post(
        "/account/reminders",
        data={"reminders-offsets": "24", "reminders-location": "Studio 4, 12 High Street"},
    )
    [only] = booked(app, pair, sessions=1)
    place(coach, pair, only, WINTER.thursday)
    _relay_at(app, time, london(WINTER.wednesday, 18, 30))
    [mail] = smtp_server.mailbox.wait_for(1)
    assert "Where: Studio 4, 12 High Street" in smtp_server.mailbox.body(mail)
    [event] = vobject.readOne(ics_of(mail).decode()).vevent_list
    assert event.location.value == "Studio 4, 12 High Street"
