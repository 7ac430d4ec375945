"""The results' CPU section: what each request cost the app's workers, PostgreSQL and wrk, and
how little the workers would have to spend for a page to reach its share of the ceiling."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.report import Measurement


def section(measurements: list[Measurement], target_share: float) -> list[str]:
    rows = [m for m in measurements if m.cpu and m.result]
    if not rows:
        return []
    lines = [
        "",
        "## CPU per request",
        "",
        "Milliseconds of CPU per request during each measured run, from the kernel's accounting: "
        "the app's gunicorn workers, PostgreSQL's processes (those alive at the run's start and "
        "end) and wrk, which all share the same cores. *Cores busy* is their sum times req/s. "
        f"*Workers' budget* is what the workers could spend per request for {target_share:.0%} of "
        "the ceiling's req/s on that many busy cores, if PostgreSQL and wrk cost what they did.",
        "",
        "| Page | Data | Workers ms | PostgreSQL ms | wrk ms | Cores busy | Ceiling ms "
        "| Workers' budget ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for m in rows:
        c = m.cpu
        ceiling = f"{m.ceiling_cpu.total_ms:.2f}" if m.ceiling_cpu else "–"
        budget = workers_budget_ms(m, target_share)
        lines.append(
            f"| {m.page.name} | {m.scale} | {c.server_ms:.2f} | {c.postgres_ms:.2f} "
            f"| {c.wrk_ms:.2f} | {cores_busy(m):.2f} | {ceiling} "
            f"| {'–' if budget is None else f'{budget:.2f}'} |"
        )
    return lines


def cores_busy(m: Measurement) -> float:
    return m.cpu.total_ms * m.result.rps / 1000


def workers_budget_ms(m: Measurement, target_share: float) -> float | None:
    """CPU per request left to the workers at the target req/s: negative when PostgreSQL and
    wrk alone would take more than the busy cores give."""
    if m.ceiling is None or not m.ceiling.rps:
        return None
    per_request = cores_busy(m) * 1000 / (target_share * m.ceiling.rps)
    return per_request - m.cpu.postgres_ms - m.cpu.wrk_ms


def short_of_target(m: Measurement, target_share: float) -> str | None:
    """A note for a page under the target: how much less its workers would have to spend."""
    budget = workers_budget_ms(m, target_share)
    if budget is None or m.cpu is None:
        return None
    c = m.cpu
    spent = (
        f"- {m.page.name}: a request took {c.server_ms:.2f} ms of the workers' CPU, "
        f"{c.postgres_ms:.2f} ms of PostgreSQL's and {c.wrk_ms:.2f} ms of wrk's, on "
        f"{cores_busy(m):.1f} busy cores. At {target_share:.0%} of the ceiling "
        f"({target_share * m.ceiling.rps:.0f} req/s) a request could take "
        f"{budget + c.postgres_ms + c.wrk_ms:.2f} ms in all"
    )
    if budget <= 0:
        return spent + (
            ": PostgreSQL and wrk alone take more than that, so no change to the app's own work "
            "reaches the target on these cores."
        )
    return spent + (
        f", which leaves the workers {budget:.2f} ms: {c.server_ms / budget:.1f}× less than now."
    )
