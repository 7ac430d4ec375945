"""A client with a full history (calendar, notes, feed, bookings, payments, placed sessions and
their reminders, links waiting, mail sent to and about them), and the generic search of every
text column of every table that acceptance 5 asks for."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from tests.support.factories import PASSWORD, make_client, make_client_user, make_program
from tests.support.plusone import Pair, make_package
from webapp import clock
from webapp.extensions import db
from webapp.models import CalendarEntry, Client, CoachingSession, Package, Program, User
from webapp.services import reports
from webapp.services.calendar_edits import regenerate_feed
from webapp.services.outbox import queue_email
from webapp.services.report_scope import Scope

NEW_EMAIL = "dana.moved@example.com"


@dataclass
class History:
    secrets: list[str]  # every form of the person's name and addresses, lower case
    feed_token: str
    other_feed_token: str
    other_client_id: int
    second_program_id: int


def form_key(html: str) -> str:
    return re.search(r'name="key" type="hidden" value="([^"]+)"', html).group(1)


def build_history(app, pair: Pair, coach, person) -> History:
    """Everything OnDeck can hold of the pair's client, made the way the app makes it."""
    today = clock.now().date()
    with app.app_context():
        row = db.session.get(Client, pair.client_id)
        row.start_date = today - timedelta(days=3)
        for offset in range(-2, 3):
            db.session.add(
                CalendarEntry(
                    client_id=row.id,
                    on_date=today + timedelta(days=offset),
                    title="Intervals",
                    body="6 × 400 m",
                    client_note="Felt strong" if offset < 0 else "",
                    done_at=clock.now() if offset < 0 else None,
                )
            )
        feed_token = regenerate_feed(row)
        program = db.session.get(Program, pair.program_id)
        coach_user = db.session.get(User, pair.coach_id)
        second = make_program(coach_user, name="Second Program")
        olive = make_client_user(email="olive@example.com", name="Olive Other")
        other = make_client(program, user=olive)
        db.session.add(
            CalendarEntry(client_id=other.id, on_date=today, title="Olive's run", body="5 km")
        )
        other_feed_token = regenerate_feed(other)
        # The coach was told of the client by mail (sent), its HTML escaping the name.
        told = queue_email(
            pair.coach_email,
            f"Dana Client 1 <{pair.person_email}> booked",
            f"Dana Client 1 ({pair.person_email}) booked a package.",
            html=f"<p>Dana Client 1 &lt;{pair.person_email}&gt; booked a package.</p>",
        )
        told.sent_at = clock.now()
        db.session.commit()
        second_id, other_id = second.id, other.id
    package = make_package(app, pair.coach_id, 5, 25000)
    custom = make_package(app, pair.coach_id, 3, 12000, offered_to_id=pair.person_id)
    with app.app_context():
        db.session.get(Package, custom).name = "Dana Client 1's block"
        db.session.commit()
    page = coach.get(f"/clients/{pair.client_id}/sessions").get_data(as_text=True)
    booking = {"package": str(package), "payment": "cash", "key": form_key(page)}
    assert coach.post(f"/clients/{pair.client_id}/sessions/book", data=booking).status_code == 303
    page = coach.get(f"/clients/{pair.client_id}/payments").get_data(as_text=True)
    paid = {
        "price": "40.00",
        "currency": "GBP",
        "method": "cash",
        "note": "From Dana Client 1",
        "key": form_key(page),
    }
    assert coach.post(f"/clients/{pair.client_id}/payments/manual", data=paid).status_code == 303
    session_id = _first_remaining(app, pair)
    when = today + timedelta(days=2)
    placed = coach.post(
        f"/clients/{pair.client_id}/sessions/{session_id}/place",
        data={"on_date": when.isoformat(), "at_time": "18:30"},
    )
    assert placed.status_code in (200, 303)
    invited = coach.post(f"/programs/{second_id}/clients/email", data=_invite(pair))
    assert invited.status_code == 303
    app.test_client().post("/password/forgot", data={"email": pair.person_email})
    person.post(
        "/account/email", data={"change-email": NEW_EMAIL, "change-current_password": PASSWORD}
    )
    app.test_client().post("/login", data={"email": pair.person_email, "password": "wrong"})
    assert person.get(f"/feeds/{feed_token}.ics").status_code == 200
    coach.get("/account")  # shows (and so clears) the coach's waiting flash messages
    secrets = ["dana client 1", pair.person_email, NEW_EMAIL]
    assert all(secret in every_text(app) for secret in secrets), "the history names them"
    return History(secrets, feed_token, other_feed_token, other_id, second_id)


def _invite(pair: Pair) -> dict:
    return {"invite-name": "Dana Client 1", "invite-email": pair.person_email}


def _first_remaining(app, pair: Pair) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.min(CoachingSession.id)).where(
                CoachingSession.client_user_id == pair.person_id
            )
        )


def every_text(app) -> str:
    """Every string of every text column of every table, lower case: the database's whole
    text, read generically from the metadata, so a table added later is searched too."""
    chunks: list[str] = []
    with app.app_context():
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, sa.String | sa.Text)]
            if columns:
                for row in db.session.execute(sa.select(*columns)):
                    chunks.extend(str(value) for value in row if value is not None)
    return "\n".join(chunks).lower()


def figures(app, coach_id: int):
    """The coach's reports over two years to next month, and raw SQL sums of the money."""
    today = clock.now().date()
    first, last = date(today.year - 1, 1, 1), date(today.year + 1, 1, 1)
    with app.app_context():
        report = reports.build(Scope(coach_id), "GBP", first, last)
        raw = db.session.execute(
            sa.text(
                "SELECT (SELECT SUM(amount_minor) FROM ledger_entries),"
                " (SELECT SUM(total_minor) FROM bookings),"
                " (SELECT COUNT(*) FROM coaching_sessions)"
            )
        ).one()
        return report, tuple(int(value or 0) for value in raw)
