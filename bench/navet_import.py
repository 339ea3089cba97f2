"""Benchmark the population-register import: a Navet-shaped file of N children, its time and peak memory.

Usage (from the repository root, PostgreSQL listening on 127.0.0.1:5432):

    .venv/bin/python bench/navet_import.py --children 20000
    .venv/bin/python bench/navet_import.py --children 200000 --database-url postgres://postgres@127.0.0.1:5432/x

What it does:
1. creates the database if it is missing (default samplan_bench_navet) and migrates it; a municipality
   "Benchköping" (code 9998) is created, and its children from an earlier run are kept (the second
   import of the same file is then the idempotent case);
2. writes a Navet-shaped file of N children (test-range numbers: serials 980-999 of every birth date of
   the last 17 years, then the same as samordningsnummer), two guardians for every pair of siblings;
3. imports it twice through `imports.navet.import_file` (the command's path): the first run creates
   everything, the second finds nothing to change; prints the time, the rate and the peak resident
   memory (resource.getrusage), and with --tracemalloc the Python heap's peak (slower);
4. writes a JSON file to bench/results/. Only loopback addresses are used. See docs/imports.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from run import configure_environment, ensure_database, manage, require_loopback

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/samplan_bench_navet"
CODE = "9998"
SERIALS = range(980, 1000)  # Skatteverket's test range


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--children", type=int, default=20000)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help="PostgreSQL on a loopback address.")
    parser.add_argument("--tracemalloc", action="store_true", help="Also trace the Python heap (slower).")
    parser.add_argument("--once", action="store_true", help="Import once only (skip the idempotent second run).")
    return parser.parse_args()


def child_numbers(count: int, produced: date):
    from core.personnummer import with_check_digit

    for coordination in (False, True):
        for days in range(30, 17 * 365):
            born = produced - timedelta(days=days)
            for serial in SERIALS:
                if count == 0:
                    return
                count -= 1
                yield with_check_digit(born, serial, coordination=coordination)
    raise SystemExit("Too many children for the test range.")


def adult_number(index: int) -> str:
    from core.personnummer import with_check_digit

    born = date(1970, 1, 1) + timedelta(days=index // len(SERIALS))
    return with_check_digit(born, SERIALS[index % len(SERIALS)])


def posts(count: int, produced: date):
    from imports.navet_file import ChildPost, GuardianPost

    for index, number in enumerate(child_numbers(count, produced)):
        family = index // 2  # siblings in pairs share their guardians
        guardians = [
            GuardianPost(adult_number(2 * family), "Anna", f"Familj{family}", date(2000, 1, 1)),
            GuardianPost(adult_number(2 * family + 1), "Björn", f"Familj{family}", date(2000, 1, 1)),
        ]
        yield ChildPost(number, f"Barn{index}", f"Familj{family}", CODE, date(2010, 1, 1), guardians=guardians)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def import_once(path: Path, *, trace: bool) -> dict:
    from imports import navet, runs
    from imports.models import ImportRun

    run = runs.run_start(kind=ImportRun.Kind.NAVET, source_name=path.name, dry_run=False)
    rss_before = peak_rss_mb()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    with path.open("rb") as stream:
        run = navet.import_file(stream, run)
    seconds = time.perf_counter() - started
    heap = tracemalloc.get_traced_memory()[1] / 1024 / 1024 if trace else None
    if trace:
        tracemalloc.stop()
    if run.status != ImportRun.Status.DONE:
        raise SystemExit(f"Import failed: {run.error}")
    return {
        "seconds": round(seconds, 1),
        "children_per_second": round(run.total / seconds, 1),
        "peak_rss_mb_before": round(rss_before, 1),
        "peak_rss_mb_after": round(peak_rss_mb(), 1),
        "python_heap_peak_mb": round(heap, 1) if heap is not None else None,
        "counts": run.counts,
    }


def main() -> None:
    args = parse_args()
    require_loopback(args.database_url)
    env = configure_environment(args.database_url)
    ensure_database(args.database_url)
    manage(env, "migrate", "--verbosity", "0")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from organisations.models import Municipality

    Municipality.objects.get_or_create(code=CODE, defaults={"name": "Benchköping"})
    produced = datetime.now(UTC).date()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"navet-{args.children}.xml"
        started = time.perf_counter()
        from imports.navet_file import write

        with path.open("w", encoding="utf-8") as out:
            write(out, produced_on=produced, municipality_code=CODE, posts=posts(args.children, produced))
        generated = time.perf_counter() - started
        size_mb = path.stat().st_size / 1024 / 1024
        print(
            f"Wrote {args.children} children, {size_mb:.1f} MB, in {generated:.1f} s (peak RSS {peak_rss_mb():.0f} MB)"
        )
        results = {"first": import_once(path, trace=args.tracemalloc)}
        print("First import:", json.dumps(results["first"], ensure_ascii=False))
        if not args.once:
            results["again"] = import_once(path, trace=args.tracemalloc)
            print("Same file again:", json.dumps(results["again"], ensure_ascii=False))
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    out = RESULTS / f"navet-import-{args.children}-{stamp}.json"
    out.write_text(
        json.dumps(
            {
                "children": args.children,
                "file_mb": round(size_mb, 1),
                "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0], "platform": platform.platform()},
                "load_average": os.getloadavg(),
                **results,
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    print(f"Wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
