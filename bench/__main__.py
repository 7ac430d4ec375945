"""`python -m bench [--scale full|quick]`: seed, serve, load, report (see bench/README.md)."""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from contextlib import ExitStack, contextmanager

from bench import ceiling, cpu, database, load, probe, report, seed, serve, write_targets
from bench.pages import PAGES, Page
from bench.report import Measurement, Run
from bench.serve import gunicorn, peak_rss_mib
from tests.support.postgres import cluster

# Largest data first; the last one is the small copy the growth is measured against.
SCALES = {
    "full": {"full": seed.FULL, "1/100": seed.Size(coaches=seed.FULL.coaches // 100)},
    "quick": {"1/50": seed.Size(coaches=4), "1/200": seed.Size(coaches=1)},
}
SECONDS = {"full": 10, "quick": 3}
WARM_UP_SECONDS = {"full": 2, "quick": 1}
CONNECTIONS = 20


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", choices=SCALES, default="full")
    parser.add_argument("--seconds", type=int, help="wrk duration per measurement")
    parser.add_argument("--output", help="Markdown file for the results (full: bench/RESULTS.md)")
    parser.add_argument("--pages", nargs="+", help="only these pages (names as in the table)")
    parser.add_argument(
        "--workers", type=int, default=serve.WORKERS, help="gunicorn sync workers, app and ceiling"
    )
    args = parser.parse_args()
    serve.WORKERS = args.workers
    if args.pages:
        unknown = set(args.pages) - {page.name for page in PAGES}
        if unknown:
            parser.error(f"no such page: {', '.join(sorted(unknown))}")
        PAGES[:] = [page for page in PAGES if page.name in args.pages]
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk (make bench does this)")
    output = args.output or (
        os.path.join(os.path.dirname(__file__), "RESULTS.md")
        if args.scale == "full" and not args.pages
        else None
    )
    sizes = SCALES[args.scale]
    run = Run(
        sizes={name: size.describe() for name, size in sizes.items()},
        connections=CONNECTIONS,
        seconds=args.seconds or SECONDS[args.scale],
        warm_up=WARM_UP_SECONDS[args.scale],
        workers=args.workers,
    )
    started = time.monotonic()
    with ExitStack() as stack:
        with _phase(run, "start PostgreSQL"):
            cluster_url, data = stack.enter_context(cluster())
        run.postmaster = cpu.postmaster_pid(data)
        _measure_all(run, cluster_url, sizes)
    run.phases.append(("total", time.monotonic() - started))
    text = report.markdown(run)
    print()
    print(text)
    if output:
        with open(output, "w", encoding="utf-8") as out:
            out.write(text)
        print(f"Written to {output}")


def _measure_all(run: Run, cluster_url: str, sizes: dict[str, seed.Size]) -> None:
    urls = {}
    for scale, size in sizes.items():
        with _phase(run, f"create and migrate ({scale})"):
            urls[scale] = database.create(cluster_url, "bench_" + scale.replace("/", "_of_"))
            database.migrate(urls[scale])
        with _phase(run, f"seed ({scale}: {size.describe()})"):
            seed.seed(database.plain(urls[scale]), size)
        with _phase(run, f"book remaining sessions to complete ({scale})"):
            added = write_targets.top_up(database.plain(urls[scale]))
        if added:
            run.sizes[scale] += f", and {added:,} more remaining sessions for mark complete"
    run.postgres = database.version(urls[next(iter(sizes))])
    probed = {}
    for scale, url in urls.items():
        with _phase(run, f"probe pages, count queries ({scale})"):
            probed[scale] = _probe_scale(run, scale, url)
    with tempfile.TemporaryDirectory(prefix="ondeck-ceiling-") as templates, ExitStack() as stack:
        ceiling.write_templates(
            templates,
            {
                f"{m.page.name}|{scale}": seen_html
                for scale in probed
                for m, _t, seen_html in probed[scale]
            },
        )
        # Every server is up at once and idles while another is measured, so a page, its copy
        # at the other size and its ceiling run back to back under the same background load.
        ceiling_env = {**os.environ, "BENCH_CEILING_DIR": templates}
        for scale in probed:
            for m, _targets, _html in probed[scale]:
                m.ceiling_service_ms = ceiling.service_ms(templates, f"{m.page.name}|{scale}")
        ceiling_port = stack.enter_context(
            gunicorn("bench.ceiling:create_app()", ceiling_env, ready_path="/")
        )
        ports = {
            scale: stack.enter_context(
                gunicorn("bench.least_write:create_app()", database.app_environment(url))
            )
            for scale, url in urls.items()
        }
        logins = {}
        for scale, port in ports.items():
            with _phase(run, f"log in over HTTP ({scale})"):
                emails = {email for _m, targets, _h in probed[scale] for email, _path in targets}
                logins[scale] = load.log_in_all(port, emails, seed.PASSWORD)
        with _phase(run, "load the app at each size, then the ceiling, page by page"):
            for page in PAGES:
                rows = [
                    (scale, m, t)
                    for scale in probed
                    for m, t, _h in probed[scale]
                    if m.page == page
                ]
                for scale, m, targets in rows:
                    login = logins[scale]
                    m.result, m.cpu = _load(
                        run,
                        ports[scale],
                        page,
                        [
                            load.Target(path, login[email].cookie, login[email].csrf_token)
                            for email, path in targets
                        ],
                    )
                    _print(m, "app")
                for scale, m, _targets in rows:
                    key = ceiling.key(f"{page.name}|{scale}")
                    m.ceiling, m.ceiling_cpu = _load(
                        run, ceiling_port, page, [load.Target(f"/page/{key}")]
                    )
                    _print(m, "ceiling")
        run.peak_rss = {scale: peak_rss_mib(port) for scale, port in ports.items()}


def _probe_scale(run: Run, scale: str, url: str) -> list[tuple[Measurement, list, str]]:
    """The measurable pages at this size: (measurement, (email, path) targets, HTML)."""
    app = probe.make_app(url)
    measurable = []
    for page in PAGES:
        m = Measurement(page=page, scale=scale)
        run.measurements.append(m)
        if not page.present:
            m.note = "placeholder until its route exists (present=False in pages.py)"
            print(f"skip {page.name}: {m.note}")
            continue
        targets = probe.pick_targets(app, page)
        if not targets:
            m.note = "no rows to pick in the seeded data"
            continue
        # Writes use up their target: probe with the last one, the load starts at the first.
        seen = probe.probe(app, page, *targets[-1])
        if seen.status == 404:
            m.note = "not present in this build (404 for a valid id)"
            print(f"skip {page.name}: {m.note}")
            continue
        if seen.status != page.ok_status:
            m.note = f"answered {seen.status} in the test client, not {page.ok_status}"
            print(f"skip {page.name}: {m.note}")
            continue
        m.queries, m.html_bytes = seen.queries, len(seen.html.encode())
        m.warm_queries = seen.warm_queries
        m.service_ms = seen.service_ms
        if page.method != "GET" and len(targets) > 1:  # a lone one (1/200's coach) is kept
            targets = targets[:-1]
        m.targets = len(targets)
        measurable.append((m, targets, seen.html))
    return measurable


def _load(
    run: Run, port: int, page: Page, targets: list[load.Target]
) -> tuple[load.Result, cpu.Split | None]:
    """wrk's figures for the page, and the CPU each request took of the server, PostgreSQL
    and wrk itself."""

    def measure(seconds: int) -> load.Result:
        return load.run_wrk(
            port,
            targets,
            method=page.method,
            fragment=page.fragment,
            body=page.body,
            ok_status=page.ok_status,
            seconds=seconds,
            connections=run.connections,
        )

    if page.method == "GET" and run.warm_up:
        # Each worker's first request per user fills its cache, pool and templates: measured
        # once in Queries cold and Service ms, then left out of the steady state measured here.
        measure(run.warm_up)
    with cpu.taken(serve.MASTERS.get(port), run.postmaster) as taken:
        result = measure(run.seconds)
    return result, taken.per_request(result.requests)


def _print(m: Measurement, what: str) -> None:
    r = m.ceiling if what == "ceiling" else m.result
    print(
        f"{m.page.name:<24} {m.scale:<6} {what:<8} {r.rps:8.0f} req/s  p50 {r.p50_ms:7.1f} ms  "
        f"p95 {r.p95_ms:7.1f} ms  p99 {r.p99_ms:7.1f} ms  queries {m.queries}  "
        f"not 200: {r.bad_status + r.socket_errors}",
        flush=True,
    )


@contextmanager
def _phase(run: Run, name: str):
    print(f"-- {name}", flush=True)
    started = time.monotonic()
    try:
        yield
    finally:
        run.phases.append((name, time.monotonic() - started))


if __name__ == "__main__":
    main()
