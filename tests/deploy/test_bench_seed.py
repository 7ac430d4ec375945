"""The benchmark's seed writes rows with SQL of its own (COPY and INSERT … SELECT), so a column
added to the schema later is not filled by the app's defaults: every column that must hold a
value has to be named there, or `make bench` fails before it measures anything."""

import re
from pathlib import Path

from webapp.extensions import db

BENCH = Path(__file__).resolve().parents[2] / "bench"
SEED = [BENCH / "seed.py", BENCH / "write_targets.py"]
WRITES = re.compile(r"(?:COPY|INSERT INTO)\s+(\w+)\s*\(([^)]*)\)", re.S)


def written_columns() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in SEED:
        source = re.sub(r'"\s*\n\s*"', "", path.read_text())  # join concatenated strings
        for table, columns in WRITES.findall(source):
            found.setdefault((path.name, table), set()).update(
                c.strip() for c in columns.split(",")
            )
    return found


def test_the_seed_names_every_column_that_must_hold_a_value(app):
    written = written_columns()
    tables = {table for _file, table in written}
    assert {"users", "clients", "calendar_entries", "ledger_entries", "bookings"} <= tables
    assert ("write_targets.py", "coaching_sessions") in written
    missing = {
        f"{file}: {table}.{column.name}"
        for (file, table), columns in written.items()
        for column in db.metadata.tables[table].columns
        if not column.nullable
        and column.server_default is None
        and not (column.primary_key and column.autoincrement in (True, "auto"))
        and column.name not in columns
    }
    assert not missing, f"the bench's own SQL leaves these empty: {sorted(missing)}"
