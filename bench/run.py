"""Benchmark Samplan's pages against the framework floor on a 200 000-child municipality: one entry point.

Usage (from the repository root, PostgreSQL listening on 127.0.0.1:5432):

    .venv/bin/python bench/run.py                            # build the municipality, then measure every scenario
    .venv/bin/python bench/run.py --reuse --requests 500     # measure on the data a previous run built
    .venv/bin/python bench/run.py --reuse --record "after: …"   # and append a row to docs/benchmark.md's history
    .venv/bin/python bench/run.py --reuse --memory 10000     # one gunicorn worker's memory over 10 000 requests
    .venv/bin/python bench/plans.py --reuse                  # fail if a page's query plan costs too much

What a measuring run does:
1. creates the database if it is missing (default postgres://postgres@127.0.0.1:5432/samplan_bench), migrates
   it and runs `manage.py demo_data --children 200000 --reset` (skipped with --reuse when children exist);
2. picks, for each scenario in SCENARIOS, the staff users and the paths they request, and writes verified
   (two-factor) sessions for them straight into the session store (the API scenario gets bearer tokens);
3. counts the SQL queries of one request per scenario in-process;
4. starts gunicorn (samplan.wsgi, development settings with DEBUG=0, JIT off) on a free loopback port;
5. per scenario, after a warm-up, sends the measured requests from concurrent client threads; the server time
   comes from the `Server-Timing: app;dur=…` header, the client time from the clock;
6. prints p50/p95/p99, requests per second, the ratios to the floor (p50 and p95) and the query counts, with the
   load average before and after, and writes a JSON file to bench/results/.
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
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from http.client import HTTPConnection, HTTPException
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
HISTORY = ROOT / "docs" / "benchmark.md"
HISTORY_MARKER = "<!-- bench/run.py --record appends rows above this line -->"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/samplan_bench"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
FLOOR_PATH = "/halsa/inloggad/"
OVERVIEW_PATH = "/barn/{child_id}/"
PLAN_PATH = "/planer/barn/{child_id}/{plan_id}/"
LIST_PATH = "/barn/"
API_CHILD_PATH = "/api/v1/children/{child_id}"
CHILDREN_PER_USER = 50
# Roles whose work is with individual children; the benchmark signs in as these.
CHILD_ROLES = ("head_teacher", "child_health_nurse", "midwife", "social_worker", "practitioner")
LARGEST_CASELOAD_USER = "rektor.stor"  # demo.world.LARGEST_CASELOAD: the deliberately huge caseload
MEMORY_GROWTH_LIMIT = 0.10  # flag a worker whose RSS grows more than this share after the warm-up


def parse_args(argv: list[str] | None = None, *, extra: Callable | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help="PostgreSQL on a loopback address.")
    parser.add_argument("--children", type=int, default=200_000, help="Children in the generated municipality.")
    parser.add_argument("--seed", type=int, default=1, help="Seed for demo_data.")
    parser.add_argument("--reuse", action="store_true", help="Keep the data already in the database, if any.")
    parser.add_argument("--users", type=int, default=20, help="Concurrent client threads; staff users per scenario.")
    parser.add_argument("--requests", type=int, default=2000, help="Measured requests per scenario.")
    parser.add_argument("--warmup", type=int, default=200, help="Unmeasured requests per scenario first.")
    parser.add_argument("--max-seconds", type=float, default=300, help="Stop a scenario after this long.")
    parser.add_argument("--workers", type=int, default=4, help="Gunicorn worker processes.")
    parser.add_argument("--threads", type=int, default=1, help="Threads per worker (more than 1 uses gthread).")
    parser.add_argument(
        "--scenario", choices=list(SCENARIOS), action="append", help="Run only this scenario (repeatable)."
    )
    parser.add_argument("--record", metavar="NOTE", help="Append a row with this note to docs/benchmark.md's history.")
    parser.add_argument(
        "--memory",
        type=int,
        metavar="N",
        help="Instead of timing: N mixed requests to one gunicorn worker, reporting its memory (RSS).",
    )
    if extra is not None:
        extra(parser)
    return parser.parse_args(argv)


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
        "SAMPLAN_PG_JIT": "off",  # as production should run (docs/deployment.md)
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


# Users, paths and scenarios ------------------------------------------------------------------------------


@dataclass
class Persona:
    """A staff user as the benchmark signs in: a verified session (or a bearer token) and the paths to request."""

    username: str
    role: str
    paths: list[str]
    cookie: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def with_paths(self, paths: list[str]) -> Persona:
        return Persona(self.username, self.role, paths, self.cookie, dict(self.headers))


class Picks:
    """The users and children the scenarios request, chosen once per run (deterministic for a seed)."""

    def __init__(self, users: int, seed: int) -> None:
        self.users = users
        self.rng = random.Random(seed)  # reproducible choices, no secrets

    @cached_property
    def staff(self) -> list[Persona]:
        """Staff users who see children, spread over roles, each with a sample of children they may see."""
        from organisations.models import Membership
        from sharing.policy import visible_children

        # Each role's users in username order (a dict keeps the order and drops a second membership).
        by_role: dict[str, dict] = {role: {} for role in CHILD_ROLES}
        memberships = Membership.objects.filter(role__in=CHILD_ROLES, valid_to__isnull=True).select_related("user")
        for membership in memberships.exclude(user__username=LARGEST_CASELOAD_USER).order_by("user__username"):
            by_role[membership.role].setdefault(membership.user.pk, (membership.role, membership.user))
        personas: list[Persona] = []
        for role, user in round_robin([list(users.values()) for users in by_role.values()]):
            if len(personas) == self.users:
                break
            ids = [str(pk) for pk in visible_children(user).values_list("pk", flat=True)[:1000]]
            if not ids:
                continue
            sample = self.rng.sample(ids, min(CHILDREN_PER_USER, len(ids)))
            personas.append(Persona(user.username, role, sample, verified_session(user)))
        if len(personas) < self.users:
            sys.exit(f"Only {len(personas)} staff users see any child; the benchmark needs {self.users}.")
        return personas

    @cached_property
    def plans(self) -> list[Persona]:
        """Staff who may open active plans: staff of the plan's authority with a relation to the child.

        The plan is read through `records_for_user` like any record of the owning authority. The
        candidates are the staff who started the most active plans (the children's named persons);
        each gets up to CHILDREN_PER_USER of the active plans of its own authorities whose child it sees.
        """
        from django.db.models import Count

        from accounts.models import User
        from plans.models import ChildPlan, Status
        from sharing.policy import memberships, visible_children

        active = ChildPlan.objects.filter(status=Status.ACTIVE)
        starters = (
            active.values("created_by")
            .annotate(plans=Count("pk"))
            .order_by("-plans", "created_by")
            .values("created_by")
        )
        personas: list[Persona] = []
        for user in User.objects.filter(pk__in=starters[: self.users * 3]).order_by("username"):
            if len(personas) == self.users:
                break
            current = memberships(user).select_related("unit").order_by("pk")
            authorities = {membership.unit.authority_id for membership in current}
            plans = active.filter(owner_authority__in=authorities, child__in=visible_children(user)).order_by("pk")
            paths = [PLAN_PATH.format(child_id=child, plan_id=pk) for pk, child in plans.values_list("pk", "child_id")]
            if paths:
                sample = self.rng.sample(paths, min(CHILDREN_PER_USER, len(paths)))
                personas.append(Persona(user.username, current.first().role, sample, verified_session(user)))
        if not personas:
            sys.exit("No staff user may open an active plan; run demo_data again.")
        return personas

    def one_user(self, user, paths: list[str]) -> list[Persona]:
        """The same user in every client thread (one session), for the scenarios about one caseload."""
        from organisations.models import Membership

        role = Membership.objects.filter(user=user).order_by("pk").values_list("role", flat=True).first()
        return [Persona(user.username, role, paths, verified_session(user))] * self.users

    @cached_property
    def largest_caseload(self) -> list[Persona]:
        """The head teacher with the largest caseload: `rektor.stor`, over every compulsory school of an area."""
        from accounts.models import User

        user = User.objects.filter(username=LARGEST_CASELOAD_USER).first()
        if user is None:
            sys.exit(f"No user {LARGEST_CASELOAD_USER}; build the data again with this version of demo_data.")
        return self.one_user(user, [LIST_PATH])

    @cached_property
    def smallest_caseload(self) -> list[Persona]:
        """An ordinary teacher of the school unit with the fewest children enrolled today."""
        from django.db.models import Count

        from organisations.models import Membership, Role, Unit
        from people.models import Enrolment
        from sharing.policy import current, today

        on = today()
        sizes = (
            Enrolment.objects.filter(current(on, "start", "end"), unit__unit_type=Unit.Type.SCHOOL)
            .values("unit")
            .annotate(children=Count("pk"))
            .order_by("children", "unit")
        )
        for row in sizes:
            teacher = (
                Membership.objects.filter(unit=row["unit"], role=Role.PRACTITIONER, valid_to__isnull=True)
                .order_by("pk")
                .select_related("user")
                .first()
            )
            if teacher is not None:
                return self.one_user(teacher.user, [LIST_PATH])
        sys.exit("No teacher at a school with children; run demo_data again.")

    @cached_property
    def api(self) -> list[Persona]:
        """The staff users with an API token each, for their own children."""
        from accounts.models import User
        from accounts.services import api_token_create

        personas = []
        for persona in self.staff:
            _, raw = api_token_create(user=User.objects.get(username=persona.username), name="Benchmark", days=1)
            paths = [API_CHILD_PATH.format(child_id=child) for child in persona.paths]
            personas.append(Persona(persona.username, persona.role, paths, headers={"Authorization": f"Bearer {raw}"}))
        return personas


@dataclass(frozen=True)
class Scenario:
    """One page measured: a name, what the history column calls it, and the users with their paths."""

    title: str
    personas: Callable[[Picks], list[Persona]]


# The scenarios, in the order they run and appear in the history; a new page is one row. `floor` comes first:
# every other scenario is given as a ratio to it.
START_PATH = "/"
GUIDE_PATHS = [
    "/var-vander-jag-mig/",
    "/var-vander-jag-mig/?alder=7&oro=kanslor",
    "/var-vander-jag-mig/?alder=0",
    "/var-vander-jag-mig/?alder=14&oro=beteende",
    "/var-vander-jag-mig/?sprak=en&alder=3&oro=hemma",
]
SCENARIOS: dict[str, Scenario] = {
    "floor": Scenario("floor", lambda picks: [p.with_paths([FLOOR_PATH]) for p in picks.staff]),
    "overview": Scenario(
        "child overview",
        lambda picks: [p.with_paths([OVERVIEW_PATH.format(child_id=c) for c in p.paths]) for p in picks.staff],
    ),
    "plan": Scenario("plan page", lambda picks: picks.plans),
    "list_largest": Scenario("child list, largest caseload", lambda picks: picks.largest_caseload),
    "list_smallest": Scenario("child list, a teacher", lambda picks: picks.smallest_caseload),
    "api_child": Scenario("API child detail", lambda picks: picks.api),
    # The public guide "Var vänder jag mig?" for a few ages, worries and both languages (no login needed).
    "guide": Scenario("public guide", lambda picks: [p.with_paths(GUIDE_PATHS) for p in picks.staff]),
    # The start page, my work today (core/workspace.py): the staff users, and the largest caseload's head teacher.
    "start": Scenario("start page", lambda picks: [p.with_paths([START_PATH]) for p in picks.staff]),
    "start_largest": Scenario(
        "start page, largest caseload", lambda picks: [p.with_paths([START_PATH]) for p in picks.largest_caseload]
    ),
}


def round_robin(groups: list[list]) -> Iterator:
    for row in itertools.zip_longest(*groups):
        yield from (item for item in row if item is not None)


def jobs(personas: list[Persona]) -> list[tuple[Persona, str]]:
    """Interleave the personas' paths, so consecutive requests come from different users."""
    return list(round_robin([[(persona, path) for path in persona.paths] for persona in personas]))


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


def in_process(persona: Persona, path: str) -> tuple[int, list[str]]:
    """Request one page in-process; return its status and the SQL of every query it ran."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(raise_request_exception=False)
    if persona.cookie:
        client.cookies[settings.SESSION_COOKIE_NAME] = persona.cookie
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, headers=persona.headers)
    return response.status_code, [query["sql"] for query in queries.captured_queries]


# The server ----------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env: dict[str, str], workers: int, threads: int) -> Iterator[tuple[int, subprocess.Popen]]:
    """Run gunicorn on a free loopback port for the duration of the block; yield the port and the master."""
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
        yield port, process
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


def fetch(port: int, persona: Persona, path: str, cookie_name: str) -> Sample:
    # A new connection per request: gunicorn's sync workers close the connection after each response.
    headers = dict(persona.headers)
    if persona.cookie:
        headers["Cookie"] = f"{cookie_name}={persona.cookie}"
    started = time.perf_counter()
    connection = HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers=headers)
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


def run_load(
    port: int, work: list[tuple[Persona, str]], *, total: int, threads: int, max_seconds: float, cookie_name: str
) -> tuple[list[Sample], float]:
    """Send `total` requests, taking the (user, path) pairs in turn, from concurrent client threads."""
    counter = itertools.count()
    lock = threading.Lock()
    samples: list[Sample] = []
    deadline = time.monotonic() + max_seconds

    def client() -> None:
        while time.monotonic() < deadline:
            with lock:
                index = next(counter)
            if index >= total:
                return
            persona, path = work[index % len(work)]
            started = time.perf_counter()
            try:
                sample = fetch(port, persona, path, cookie_name)
            except (OSError, HTTPException):  # a timeout or a dropped connection counts as an error
                sample = Sample(0, (time.perf_counter() - started) * 1000, None)
            with lock:
                samples.append(sample)

    pool = [threading.Thread(target=client, daemon=True) for _ in range(threads)]
    started = time.monotonic()
    for thread in pool:
        thread.start()
    for thread in pool:
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


def check_answers(port: int, chosen: dict[str, list[Persona]], cookie_name: str) -> None:
    """Refuse to measure a scenario whose page does not answer 200 for its users."""
    for name, personas in chosen.items():
        for persona in personas[:3]:
            status = fetch(port, persona, persona.paths[0], cookie_name).status
            if status != 200:
                raise RuntimeError(f"{name} answered {status} for {persona.username}; is the page built and allowed?")


def measure(port: int, chosen: dict[str, list[Persona]], args: argparse.Namespace) -> dict:
    from django.conf import settings

    cookie_name = settings.SESSION_COOKIE_NAME
    check_answers(port, chosen, cookie_name)
    results = {}
    for name, personas in chosen.items():
        work = jobs(personas)
        common = {"threads": args.users, "max_seconds": args.max_seconds, "cookie_name": cookie_name}
        run_load(port, work, total=args.warmup, **common)
        samples, seconds = run_load(port, work, total=args.requests, **common)
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


def ratios(results: dict, page: str) -> dict:
    """Return the page/floor ratios of the medians and p95s, server and client time."""
    out = {}
    if not {"floor", page} <= set(results):
        return out
    for kind in ("server_ms", "client_ms"):
        floor, measured = results["floor"].get(kind), results[page].get(kind)
        if floor and measured:
            out[kind] = {q: round(measured[q] / floor[q], 2) for q in ("p50", "p95") if floor[q]}
    return out


def print_summary(result: dict) -> None:
    """Print one line per scenario: server p50/p95, ratios to the floor, requests per second, queries."""
    print(
        f"\nLoad average (1 min) before → after: {result['load_average_before_after'][0][0]:.1f} → "
        f"{result['load_average_before_after'][1][0]:.1f}"
    )
    print(
        f"{'scenario':<15} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9} {'×floor p50':>11} {'×floor p95':>11} "
        f"{'req/s':>7} {'queries':>8}"
    )
    for name, stats in result["results"].items():
        server = stats.get("server_ms", {})
        ratio = result["ratios_to_floor"].get(name, {}).get("server_ms", {})
        print(
            f"{name:<15} {server.get('p50', 0):>9.1f} {server.get('p95', 0):>9.1f} {server.get('p99', 0):>9.1f} "
            f"{ratio.get('p50', 1.0 if name == 'floor' else 0):>11.2f} "
            f"{ratio.get('p95', 1.0 if name == 'floor' else 0):>11.2f} "
            f"{stats['requests_per_second']:>7.1f} {result['queries'].get(name, '?'):>8}"
        )


# Memory of one worker ------------------------------------------------------------------------------------


def worker_rss(master: subprocess.Popen) -> tuple[int, float]:
    """Return the pid and resident memory (MB) of gunicorn's only worker."""
    import psutil

    workers = psutil.Process(master.pid).children()
    if len(workers) != 1:
        raise RuntimeError(f"expected one gunicorn worker, found {len(workers)}")
    return workers[0].pid, workers[0].memory_info().rss / 2**20


def measure_memory(port: int, master: subprocess.Popen, chosen: dict[str, list[Persona]], args) -> dict:
    """Send mixed requests to one worker; return its RSS after its first request, after the warm-up and every 1 000."""
    from django.conf import settings

    cookie_name = settings.SESSION_COOKIE_NAME
    first = next(iter(chosen.values()))[0]
    fetch(port, first, first.paths[0], cookie_name)  # the worker loads the application on its first request
    pid, start = worker_rss(master)
    check_answers(port, chosen, cookie_name)
    work = list(round_robin([jobs(personas) for personas in chosen.values()]))  # the scenarios in turn
    deadline = time.monotonic() + args.max_seconds  # the whole run's limit here, not each scenario's
    common = {"threads": args.users, "max_seconds": args.max_seconds, "cookie_name": cookie_name}
    run_load(port, work, total=args.warmup, **common)
    _, warm = worker_rss(master)
    print(f"Worker {pid}: {start:.1f} MB after its first request, {warm:.1f} MB after {args.warmup} warm-up requests.")
    checkpoints, errors, done = [], 0, 0
    while done < args.memory and time.monotonic() < deadline:
        batch = min(1000, args.memory - done)
        common["max_seconds"] = deadline - time.monotonic()
        samples, _ = run_load(port, work[done % len(work) :] + work[: done % len(work)], total=batch, **common)
        errors += sum(1 for sample in samples if sample.status != 200)
        done += len(samples)
        same_pid, rss = worker_rss(master)
        if same_pid != pid:
            raise RuntimeError("the gunicorn worker was replaced during the run")
        checkpoints.append({"requests": done, "rss_mb": round(rss, 1)})
        print(f"  after {done:>6} requests: {rss:.1f} MB")
    final = checkpoints[-1]["rss_mb"]
    growth = (final - warm) / warm
    flagged = growth > MEMORY_GROWTH_LIMIT
    verdict = "GROWTH" if flagged else "no growth"
    print(f"RSS {start:.1f} → {warm:.1f} (warm) → {final:.1f} MB after {done} requests: {growth:+.1%}, {verdict}.")
    if done < args.memory:
        print(f"Stopped after {done} of {args.memory} requests: --max-seconds ({args.max_seconds:.0f} s) ran out.")
    return {
        "pid": pid,
        "rss_mb_start": round(start, 1),
        "rss_mb_after_warmup": round(warm, 1),
        "rss_mb_final": final,
        "requests": done,
        "errors": errors,
        "growth_after_warmup": round(growth, 4),
        "growth_limit": MEMORY_GROWTH_LIMIT,
        "flagged": flagged,
        "checkpoints": checkpoints,
    }


# History -------------------------------------------------------------------------------------------------


def commit() -> str:
    """Return the code's short commit, marked when the working tree has changes."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()

    return git("rev-parse", "--short", "HEAD") + (
        "+changes" if git("status", "--porcelain", "--untracked-files=no") else ""
    )


def history_row(result: dict, note: str) -> str:
    """Return the markdown row docs/benchmark.md's history gets for a run."""
    before, after = (load[0] for load in result["load_average_before_after"])
    cells = [
        result["when"][:16].replace("T", " "),
        f"`{result['commit']}`",
        f"{result['children']:,}".replace(",", " "),
        f"{before:.1f} → {after:.1f}",
        str(result["config"]["requests"]),
    ]
    for name in SCENARIOS:
        stats = result["results"].get(name)
        if stats is None or "server_ms" not in stats:
            cells.append("–")
            continue
        server = stats["server_ms"]
        cell = f"{server['p50']:.0f} / {server['p95']:.0f}"
        ratio = result["ratios_to_floor"].get(name, {}).get("server_ms")
        if ratio:
            cell += f" (×{ratio['p50']:.1f} / ×{ratio['p95']:.1f})"
        cell += f", {stats['requests_per_second']:.1f}/s, {result['queries'].get(name, '?')} q"
        cells.append(cell)
    cells.append(note.replace("|", "/"))
    return "| " + " | ".join(cells) + " |"


def record(result: dict, note: str) -> None:
    """Append the run's row to the history table in docs/benchmark.md (above its marker line)."""
    text = HISTORY.read_text()
    if HISTORY_MARKER not in text:
        sys.exit(f"{HISTORY.relative_to(ROOT)} has no history marker line; add {HISTORY_MARKER!r} below the table.")
    row = history_row(result, note)
    HISTORY.write_text(re.sub(r"\n" + re.escape(HISTORY_MARKER), lambda _: f"\n{row}\n{HISTORY_MARKER}", text, count=1))
    print(f"Row appended to {HISTORY.relative_to(ROOT)}.")


# The run -------------------------------------------------------------------------------------------------


def setup(args: argparse.Namespace) -> tuple[dict[str, str], int, dict[str, list[Persona]]]:
    """Prepare the database and Django; return the environment, the number of children and the scenarios' users."""
    require_loopback(args.database_url)
    env = configure_environment(args.database_url)
    sys.path.insert(0, str(ROOT))
    children = prepare_data(args, env)
    picks = Picks(args.users, args.seed)
    names = args.scenario or list(SCENARIOS)
    return env, children, {name: SCENARIOS[name].personas(picks) for name in names}


def main() -> None:
    args = parse_args()
    code = commit()  # the code measured, before anything can change it
    env, children, chosen = setup(args)
    queries = {}
    for name, personas in chosen.items():
        status, sql = in_process(personas[0], personas[0].paths[0])
        if status != 200:
            sys.exit(f"{name} answered {status} in-process for {personas[0].username}; fix it before measuring.")
        queries[name] = len(sql)
        print(f"{name}: {len(sql)} SQL queries in-process ({personas[0].username}, {personas[0].paths[0]}).")
    from django.db import connection

    connection.close()  # the server's workers have their own connections
    load_before = os.getloadavg()  # the figures mean little on a machine busy with other work
    with gunicorn(env, 1 if args.memory else args.workers, args.threads) as (port, master):
        if args.memory:
            memory = measure_memory(port, master, chosen, args)
        else:
            results = measure(port, chosen, args)
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": code,
        "children": children,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "config": {k: v for k, v in vars(args).items() if k != "database_url"}
        | {"database": urllib.parse.urlsplit(args.database_url).path.lstrip("/")},
        "load_average_before_after": [load_before, os.getloadavg()],
        "users": {name: sorted({f"{p.username} ({p.role})" for p in personas}) for name, personas in chosen.items()},
        "queries": queries,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}"
    if args.memory:
        result["memory"] = memory
        out = RESULTS / f"memory-{stamp}.json"
    else:
        result["results"] = results
        result["ratios_to_floor"] = {name: ratios(results, name) for name in results if name != "floor"}
        print_summary(result)
        out = RESULTS / f"run-{stamp}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"Results written to {out.relative_to(ROOT)}.")
    if args.record and not args.memory:
        record(result, args.record)


if __name__ == "__main__":
    main()
