"""Benchmark the child overview page against the framework floor on a 200 000-child municipality.

Usage (from the repository root, PostgreSQL listening on 127.0.0.1:5432):

    .venv/bin/python bench/overview.py                       # build the municipality, then measure
    .venv/bin/python bench/overview.py --reuse               # measure on the data a previous run built
    .venv/bin/python bench/overview.py --requests 1000 --workers 3 --database-url postgres://...

What it does, in one run:
1. creates the database if it is missing (default postgres://postgres@127.0.0.1:5432/samplan_bench), migrates
   it and runs `manage.py demo_data --children 200000 --reset` (skipped with --reuse when children exist);
2. starts gunicorn (samplan.wsgi, development settings with DEBUG=0) on a free loopback port;
3. writes verified (two-factor) sessions for 20 staff users straight into the session store;
4. with 20 concurrent client threads, requests the framework floor `/halsa/inloggad/` (a minimal authenticated,
   database-backed view), the child overview page `/barn/<uuid>/` for children each user may see, and the plan
   page `/planer/barn/<uuid>/<plan>/` of children with an active plan, as staff of the plan's authority who see
   the child, after a warm-up; the server time comes from the `Server-Timing: app;dur=…` header, the client
   time from the clock;
5. prints p50/p95/p99 of each, the overview/floor and plan/floor ratios of the medians and p95s, requests per
   second and the SQL query counts of one overview and one plan page (measured in-process), and writes a JSON
   file to bench/results/.
Gunicorn is stopped at the end whatever happens. Only loopback addresses are used. See docs/benchmark.md.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import itertools
import json
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.client import HTTPConnection, HTTPException
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/samplan_bench"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
FLOOR_PATH = "/halsa/inloggad/"
OVERVIEW_PATH = "/barn/{child_id}/"
PLAN_PATH = "/planer/barn/{child_id}/{plan_id}/"
CHILDREN_PER_USER = 50
# The public guide "Var vänder jag mig?" for a few ages and worries, in both languages.
GUIDE_PATHS = [
    "/var-vander-jag-mig/",
    "/var-vander-jag-mig/?alder=7&oro=kanslor",
    "/var-vander-jag-mig/?alder=0",
    "/var-vander-jag-mig/?alder=14&oro=beteende",
    "/var-vander-jag-mig/?sprak=en&alder=3&oro=hemma",
]
SCENARIOS = ("floor", "overview", "plan", "guide")
# Roles whose work is with individual children; the benchmark signs in as these.
CHILD_ROLES = ("head_teacher", "child_health_nurse", "midwife", "social_worker", "practitioner")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help="PostgreSQL on a loopback address.")
    parser.add_argument("--children", type=int, default=200_000, help="Children in the generated municipality.")
    parser.add_argument("--seed", type=int, default=1, help="Seed for demo_data.")
    parser.add_argument("--reuse", action="store_true", help="Keep the data already in the database, if any.")
    parser.add_argument("--users", type=int, default=20, help="Concurrent client threads, one staff user each.")
    parser.add_argument("--requests", type=int, default=2000, help="Measured requests per scenario.")
    parser.add_argument("--warmup", type=int, default=200, help="Unmeasured requests per scenario first.")
    parser.add_argument("--max-seconds", type=float, default=300, help="Stop a scenario after this long.")
    parser.add_argument("--workers", type=int, default=4, help="Gunicorn worker processes.")
    parser.add_argument("--threads", type=int, default=1, help="Threads per worker (more than 1 uses gthread).")
    parser.add_argument("--scenario", choices=SCENARIOS, action="append", help="Run only this scenario (repeatable).")
    return parser.parse_args()


def require_loopback(database_url: str) -> None:
    host = urllib.parse.urlsplit(database_url).hostname or ""
    if host not in LOOPBACK:
        sys.exit(f"The benchmark only talks to loopback addresses; {host!r} is not one.")


def configure_environment(database_url: str) -> dict[str, str]:
    """Set the environment the Django process and gunicorn share: development settings, no debug."""
    env = {
        "DATABASE_URL": database_url,
        "SAMPLAN_ENV": "development",
        "SAMPLAN_DEMO": "1",
        "DEBUG": "0",
        "DB_CONN_MAX_AGE": "600",
        "DJANGO_SETTINGS_MODULE": "samplan.settings",
        "LOG_LEVEL": "ERROR",
    }
    os.environ.update(env)
    return {**os.environ, **env}


def ensure_database(database_url: str) -> None:
    """Create the database if it does not exist (connecting to the server's postgres database)."""
    import psycopg

    parts = urllib.parse.urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            print(f"Creating database {name} …")
            conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env, check=True)


def prepare_data(args: argparse.Namespace, env: dict[str, str]) -> int:
    """Create and migrate the database, build the municipality unless reusing one; return the child count."""
    ensure_database(args.database_url)
    manage(env, "migrate", "--verbosity", "0")
    import django

    django.setup()
    from django.db import connection

    from people.models import Child

    existing = Child.objects.count()
    if args.reuse and existing:
        print(f"Reusing the {existing} children already in the database.")
        return existing
    connection.close()  # demo_data empties the tables; hold nothing open meanwhile
    print(f"Building the municipality with {args.children} children (this takes a few minutes) …")
    started = time.monotonic()
    manage(env, "demo_data", "--children", str(args.children), "--seed", str(args.seed), "--reset")
    print(f"Built in {time.monotonic() - started:.0f} s.")
    return Child.objects.count()


# Sessions and targets ------------------------------------------------------------------------------------


@dataclass
class Persona:
    username: str
    role: str
    cookie: str
    children: list[str] = field(default_factory=list)
    plans: list[str] = field(default_factory=list)  # plan page paths the user may open


def pick_personas(count: int, rng: random.Random) -> list[Persona]:
    """Choose staff users who see children, spread over roles, each with a sample of children they may see."""
    from organisations.models import Membership
    from sharing.policy import visible_children

    by_role: dict[str, list] = {role: [] for role in CHILD_ROLES}
    memberships = Membership.objects.filter(role__in=CHILD_ROLES, valid_to__isnull=True).select_related("user")
    for membership in memberships.order_by("user__username"):
        if membership.user not in by_role[membership.role]:
            by_role[membership.role].append(membership.user)
    personas: list[Persona] = []
    for user in round_robin(list(by_role.values())):
        if len(personas) == count:
            break
        ids = [str(pk) for pk in visible_children(user).values_list("pk", flat=True)[:1000]]
        if not ids:
            continue
        role = next(role for role, users in by_role.items() if user in users)
        sample = rng.sample(ids, min(CHILDREN_PER_USER, len(ids)))
        personas.append(Persona(user.username, role, verified_session(user), sample))
    if len(personas) < count:
        sys.exit(f"Only {len(personas)} staff users see any child; the benchmark needs {count}.")
    return personas


def pick_plan_personas(count: int, rng: random.Random) -> list[Persona]:
    """Choose staff who may open active plans: staff of the plan's authority with a relation to the child.

    The plan is read through `records_for_user` like any record of the owning authority (a user of
    another authority would need the family's consent). The candidates are the staff who started
    the most active plans (the children's named persons); each persona gets up to CHILDREN_PER_USER
    of the active plans of its own authorities whose child it sees.
    """
    from django.db.models import Count

    from accounts.models import User
    from plans.models import ChildPlan, Status
    from sharing.policy import memberships, visible_children

    active = ChildPlan.objects.filter(status=Status.ACTIVE)
    starters = (
        active.values("created_by").annotate(plans=Count("pk")).order_by("-plans", "created_by").values("created_by")
    )
    personas: list[Persona] = []
    for user in User.objects.filter(pk__in=starters[: count * 3]).order_by("username"):
        if len(personas) == count:
            break
        current = memberships(user).select_related("unit").order_by("pk")
        authorities = {membership.unit.authority_id for membership in current}
        plans = active.filter(owner_authority__in=authorities, child__in=visible_children(user)).order_by("pk")
        paths = [PLAN_PATH.format(child_id=child, plan_id=pk) for pk, child in plans.values_list("pk", "child_id")]
        if not paths:
            continue
        sample = rng.sample(paths, min(CHILDREN_PER_USER, len(paths)))
        personas.append(Persona(user.username, current.first().role, verified_session(user), plans=sample))
    if not personas:
        sys.exit("No staff user may open an active plan; run demo_data again (it makes plans since 2026-11).")
    return personas


def round_robin(groups: list[list]) -> Iterator:
    for row in itertools.zip_longest(*groups):
        yield from (item for item in row if item is not None)


def verified_session(user) -> str:
    """Write a signed-in, two-factor-verified session for the user to the session store; return its key."""
    from django.conf import settings
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.middleware import LOGIN_AT_KEY

    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        sys.exit(f"{user.username} has no confirmed TOTP device; run demo_data again.")
    session = importlib.import_module(settings.SESSION_ENGINE).SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[LOGIN_AT_KEY] = time.time()
    session.save()
    return session.session_key


def page_query_count(persona: Persona, path: str) -> tuple[int, int]:
    """Render one page in-process and return (status, number of SQL queries)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(raise_request_exception=False)
    client.cookies[settings.SESSION_COOKIE_NAME] = persona.cookie
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response.status_code, len(queries.captured_queries)


# The server ----------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env: dict[str, str], workers: int, threads: int) -> Iterator[int]:
    """Run gunicorn on a free loopback port for the duration of the block; always stop it."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "samplan.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--timeout",
        "120",
    ]
    if threads > 1:
        command += ["--worker-class", "gthread", "--threads", str(threads)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally below on SIGTERM too
    try:
        wait_for_port(port, process)
        print(f"gunicorn (pid {process.pid}) on 127.0.0.1:{port} with {workers} worker(s) × {threads} thread(s).")
        yield port
    finally:
        stop(process)
        signal.signal(signal.SIGTERM, previous)


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not start listening within a minute")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    print("gunicorn stopped.")


# The load ------------------------------------------------------------------------------------------------


@dataclass
class Sample:
    status: int
    client_ms: float
    server_ms: float | None


def fetch(port: int, path: str, cookie_name: str, cookie: str) -> Sample:
    # A new connection per request: gunicorn's sync workers close the connection after each response.
    started = time.perf_counter()
    connection = HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers={"Cookie": f"{cookie_name}={cookie}"})
        response = connection.getresponse()
        response.read()
        timing = response.getheader("Server-Timing") or ""
    finally:
        connection.close()
    client_ms = (time.perf_counter() - started) * 1000
    server_ms = None
    if timing.startswith("app;dur="):
        server_ms = float(timing.removeprefix("app;dur="))
    return Sample(response.status, client_ms, server_ms)


def run_scenario(
    port: int, personas: list[Persona], paths, *, total: int, max_seconds: float, cookie_name: str
) -> tuple[list[Sample], float]:
    """Send `total` requests from one thread per persona; return the samples and the wall time."""
    counter = itertools.count()
    lock = threading.Lock()
    samples: list[Sample] = []
    deadline = time.monotonic() + max_seconds

    def client(persona: Persona) -> None:
        own = itertools.cycle(paths(persona))
        while time.monotonic() < deadline:
            with lock:
                if next(counter) >= total:
                    return
            started = time.perf_counter()
            try:
                sample = fetch(port, next(own), cookie_name, persona.cookie)
            except (OSError, HTTPException):  # a timeout or a dropped connection counts as an error
                sample = Sample(0, (time.perf_counter() - started) * 1000, None)
            with lock:
                samples.append(sample)

    threads = [threading.Thread(target=client, args=(persona,), daemon=True) for persona in personas]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples, time.monotonic() - started


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def summarise(samples: list[Sample], seconds: float) -> dict:
    ok = [s for s in samples if s.status == 200]
    server = [s.server_ms for s in ok if s.server_ms is not None]
    client = [s.client_ms for s in ok]
    stats = {"requests": len(samples), "ok": len(ok), "errors": len(samples) - len(ok), "seconds": round(seconds, 2)}
    stats["requests_per_second"] = round(len(ok) / seconds, 1) if seconds else 0.0
    for name, values in (("server_ms", server), ("client_ms", client)):
        if values:
            stats[name] = {f"p{int(q * 100)}": round(percentile(values, q), 2) for q in (0.5, 0.95, 0.99)}
            stats[name]["mean"] = round(sum(values) / len(values), 2)
    return stats


def measure(port: int, personas: list[Persona], plan_personas: list[Persona], args: argparse.Namespace) -> dict:
    from django.conf import settings

    cookie_name = settings.SESSION_COOKIE_NAME
    scenarios = {
        "floor": lambda persona: [FLOOR_PATH],
        "overview": lambda persona: [OVERVIEW_PATH.format(child_id=child) for child in persona.children],
        "plan": lambda persona: persona.plans,
        "guide": lambda persona: GUIDE_PATHS,
    }
    scenarios = {name: paths for name, paths in scenarios.items() if name in args.scenario}
    who = {name: plan_personas if name == "plan" else personas for name in scenarios}
    for name, paths in scenarios.items():
        for persona in who[name][:3]:
            status = fetch(port, paths(persona)[0], cookie_name, persona.cookie).status
            if status != 200:
                raise RuntimeError(f"{name} answered {status} for {persona.username}; is the page built and allowed?")
    results = {}
    for name, paths in scenarios.items():
        users = who[name]
        run_scenario(port, users, paths, total=args.warmup, max_seconds=args.max_seconds, cookie_name=cookie_name)
        samples, seconds = run_scenario(
            port, users, paths, total=args.requests, max_seconds=args.max_seconds, cookie_name=cookie_name
        )
        results[name] = summarise(samples, seconds)
        print_scenario(name, results[name])
    return results


def print_scenario(name: str, stats: dict) -> None:
    rate = stats["requests_per_second"]
    print(f"\n{name}: {stats['ok']} ok, {stats['errors']} errors in {stats['seconds']} s ({rate} req/s)")
    for kind in ("server_ms", "client_ms"):
        if kind in stats:
            values = stats[kind]
            print(f"  {kind:<10} p50 {values['p50']:>8.2f}  p95 {values['p95']:>8.2f}  p99 {values['p99']:>8.2f}")


def ratios(results: dict, page: str = "overview") -> dict:
    """Return the page/floor ratios of the medians and p95s, server and client time."""
    out = {}
    if not {"floor", page} <= set(results):
        return out
    for kind in ("server_ms", "client_ms"):
        floor, measured = results["floor"].get(kind), results[page].get(kind)
        if floor and measured:
            out[kind] = {q: round(measured[q] / floor[q], 2) for q in ("p50", "p95") if floor[q]}
    return out


def main() -> None:
    args = parse_args()
    require_loopback(args.database_url)
    env = configure_environment(args.database_url)
    sys.path.insert(0, str(ROOT))
    children = prepare_data(args, env)
    rng = random.Random(args.seed)
    personas = pick_personas(args.users, rng)
    args.scenario = args.scenario or list(SCENARIOS)
    plan_personas = pick_plan_personas(args.users, rng) if "plan" in args.scenario else []
    query_count = plan_query_count = None
    if "overview" in args.scenario:
        status, query_count = page_query_count(personas[0], OVERVIEW_PATH.format(child_id=personas[0].children[0]))
        if status != 200:
            sys.exit(f"The overview page answered {status} in-process; fix it before measuring.")
        print(f"Overview page: {query_count} SQL queries (in-process, one child).")
    if "plan" in args.scenario:
        status, plan_query_count = page_query_count(plan_personas[0], plan_personas[0].plans[0])
        if status != 200:
            sys.exit(f"The plan page answered {status} in-process; fix it before measuring.")
        plans = sum(len(p.plans) for p in plan_personas)
        users = len(plan_personas)
        print(f"Plan page: {plan_query_count} SQL queries (in-process, one plan); {users} users, {plans} plans.")
    load_before = os.getloadavg()  # the figures mean little on a machine busy with other work
    with gunicorn(env, args.workers, args.threads) as port:
        results = measure(port, personas, plan_personas, args)
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "children": children,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "config": {k: v for k, v in vars(args).items() if k != "database_url"}
        | {"database": urllib.parse.urlsplit(args.database_url).path.lstrip("/")},
        "load_average_before_after": [load_before, os.getloadavg()],
        "users": [{"username": p.username, "role": p.role, "children": len(p.children)} for p in personas],
        "plan_users": [{"username": p.username, "role": p.role, "plans": len(p.plans)} for p in plan_personas],
        "overview_queries": query_count,
        "plan_queries": plan_query_count,
        "results": results,
        "ratio_overview_to_floor": ratios(results),
        "ratio_plan_to_floor": ratios(results, "plan"),
        "ratio_guide_to_floor": ratios(results, "guide"),
    }
    print("\nRatio overview / floor:", json.dumps(result["ratio_overview_to_floor"]))
    print("Ratio plan / floor:", json.dumps(result["ratio_plan_to_floor"]))
    print("Ratio guide / floor:", json.dumps(result["ratio_guide_to_floor"]))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"overview-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"Results written to {out.relative_to(ROOT)}.")


if __name__ == "__main__":
    main()
