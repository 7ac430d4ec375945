"""A person's data as one zip, made while it is sent (GDPR Art. 20).

A coach's zip: data.json with every row they own (export_parts says which, and which columns
never leave), the report CSVs, and each client's whole calendar as .ics. A client's zip: their
own rows with every coach, their payments as CSV, and their calendars as their feeds show them.
Rows are read in batches and written as they come, so memory stays small however big the
business.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import Booking, CalendarEntry, Client, LedgerEntry, User
from webapp.rules.calendar import last_visible_date
from webapp.rules.dates import today_in
from webapp.rules.reports import MAX_MONTHS
from webapp.rules.spreadsheet import csv_lines
from webapp.services import export_calendars, report_rows, reports
from webapp.services.export_parts import (
    DATA_FILE,
    FORMAT,
    VERSION,
    Part,
    client_parts,
    coach_parts,
    coaches_of,
    encoded,
    exported_columns,
    stand_ins,
)
from webapp.services.report_scope import Scope
from webapp.services.zip_stream import pieces, zip_stream

BATCH = 500
Files = Iterable[tuple[str, Iterable[bytes]]]


def file_name(user: User, now: datetime) -> str:
    return f"ondeck-export-{today_in(now, user.time_zone)}.zip"


def coach_zip(coach_id: int, now: datetime) -> Iterator[bytes]:
    return zip_stream(_coach_files(coach_id, now), now)


def client_zip(user_id: int, now: datetime) -> Iterator[bytes]:
    return zip_stream(_client_files(user_id, now), now)


def _coach_files(coach_id: int, now: datetime) -> Files:
    head = _head("coach", coach_id, now)
    yield DATA_FILE, pieces(_document(head, coach_parts(coach_id)))
    yield from _report_csvs(coach_id, now)
    yield from export_calendars.coach_calendars(coach_id)


def _client_files(user_id: int, now: datetime) -> Files:
    head = _head("client", user_id, now)
    head["coaches"] = [{"id": i, "name": n} for i, n in db.session.execute(coaches_of(user_id))]
    parts = client_parts(user_id, _visible_entries(user_id, now))
    yield DATA_FILE, pieces(_document(head, parts))
    yield "payments.csv", pieces(_client_payments(user_id))
    yield from export_calendars.client_calendars(user_id, now)


def _head(kind: str, user_id: int, now: datetime) -> dict[str, object]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "kind": kind,
        "account_id": user_id,
        "exported_at": now.isoformat(),
    }


def _document(head: dict[str, object], parts: list[Part]) -> Iterator[str]:
    """data.json, one row a line: the head's fields first (format and version), then every
    table as a list of rows."""
    yield json.dumps(head, ensure_ascii=False)[:-1] + ',\n"tables": {'
    for number, part in enumerate(parts):
        yield f"{',' if number else ''}\n{json.dumps(part.table.name)}: ["
        yield from _rows(part)
        yield "\n]"
    yield "\n}}\n"


def _rows(part: Part) -> Iterator[str]:
    columns = [*exported_columns(part.table), *stand_ins(part.table)]
    names = [column.name for column in columns]
    query = (
        sa.select(*columns)
        .where(part.where)
        .order_by(part.table.c.id)
        .execution_options(yield_per=BATCH)
    )
    for number, row in enumerate(db.session.execute(query)):
        values = {name: encoded(value) for name, value in zip(names, row, strict=True)}
        yield ("," if number else "") + "\n" + json.dumps(values, ensure_ascii=False)


def _report_csvs(coach_id: int, now: datetime) -> Files:
    """The reports' CSVs: the whole ledger, and for each currency the months from the first
    money or booking to this one, and the prepaid liability as of now."""
    ledger = report_rows.ledger_csv(Scope(coach_id), None, None)
    yield "reports/ledger.csv", pieces(csv_lines(report_rows.LEDGER_HEADER, ledger))
    first, currencies = _money_span(coach_id)
    if first is None:
        return
    time_zone = db.session.scalar(sa.select(User.time_zone).where(User.id == coach_id))
    last = today_in(now, time_zone).replace(day=1)
    first = max(first.replace(day=1), _months_before(last, MAX_MONTHS - 1))
    names = reports.client_rows(coach_id)
    for currency in currencies:
        report = reports.build(Scope(coach_id), currency, first, last)
        months = csv_lines(reports.MONTH_HEADER, reports.month_rows(report))
        yield f"reports/months-{currency}.csv", pieces(months)
        owed = csv_lines(reports.LIABILITY_HEADER, reports.liability_rows(report, names))
        yield f"reports/liability-{currency}.csv", pieces(owed)


def _months_before(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def _money_span(coach_id: int) -> tuple[date | None, list[str]]:
    """The first day anything was booked or paid, and every currency used, in one query."""
    dated = sa.union_all(
        sa.select(Booking.booked_at.label("at"), Booking.currency).where(
            Booking.coach_id == coach_id
        ),
        sa.select(LedgerEntry.created_at, LedgerEntry.currency).where(
            LedgerEntry.coach_id == coach_id
        ),
    ).subquery()
    rows = db.session.execute(
        sa.select(dated.c.currency, sa.func.min(dated.c.at)).group_by(dated.c.currency)
    ).all()
    if not rows:
        return None, []
    return min(at for _, at in rows).date(), sorted(currency for currency, _ in rows)


def _visible_entries(user_id: int, now: datetime) -> sa.ColumnElement[bool]:
    """The entries a client may see on each of their calendars now, as on their pages."""
    rows = db.session.execute(
        sa.select(Client.id, Client.start_date, Client.horizon_days, User.time_zone)
        .join(User, User.id == Client.user_id)
        .where(Client.user_id == user_id)
    ).all()
    ranges = []
    for client_id, start, horizon, time_zone in rows:
        condition = [CalendarEntry.client_id == client_id, CalendarEntry.on_date >= start]
        last = last_visible_date(today_in(now, time_zone), horizon)
        if last is not None:
            condition.append(CalendarEntry.on_date <= last)
        ranges.append(sa.and_(*condition))
    return sa.or_(sa.false(), *ranges)


PAYMENTS_HEADER = ["coach", *report_rows.LEDGER_HEADER]


def _client_payments(user_id: int) -> Iterator[str]:
    """The client's ledger rows with each coach, the coach named first."""
    rows: list[list[object]] = []
    for coach_id, name in db.session.execute(coaches_of(user_id)):
        mine = Scope(coach_id, client_user_id=user_id)
        rows.extend([name, *row] for row in report_rows.ledger_csv(mine, None, None))
    return csv_lines(PAYMENTS_HEADER, rows)
