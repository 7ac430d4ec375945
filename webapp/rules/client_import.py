"""Reading a CSV of clients to add as Manual Invites: the file's shape, each row's text, which
program a row names, and duplicates within the file. Every problem is told by line number.

The file:
- UTF-8, with or without a BOM (Excel's "CSV UTF-8" writes one);
- comma-separated, or semicolon-separated as Excel writes CSV where the decimal mark is a
  comma: the separator is whichever of the two the header line has more of;
- a header line naming the columns `name`, `email` and, optionally, `program` (any order, any
  case; other columns are ignored);
- one client a line; blank lines are skipped; a `program` cell holds a program's name or its
  id, and a blank one means the program the import was started from.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass

from webapp.rules import RuleError
from webapp.rules.text import is_one_line

MAX_BYTES = 256 * 1024
MAX_ROWS = 500
MAX_NAME = 120
MAX_EMAIL = 254
COLUMNS = ("name", "email", "program")


class ImportFileError(RuleError):
    """A problem with the whole file: nothing in it can be read as rows."""


@dataclass(frozen=True)
class Row:
    line: int  # where the row starts in the file, counting from 1 (the header is line 1)
    name: str
    email: str  # stripped and lower-cased
    program: str  # as written, stripped; "" for the program the import started from


@dataclass(frozen=True)
class LineError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}"


def decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ImportFileError(f"The file is larger than {MAX_BYTES // 1024} KB. Split it in two.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            'The file is not UTF-8 text. In Excel, save it as "CSV UTF-8 (Comma delimited)".'
        ) from None
    if "\x00" in text:
        raise ImportFileError("The file is not a CSV text file.")
    return text


def separator(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _columns(header: list[str]) -> dict[str, int]:
    names = [cell.strip().lower() for cell in header]
    found = {column: names.index(column) for column in COLUMNS if column in names}
    if "name" not in found or "email" not in found:
        raise ImportFileError("Line 1 must name the columns: name, email and (optionally) program.")
    return found


def _cell(record: list[str], columns: dict[str, int], column: str) -> str:
    """A row's cell in that column, stripped; blank when the column or the cell is missing."""
    at = columns.get(column)
    return record[at].strip() if at is not None and at < len(record) else ""


def read(data: bytes) -> tuple[list[Row], list[LineError]]:
    """The rows of the file and the problems of single lines; ImportFileError for the file."""
    text = decode(data)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    if not first_line:
        raise ImportFileError("The file is empty.")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator(first_line))
    rows: list[Row] = []
    errors: list[LineError] = []
    columns: dict[str, int] | None = None
    ended = 0  # the line the previous record ended on
    for record in reader:
        line, ended = ended + 1, reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if columns is None:
            columns = _columns(record)
            continue
        if len(rows) + len(errors) >= MAX_ROWS:
            raise ImportFileError(f"The file has more than {MAX_ROWS} clients. Split it.")
        if any("\n" in cell or "\r" in cell for cell in record):
            errors.append(LineError(line, "a cell runs over more than one line."))
            continue
        name, email, program = (_cell(record, columns, column) for column in COLUMNS)
        row = Row(line, name, email.lower(), program)
        problem = row_problem(row)
        if problem:
            errors.append(LineError(line, problem))
        else:
            rows.append(row)
    if columns is None:
        raise ImportFileError("The file is empty.")
    return rows, errors


def row_problem(row: Row) -> str | None:
    """What is wrong with a row's text, before any database is asked."""
    if not row.name:
        return "enter a name."
    if len(row.name) > MAX_NAME:
        return f"the name is longer than {MAX_NAME} characters."
    if not row.email:
        return "enter an email address."
    if len(row.email) > MAX_EMAIL:
        return "the email address is too long."
    if not all(is_one_line(value) for value in (row.name, row.email, row.program)):
        return "remove the tab or control character."
    return None


def find_program(written: str, default_id: int, programs: Mapping[int, str]) -> int:
    """The program a row names: blank is the default, a number is an id, else a name (any
    case). `programs` are the coach's own (id -> name); another coach's id is unknown."""
    if not written:
        return default_id
    if written.isdigit() and int(written) in programs:
        return int(written)
    named = [pid for pid, name in programs.items() if name.strip().lower() == written.lower()]
    if len(named) == 1:
        return named[0]
    if named:
        raise RuleError(f"two of your programs are named “{written}”: write its id instead.")
    raise RuleError(f"no program of yours is named “{written}”.")


def first_seen(seen: dict[tuple[str, int], int], row: Row, program_id: int) -> LineError | None:
    """The same email twice for one program in the file: the later line is refused."""
    key = (row.email, program_id)
    if key in seen:
        return LineError(row.line, f"{row.email} is already on line {seen[key]} of this file.")
    seen[key] = row.line
    return None
