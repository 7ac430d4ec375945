"""The results as Markdown: machine, phase times, figures per page, targets met or not."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bench import cpu_report
from bench.cpu import Split
from bench.load import Result
from bench.pages import Page
from bench.settle import quiet_load

MAX_QUERIES = 6
MAX_FRAGMENT_P95_MS = 100
MIN_SHARE_OF_CEILING = 0.25
MAX_GROWTH = 1.5


@dataclass
class Measurement:
    page: Page
    scale: str
    queries: int | None = None
    warm_queries: int | None = None
    service_ms: float | None = None
    ceiling_service_ms: float | None = None
    html_bytes: int = 0
    targets: int = 0
    result: Result | None = None
    ceiling: Result | None = None
    # CPU per request of the server, PostgreSQL and wrk, for the app and for its ceiling.
    cpu: Split | None = None
    ceiling_cpu: Split | None = None
    note: str = ""

    @property
    def share_of_ceiling(self) -> float | None:
        if self.result and self.ceiling and self.ceiling.rps:
            return self.result.rps / self.ceiling.rps
        return None


@dataclass
class Run:
    sizes: dict[str, str]
    connections: int
    seconds: int
    warm_up: int = 0
    workers: int = 2
    postgres: str = ""
    postmaster: int | None = None
    load_before: str = field(default_factory=lambda: _load_average())
    cpu_before: tuple[int, ...] = field(default_factory=lambda: _cpu_times())
    phases: list[tuple[str, float]] = field(default_factory=list)
    # Peak resident memory (VmHWM) of each gunicorn worker, in MiB, per data size.
    peak_rss: dict[str, list[float]] = field(default_factory=dict)
    measurements: list[Measurement] = field(default_factory=list)


def markdown(run: Run, busy_note: str = "") -> str:
    lines = ["# Benchmark results", "", "## Machine", ""]
    lines += [f"- {item}" for item in _machine(run)]
    if busy_note:
        lines += ["", busy_note]
    lines += ["", "## Data", ""]
    lines += [f"- {scale}: {text}" for scale, text in run.sizes.items()]
    lines += [
        "",
        f"Each page: wrk, {run.connections} connections, {run.seconds} s after {run.warm_up} s "
        "of warm-up (read pages), cycling over up to "
        "20 logged-in users and their rows; the ceiling is a bare Flask app serving the same "
        f"HTML under the same gunicorn ({run.workers} sync workers).",
        "",
        "## Phases",
        "",
        "| Phase | Seconds |",
        "|---|---:|",
    ]
    lines += [f"| {name} | {seconds:.1f} |" for name, seconds in run.phases]
    if run.peak_rss:
        lines += ["", "## Memory", "", "| Data | Peak RSS per gunicorn worker (MiB) |", "|---|---|"]
        lines += [
            f"| {scale} | {', '.join(f'{mib:.0f}' for mib in workers)} |"
            for scale, workers in run.peak_rss.items()
        ]
    lines += [
        "",
        "## Figures",
        "",
        "| Page | Data | req/s | p50 ms | p95 ms | p99 ms | Queries cold | Queries warm "
        "| Service ms | HTML KiB | Ceiling req/s | % of ceiling | Not 200 |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    names, scales = list(dict.fromkeys(m.page.name for m in run.measurements)), list(run.sizes)
    ordered = sorted(
        run.measurements, key=lambda m: (names.index(m.page.name), scales.index(m.scale))
    )
    for m in ordered:
        if m.result is None:
            continue
        r, c = m.result, m.ceiling
        service = f"{m.service_ms:.1f}" if m.service_ms is not None else "–"
        warm = "–" if m.warm_queries is None else str(m.warm_queries)
        ceiling = f"{c.rps:.0f} | {m.share_of_ceiling:.0%}" if c else "– | –"
        lines.append(
            f"| {m.page.name} | {m.scale} | {r.rps:.0f} | {r.p50_ms:.1f} | {r.p95_ms:.1f} "
            f"| {r.p99_ms:.1f} | {m.queries} | {warm} | {service} | {m.html_bytes / 1024:.1f} "
            f"| {ceiling} | {r.bad_status + r.socket_errors} |"
        )
    lines += cpu_report.section(ordered, MIN_SHARE_OF_CEILING)
    big, small = scales[0], scales[-1]
    lines += ["", f"## Targets (at {big})", ""]
    lines += [
        f"| Page | ≤ {MAX_QUERIES} queries, same at both sizes | p95 ≤ {MAX_FRAGMENT_P95_MS} ms "
        f"(fragments) | ≥ {MIN_SHARE_OF_CEILING:.0%} of ceiling req/s "
        f"| p50 at {big} ≤ {MAX_GROWTH}× p50 at {small} |",
        "|---|---|---|---|---|",
    ]
    lines += _targets(run)
    notes = _notes(run)
    if notes:
        lines += ["", "## Notes", "", *notes]
    skipped = sorted({f"- {m.page.name}: {m.note}" for m in run.measurements if m.note})
    if skipped:
        lines += ["", "## Not measured", "", *skipped]
    return "\n".join(lines) + "\n"


def _targets(run: Run) -> list[str]:
    scales = list(run.sizes)
    full, small = scales[0], scales[-1]
    by_key = {(m.page.name, m.scale): m for m in run.measurements if m.result}
    rows = []
    for page in dict.fromkeys(m.page for m in run.measurements if m.result):
        if page.reference:
            continue
        big, little = by_key.get((page.name, full)), by_key.get((page.name, small))
        if big is None or little is None:
            continue
        rows.append(
            f"| {page.name} | {_queries(big, little)} | {_p95(big)} | {_share(big)} "
            f"| {_growth(big, little)} |"
        )
    return rows


def _notes(run: Run) -> list[str]:
    """Facts that explain the figures: a busy machine, and where each page's time goes."""
    notes = []
    cores = os.cpu_count() or 1
    start_load = float(run.load_before.split(",")[0]) if run.load_before[0].isdigit() else 0.0
    if start_load > quiet_load():
        notes.append(
            f"- The machine was busy: load average {start_load:.1f} on {cores} cores when the run "
            "started (other work competed for the CPU), so absolute figures are lower and noisier "
            "than on an idle machine. Each page, its copy at the other size and its ceiling were "
            "measured back to back, so their ratios are the fairer comparison."
        )
    for m in run.measurements:
        if m.page.reference and m.share_of_ceiling is not None:
            notes.append(
                f"- {m.page.name} at {m.scale}: {m.share_of_ceiling:.0%} of its ceiling. It is "
                "the least a logged-in write can do in OnDeck's stack (log-in, CSRF check, one "
                "UPDATE, the commit, a one-line answer; `least_write.py`). A write page does all "
                "of that and more, so it can expect no larger share on this machine."
            )
        elif m.result and m.page.method != "GET" and m.result.requests > m.targets:
            how = "each with new values" if m.page.varies else "which wrote nothing the second time"
            notes.append(
                f"- {m.page.name} at {m.scale}: {m.result.requests - m.targets} of "
                f"{m.result.requests} requests came back to a target already written (only "
                f"{m.targets} were picked), {how}."
            )
    big = list(run.sizes)[0]
    for m in run.measurements:
        share = m.share_of_ceiling
        if m.scale == big and share is not None and share < MIN_SHARE_OF_CEILING:
            if cpu_note := cpu_report.short_of_target(m, MIN_SHARE_OF_CEILING):
                notes.append(cpu_note)
        if m.scale != big or m.result is None or m.service_ms is None:
            continue
        if m.page.fragment and m.result.p95_ms > MAX_FRAGMENT_P95_MS and m.result.rps:
            notes.append(
                f"- {m.page.name}: {run.connections} connections kept busy make each request wait "
                f"for those ahead of it (mean latency ≈ connections / req/s = "
                f"{run.connections / m.result.rps * 1000:.0f} ms); p95 ≤ {MAX_FRAGMENT_P95_MS} ms "
                f"needs well over {run.connections * 1000 / MAX_FRAGMENT_P95_MS:.0f} req/s at this "
                f"concurrency, and the page made {m.result.rps:.0f}."
            )
        share = m.share_of_ceiling
        if share is not None and share < MIN_SHARE_OF_CEILING and m.ceiling_service_ms:
            notes.append(
                f"- {m.page.name}: one request takes {m.service_ms:.1f} ms in-process "
                f"({m.queries} quer{'y' if m.queries == 1 else 'ies'}, loading the session's user, "
                f"rendering) against "
                f"{m.ceiling_service_ms:.2f} ms for a bare render of the same HTML: "
                f"{m.service_ms / m.ceiling_service_ms:.0f}× the work, where "
                f"{MIN_SHARE_OF_CEILING:.0%} of the ceiling needs about "
                f"{1 / MIN_SHARE_OF_CEILING:.0f}× at most (gunicorn and the sockets add the same "
                "cost to both, which narrows the gap a little)."
            )
    return notes


def _queries(big: Measurement, little: Measurement) -> str:
    if big.queries != little.queries:
        return f"not met: {little.queries} → {big.queries} as data grows"
    if big.queries > MAX_QUERIES:
        return f"not met: {big.queries} ({big.queries - MAX_QUERIES} over)"
    return f"met ({big.queries})"


def _p95(m: Measurement) -> str:
    if not m.page.fragment:
        return "n/a (full page)"
    p95 = m.result.p95_ms
    if p95 <= MAX_FRAGMENT_P95_MS:
        return f"met ({p95:.0f} ms)"
    return f"not met: {p95:.0f} ms ({p95 - MAX_FRAGMENT_P95_MS:.0f} ms over)"


def _share(m: Measurement) -> str:
    share = m.share_of_ceiling
    if share is None:
        return "not measured"
    if share >= MIN_SHARE_OF_CEILING:
        return f"met ({share:.0%})"
    return f"not met: {share:.0%} ({MIN_SHARE_OF_CEILING - share:.0%} short)"


def _growth(big: Measurement, little: Measurement) -> str:
    ratio = big.result.p50_ms / little.result.p50_ms if little.result.p50_ms else float("inf")
    if ratio <= MAX_GROWTH:
        return f"met ({ratio:.2f}×)"
    return f"not met: {ratio:.2f}× ({ratio - MAX_GROWTH:.2f}× over)"


def _machine(run: Run) -> list[str]:
    return [
        f"Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"CPU: {os.cpu_count()} cores, {_cpu_model()}",
        f"Memory: {_memory_gib():.0f} GiB",
        f"OS: {platform.system()} {platform.release()}",
        f"Python {platform.python_version()}, PostgreSQL {run.postgres}, wrk from Debian",
        f"Load average (1, 5, 15 min): {run.load_before} at the start, "
        f"{_load_average()} at the end",
        f"CPU time taken by the hypervisor for other guests (steal) during the run: "
        f"{_steal_share(run.cpu_before, _cpu_times())}",
    ]


def _cpu_times() -> tuple[int, ...]:
    """The machine's CPU time counters (/proc/stat: user … steal), or () where there are none."""
    try:
        with open("/proc/stat") as stat:
            return tuple(int(x) for x in stat.readline().split()[1:9])
    except (OSError, ValueError):
        return ()


def _steal_share(before: tuple[int, ...], after: tuple[int, ...]) -> str:
    """Steal as a share of the busy time: on a shared host it slows app and ceiling alike."""
    if len(before) < 8 or len(after) < 8:
        return "unknown"
    spent = [b - a for a, b in zip(before, after, strict=True)]
    idle = spent[3] + spent[4]
    busy = sum(spent) - idle
    return f"{spent[7] / busy:.0%} of the busy CPU time" if busy else "none"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory_gib() -> float:
    try:
        with open("/proc/meminfo") as info:
            for line in info:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0.0


def _load_average() -> str:
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"
