"""`python -m bench [--scale full|quick]`: seed, serve, load, report (see bench/README.md)."""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from contextlib import ExitStack, contextmanager

from bench import ceiling, database, load, probe, report, seed
from bench.pages import PAGES, Page
from bench.report import Measurement, Run
from bench.serve import gunicorn
from tests.support.postgres import cluster

# Largest data first; the last one is the small copy the growth is measured against.
SCALES = {
    "full": {"full": seed.FULL, "1/100": seed.Size(coaches=seed.FULL.coaches // 100)},
    "quick": {"1/50": seed.Size(coaches=4), "1/200": seed.Size(coaches=1)},
}
SECONDS = {"full": 10, "quick": 3}
CONNECTIONS = 20


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", choices=SCALES, default="full")
    parser.add_argument("--seconds", type=int, help="wrk duration per measurement")
    parser.add_argument("--output", help="Markdown file for the results (full: bench/RESULTS.md)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk (make bench does this)")
    output = args.output or (
        os.path.join(os.path.dirname(__file__), "RESULTS.md") if args.scale == "full" else None
    )
    sizes = SCALES[args.scale]
    run = Run(
        sizes={name: size.describe() for name, size in sizes.items()},
        connections=CONNECTIONS,
        seconds=args.seconds or SECONDS[args.scale],
    )
    started = time.monotonic()
    with ExitStack() as stack:
        with _phase(run, "start PostgreSQL"):
            cluster_url, _data = stack.enter_context(cluster())
        _measure_all(run, cluster_url, sizes)
    run.phases.append(("total", time.monotonic() - started))
    text = report.markdown(run)
    print()
    print(text)
    if output:
        with open(output, "w", encoding="utf-8") as out:
            out.write(text)
        print(f"Written to {output}")


def _measure_all(run: Run, cluster_url: str, sizes: dict[str, seed.Size]):
    urls = {}
    for scale, size in sizes.items():
        with _phase(run, f"create and migrate ({scale})"):
            urls[scale] = database.create(cluster_url, "bench_" + scale.replace("/", "_of_"))
            database.migrate(urls[scale])
        with _phase(run, f"seed ({scale}: {size.describe()})"):
            seed.seed(database.plain(urls[scale]), size)
    run.postgres = database.version(urls[next(iter(sizes))])
    for scale, url in urls.items():
        _measure_scale(run, scale, url)


def _measure_scale(run: Run, scale: str, url: str) -> None:
    print(f"\n== {scale} ==", flush=True)
    app = probe.make_app(url)
    measured: list[tuple[Measurement, list[tuple[str, str]]]] = []
    html: list[str] = []
    with _phase(run, f"probe pages, count queries ({scale})"):
        for page in PAGES:
            m = Measurement(page=page, scale=scale)
            run.measurements.append(m)
            if not page.present:
                m.note = "placeholder, its URL is filled in at merge (present=False)"
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
                raise RuntimeError(f"{page.name} answered {seen.status} in the test client")
            m.queries, m.html_bytes = seen.queries, len(seen.html.encode())
            measured.append((m, targets if page.method == "GET" else targets[:-1]))
            html.append(seen.html)
    if not measured:
        return
    env = database.app_environment(url)
    with gunicorn("webapp:create_app()", env) as port:
        with _phase(run, f"log in over HTTP ({scale})"):
            emails = {email for _m, targets in measured for email, _path in targets}
            logins = load.log_in_all(port, emails, seed.PASSWORD)
        with _phase(run, f"load the app ({scale})"):
            for m, targets in measured:
                m.result = _load(
                    run,
                    port,
                    m.page,
                    [
                        load.Target(path, logins[email].cookie, logins[email].csrf_token)
                        for email, path in targets
                    ],
                )
                _print(m, "app")
    with tempfile.TemporaryDirectory(prefix="ondeck-ceiling-") as templates:
        ceiling.write_templates(templates, dict(enumerate(html)))
        env = {**os.environ, "BENCH_CEILING_DIR": templates}
        with gunicorn("bench.ceiling:create_app()", env, ready_path="/") as port:
            with _phase(run, f"load the ceiling ({scale})"):
                for number, (m, _targets) in enumerate(measured):
                    m.ceiling = _load(run, port, m.page, [load.Target(f"/page/{number}")])
                    _print(m, "ceiling")


def _load(run: Run, port: int, page: Page, targets: list[load.Target]) -> load.Result:
    return load.run_wrk(
        port,
        targets,
        method=page.method,
        fragment=page.fragment,
        body=page.body,
        ok_status=page.ok_status,
        seconds=run.seconds,
        connections=run.connections,
    )


def _print(m: Measurement, what: str) -> None:
    r = m.ceiling if what == "ceiling" else m.result
    print(
        f"{m.page.name:<28} {what:<8} {r.rps:8.0f} req/s  p50 {r.p50_ms:7.1f} ms  "
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
