"""`python -m bench.compare BEFORE AFTER`: put an earlier run's figures beside a later one's,
page by page, as a "Before and after" section added to AFTER (a results file of `make bench`).
`make bench-before-after` makes both runs back to back: the response cache off, then on."""

from __future__ import annotations

import sys
from pathlib import Path

SECTION = "## Before and after"


def figures(text: str) -> dict[tuple[str, str], dict[str, str]]:
    """The Figures table's rows, by (page, data size), as {column: cell}."""
    lines = text.split("## Figures", 1)[1].split("\n## ", 1)[0].strip().splitlines()
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    rows = {}
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        row = dict(zip(header, cells, strict=False))
        rows[(row["Page"], row["Data"])] = row
    return rows


def section(before: str, after: str, label: str) -> str:
    old, new = figures(before), figures(after)
    lines = [
        SECTION,
        "",
        f"Before: {label}. Both runs on this machine, one after the other.",
        "",
        "| Page | Data | req/s before | req/s after | × | % of ceiling before | after "
        "| p95 ms before | after | Queries cold before | after |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key, row in new.items():
        was = old.get(key)
        if was is None:
            continue
        ratio = float(row["req/s"]) / float(was["req/s"]) if float(was["req/s"]) else 0
        cold = "Queries cold" if "Queries cold" in was else "Queries"
        lines.append(
            f"| {key[0]} | {key[1]} | {was['req/s']} | {row['req/s']} | {ratio:.1f}× "
            f"| {was['% of ceiling']} | {row['% of ceiling']} | {was['p95 ms']} | {row['p95 ms']} "
            f"| {was[cold]} | {row['Queries cold']} |"
        )
    return "\n".join(lines) + "\n"


def main(before_path: str, after_path: str, label: str = "the response cache off") -> None:
    after_file = Path(after_path)
    after = after_file.read_text().split("\n" + SECTION, 1)[0].rstrip() + "\n"
    before = Path(before_path).read_text()
    after_file.write_text(after + "\n" + section(before, after, label))


if __name__ == "__main__":
    main(*sys.argv[1:])
