"""`python -m bench.profile [PAGE ...]`: where one request of a page spends its time.

Seeds a small copy of the benchmark data in a throwaway PostgreSQL, then runs each page many
times through the Flask test client under cProfile and prints the functions that take the most
cumulative time. Reads repeat the same request; writes use a fresh target each time.
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import pstats
import time

from bench import database, probe, seed
from bench.pages import PAGES
from tests.support.postgres import cluster
from tests.support.queries import counted_queries


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("pages", nargs="*", help="page names (default: all)")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--queries", action="store_true", help="print one request's SQL instead")
    parser.add_argument("--time", action="store_true", help="only time the requests, no profiler")
    args = parser.parse_args()
    chosen = [p for p in PAGES if not args.pages or p.name in args.pages]
    with cluster() as (cluster_url, _data):
        url = database.create(cluster_url, "bench_profile")
        database.migrate(url)
        seed.seed(database.plain(url), seed.Size(coaches=1))
        app = probe.make_app(url)
        for page in chosen:
            _profile(app, page, args)


def _profile(app, page, args) -> None:
    targets = probe.pick_targets(app, page)
    if page.method != "GET":
        targets = [
            target
            for target in probe.pick_targets(
                app, type(page)(**{**page.__dict__, "targets": args.requests})
            )
        ]
    email = targets[0][0]
    client = app.test_client()
    client.post("/login", data={"email": email, "password": seed.PASSWORD})
    headers = {"HX-Request": "true"} if page.fragment else {}
    paths = [path for mail, path in targets if mail == email] or [targets[0][1]]
    if page.method == "GET":
        paths = (paths * args.requests)[: args.requests]

    numbers = itertools.count(1)  # every save changes its entry, on each run too

    def run():
        for path in paths:
            client.open(
                path,
                method=page.method,
                data=page.body_for(next(numbers)),
                content_type="application/x-www-form-urlencoded" if page.body is not None else None,
                headers=headers,
            )

    if args.queries:
        with counted_queries(app) as statements:
            run_one = paths[:1]
            paths[:] = run_one
            run()
        print(f"\n== {page.name}: {len(statements)} statements")
        for n, statement in enumerate(statements, 1):
            print(f"-- {n}\n{statement}")
        return
    if args.time:
        run()  # warm up: first-use compilation and caches
        started = time.perf_counter()
        run()
        elapsed = time.perf_counter() - started
        print(f"{page.name:<26} {elapsed / len(paths) * 1000:6.2f} ms per request")
        return
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.runcall(run)
    elapsed = time.perf_counter() - started
    print(f"\n== {page.name}: {len(paths)} requests, {elapsed / len(paths) * 1000:.2f} ms each")
    pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
