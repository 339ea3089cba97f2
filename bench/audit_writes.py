"""Benchmark audit-log write throughput with many concurrent writers on PostgreSQL.

Usage (from the repository root, PostgreSQL listening on 127.0.0.1:5432):

    .venv/bin/python bench/audit_writes.py                          # 20 writers, 1 and 5 rows per transaction
    .venv/bin/python bench/audit_writes.py --seconds 30 --threads 20 --rows 1
    .venv/bin/python bench/audit_writes.py --project /tmp/samplan-old --database-url postgres://…/samplan_bench_old

What it does, in one run:
1. creates the database if it is missing (default postgres://postgres@127.0.0.1:5432/samplan_bench_audit) and
   migrates it;
2. for each scenario (rows per transaction), starts the writer threads, each with its own database connection,
   and has each run transactions that write that many audit rows through `audit.log` (`deferred()` and
   `record()`, exactly as a child-data request does) for the given time, after a short warm-up;
3. prints transactions and rows per second and p50/p95/p99 of the transaction time (begin to commit, so lock
   waits, the insert and the commit), and the load average before and after;
4. checks the chains with `audit.log.verify()` and writes a JSON file to bench/results/.
`--project` measures another checkout of the code (for example the previous audit chain) with this driver; give
it a database of its own. Only loopback addresses are used. See docs/benchmark.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from datetime import UTC, datetime
from pathlib import Path

from run import ensure_database, percentile, require_loopback

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/samplan_bench_audit"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help="PostgreSQL on a loopback address.")
    parser.add_argument("--threads", type=int, default=20, help="Concurrent writers, one connection each.")
    parser.add_argument("--seconds", type=float, default=20, help="Measured time per scenario.")
    parser.add_argument("--warmup", type=float, default=3, help="Unmeasured time per scenario first.")
    parser.add_argument(
        "--rows", type=int, action="append", help="Audit rows per transaction (repeatable; default 1 and 5)."
    )
    parser.add_argument("--project", type=Path, help="Measure the code of this checkout instead of this one.")
    return parser.parse_args()


def prepare(args: argparse.Namespace, project: Path) -> None:
    """Create and migrate the database, then set Django up with the measured checkout's code."""
    env = {
        "DATABASE_URL": args.database_url,
        "SAMPLAN_ENV": "development",
        "DEBUG": "0",
        "DB_CONN_MAX_AGE": "600",
        "DJANGO_SETTINGS_MODULE": "samplan.settings",
        "LOG_LEVEL": "ERROR",
    }
    os.environ.update(env)
    ensure_database(args.database_url)
    manage = [sys.executable, str(project / "manage.py"), "migrate", "--verbosity", "0"]
    subprocess.run(manage, cwd=project, env={**os.environ, **env}, check=True)
    sys.path.insert(0, str(project))
    import django

    django.setup()


def writer(rows: int, stop: threading.Event, measure_from: float, out: list[float], errors: list[BaseException]):
    """Write transactions of `rows` audit rows until told to stop; record the times of those after the warm-up."""
    from django.db import connection

    from audit import log as audit

    actor = audit.Actor(user_id=1, username="bench", unit_name="Östra skolan", authority_id=1, authority_name="BUN")
    try:
        while not stop.is_set():
            started = time.perf_counter()
            with audit.deferred():
                for _ in range(rows):
                    audit.record(
                        actor=actor,
                        action="read",
                        surface="page",
                        target="bench:audit_writes",
                        basis="named_person",
                        child_id=uuid.uuid4(),
                    )
            finished = time.perf_counter()
            if started >= measure_from:
                out.append((finished - started) * 1000)
    except BaseException as exc:  # reported by the main thread
        errors.append(exc)
    finally:
        connection.close()


def run_scenario(rows: int, args: argparse.Namespace) -> dict:
    stop = threading.Event()
    measure_from = time.perf_counter() + args.warmup
    latencies: list[list[float]] = [[] for _ in range(args.threads)]
    errors: list[BaseException] = []
    threads = [
        threading.Thread(target=writer, args=(rows, stop, measure_from, latencies[index], errors))
        for index in range(args.threads)
    ]
    load_before = os.getloadavg()
    for thread in threads:
        thread.start()
    time.sleep(args.warmup + args.seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]
    samples = [value for values in latencies for value in values]
    stats = {
        "rows_per_transaction": rows,
        "transactions": len(samples),
        "seconds": args.seconds,
        "transactions_per_second": round(len(samples) / args.seconds, 1),
        "rows_per_second": round(len(samples) * rows / args.seconds, 1),
        "transaction_ms": {f"p{int(q * 100)}": round(percentile(samples, q), 2) for q in (0.5, 0.95, 0.99)},
        "load_average_before_after": [load_before, os.getloadavg()],
    }
    ms = stats["transaction_ms"]
    print(
        f"{rows} row(s) per transaction, {args.threads} writers: {stats['transactions_per_second']} transactions/s "
        f"({stats['rows_per_second']} rows/s); transaction ms p50 {ms['p50']}  p95 {ms['p95']}  p99 {ms['p99']}; "
        f"load {load_before[0]:.2f} → {os.getloadavg()[0]:.2f}"
    )
    return stats


def chains_used() -> int | None:
    """How many chains the log's rows are in (None for code with a single chain)."""
    from audit.models import AuditEvent

    if not any(field.name == "stripe" for field in AuditEvent._meta.get_fields()):
        return None
    return AuditEvent.objects.values("stripe").distinct().count()


def main() -> None:
    args = parse_args()
    require_loopback(args.database_url)
    project = (args.project or ROOT).resolve()
    prepare(args, project)
    from audit import log as audit
    from audit.models import AuditEvent

    commit = subprocess.run(
        ["git", "-C", str(project), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    rows_before = AuditEvent.objects.count()
    print(f"Measuring the audit log of {project} ({commit or 'not a git checkout'}); {rows_before} rows before.")
    results = [run_scenario(rows, args) for rows in args.rows or [1, 5]]
    started = time.perf_counter()
    checked, problem = audit.verify()
    verify_seconds = round(time.perf_counter() - started, 1)
    outcome = "intact" if problem is None else problem
    print(f"Verified {checked} rows in {verify_seconds} s: {outcome}; rows in {chains_used() or 'one'} chain(s).")
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "project": str(project),
        "commit": commit,
        "config": {"threads": args.threads, "seconds": args.seconds, "warmup": args.warmup}
        | {"database": urllib.parse.urlsplit(args.database_url).path.lstrip("/")},
        "results": results,
        "verified_rows": checked,
        "verify_seconds": verify_seconds,
        "chain_intact": problem is None,
        "chains_used": chains_used(),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"audit-writes-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"Results written to {out.relative_to(ROOT)}.")
    if problem is not None:
        sys.exit(1)


if __name__ == "__main__":
    main()
