"""Reading a CSV of clients: separators, the header, line numbers, programs named by a row."""

from __future__ import annotations

import pytest

from webapp.rules import RuleError
from webapp.rules.client_import import (
    ImportFileError,
    LineError,
    Row,
    find_program,
    first_seen,
    read,
    separator,
)


@pytest.mark.parametrize(
    ("header", "expected"),
    [("name,email", ","), ("name;email;program", ";"), ("name;email,x;y", ";"), ("name", ",")],
)
def test_the_separator_is_the_one_the_header_has_more_of(header, expected):
    assert separator(header) == expected


def test_rows_keep_the_line_they_start_on_past_blank_and_multi_line_records():
    rows, errors = read(b'\n\nName,EMAIL\n\nA,A@X.COM\n"B\nB",b@x.com\nC,c@x.com,extra\n')
    assert rows == [Row(5, "A", "a@x.com", ""), Row(8, "C", "c@x.com", "")]
    assert errors == [LineError(6, "a cell runs over more than one line.")]
    assert str(errors[0]) == "Line 6: a cell runs over more than one line."


def test_a_short_row_reads_missing_cells_as_blank():
    rows, errors = read(b"name,email,program\nOnly A Name\n")
    assert rows == [] and errors == [LineError(2, "enter an email address.")]


@pytest.mark.parametrize(
    "data",
    [b"", b"\xff\xfe n", b"email\nx@y.z\n", b"a\x00b", b"name,email\n" + b"x" * 300_000],
)
def test_a_file_that_is_not_a_client_list_is_refused_whole(data):
    with pytest.raises(ImportFileError):
        read(data)


PROGRAMS = {1: "Strength", 2: "Run Club", 3: "Twin", 4: "Twin "}


@pytest.mark.parametrize(
    ("written", "expected"),
    [("", 9), ("2", 2), ("run club", 2), ("STRENGTH", 1), ("12", None), ("Twin", None)],
)
def test_a_row_names_a_program_by_id_or_name(written, expected):
    if expected is None:
        with pytest.raises(RuleError):
            find_program(written, 9, PROGRAMS)
    else:
        assert find_program(written, 9, PROGRAMS) == expected


def test_the_same_email_twice_for_one_program_is_refused_on_the_later_line():
    seen: dict = {}
    assert first_seen(seen, Row(2, "A", "a@x.com", ""), 1) is None
    assert first_seen(seen, Row(3, "A", "a@x.com", "x"), 2) is None  # another program
    assert first_seen(seen, Row(4, "A", "a@x.com", ""), 1) == LineError(
        4, "a@x.com is already on line 2 of this file."
    )
