"""Time the floor, the child overview, the plan page and the start page in-process, with their SQL statements.

Usage (from the repository root, on a database `demo_data` has built, e.g. 20 000 children):

    .venv/bin/python bench/profile_page.py --database-url postgres://postgres@127.0.0.1:5432/samplan_pages
    .venv/bin/python bench/profile_page.py --requests 200 --show-sql        # also print each page's statements

Each page is requested through Django's test `Client` in this process (no server, no network, no
concurrency), signed in with a verified (two-factor) session written straight into the session store,
as `bench/overview.py` does. The overview and plan pages cycle through children and plans the user may
open. It prints the median and p95 wall time of each page, the median CPU time of this process (Django's
own work, less disturbed by other load on the machine than the wall time), their ratios to the floor,
the number of SQL statements one request runs, and the load average. Use it to see what one request
costs; `bench/overview.py` measures the server under concurrent load.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import itertools
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _run_module():
    """Load bench/run.py (its personas, sessions and environment) as a module."""
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/samplan_bench")
    parser.add_argument("--requests", type=int, default=200, help="Measured requests per page.")
    parser.add_argument("--warmup", type=int, default=20, help="Unmeasured requests per page first.")
    parser.add_argument("--seed", type=int, default=1, help="Seed for choosing users and children.")
    parser.add_argument("--show-sql", action="store_true", help="Print the SQL statements of one request per page.")
    parser.add_argument(
        "--profile", metavar="PAGE", help="Also profile this page's measured requests (cProfile), printing the top 40."
    )
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    bench = _run_module()
    bench.require_loopback(args.database_url)
    bench.configure_environment(args.database_url)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    picks = bench.Picks(users=1, seed=args.seed)
    viewer, planner = picks.staff[0], picks.plans[0]
    pages = {
        "floor": (viewer, itertools.cycle([bench.FLOOR_PATH])),
        "overview": (viewer, itertools.cycle(bench.OVERVIEW_PATH.format(child_id=c) for c in viewer.paths)),
        "plan": (planner, itertools.cycle(planner.paths)),
        "start": (viewer, itertools.cycle([bench.START_PATH])),
        "start_largest": (picks.largest_caseload[0], itertools.cycle([bench.START_PATH])),
    }
    print(f"overview as {viewer.username} ({viewer.role}), plan as {planner.username} ({planner.role})")
    results = {}
    for name, (persona, paths) in pages.items():
        client = Client(raise_request_exception=True)
        client.cookies[settings.SESSION_COOKIE_NAME] = persona.cookie
        for _ in range(args.warmup):
            assert client.get(next(paths)).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            assert client.get(next(paths)).status_code == 200
        count = len(queries.captured_queries)  # read now: the next request empties the log
        if args.show_sql:
            print(f"\n--- {name}: {count} statements")
            for number, query in enumerate(queries.captured_queries, start=1):
                print(f"{number:3}. {query['sql'][:300]}")
        times, cpu = [], []
        profiler = cProfile.Profile() if args.profile == name else None
        if profiler:
            profiler.enable()
        for _ in range(args.requests):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(next(paths))
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200
        if profiler:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(r"^(?!.*site-packages)", 60)
        times.sort()
        p95 = times[int(0.95 * (len(times) - 1))]
        results[name] = (statistics.median(times), p95, statistics.median(cpu), count)
    floor, floor_cpu = results["floor"][0], results["floor"][2]
    load = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"\nload average {load}; wall time of the request, and this process's CPU time (Django, not PostgreSQL)")
    print(f"{'page':14} {'p50 ms':>8} {'p95 ms':>8} {'ratio p50':>10} {'CPU ms':>8} {'ratio CPU':>10} {'queries':>8}")
    for name, (p50, p95, cpu_ms, count) in results.items():
        print(f"{name:14} {p50:8.1f} {p95:8.1f} {p50 / floor:10.2f} {cpu_ms:8.1f} {cpu_ms / floor_cpu:10.2f} {count:8}")


if __name__ == "__main__":
    main()
