"""CSV for spreadsheets: UTF-8 with a BOM (so Excel reads it as UTF-8), inert text cells."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

BOM = "\ufeff"
# A cell starting with one of these is read as a formula by Excel, LibreOffice and Sheets
# (tab and carriage return too, per OWASP's CSV injection advice).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(text: str) -> str:
    """A text cell a spreadsheet shows as typed: a leading formula character gets a `'`."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class Amount(str):
    """An amount OnDeck wrote itself (e.g. `-15.00`): a number, left as it is."""


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """The file line by line, BOM first. Amounts and integers pass as they are; every other
    cell is made inert."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([inert(name) for name in header])
    yield BOM + out.getvalue()
    for row in rows:
        out.seek(0)
        out.truncate()
        writer.writerow(
            [
                value
                if isinstance(value, Amount | int)
                else inert("" if value is None else str(value))
                for value in row
            ]
        )
        yield out.getvalue()


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The whole file (see csv_lines)."""
    return "".join(csv_lines(header, rows))
