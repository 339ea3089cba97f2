"""Fail if any benchmark scenario's SQL has a query plan costlier than a threshold, on the benchmark data.

    .venv/bin/python bench/plans.py --reuse                       # every scenario, threshold 100 000
    .venv/bin/python bench/plans.py --reuse --max-cost 20000 --scenario list_largest

For each scenario of bench/run.py, one request of its first user is made in-process while Django captures
the SQL (CaptureQueriesContext); every SELECT is then planned with EXPLAIN (FORMAT JSON), without running
it. The run prints each scenario's costliest plans and exits with status 1 if any plan's total cost exceeds
--max-cost. The default, 100 000, is PostgreSQL's own jit_above_cost: a page query above it would be
JIT-compiled on every request where JIT is on, and costs that high mean the query reads a large part of a
table. Costs are the planner's estimate in its own units (docs/benchmark.md).
"""

from __future__ import annotations

import sys

from run import in_process, parse_args, setup

DEFAULT_MAX_COST = 100_000
SHOWN = 3  # costliest queries printed per scenario


def options(parser) -> None:
    parser.add_argument("--max-cost", type=float, default=DEFAULT_MAX_COST, help="Highest total plan cost allowed.")


def plan_cost(cursor, sql: str) -> float:
    """Return the planner's total cost of a statement (EXPLAIN only: the statement is not run)."""
    cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
    (plan,) = cursor.fetchone()
    return float(plan[0]["Plan"]["Total Cost"])


def main() -> None:
    args = parse_args(extra=options)
    _, children, chosen = setup(args)
    from django.db import connection

    print(f"Query plans on {children} children; the highest total cost allowed is {args.max_cost:,.0f}.")
    failed = []
    for name, personas in chosen.items():
        persona = personas[0]
        status, statements = in_process(persona, persona.paths[0])
        if status != 200:
            sys.exit(f"{name} answered {status} in-process for {persona.username}.")
        selects = [sql for sql in statements if sql.lstrip().upper().startswith(("SELECT", "WITH"))]
        with connection.cursor() as cursor:
            costs = sorted(((plan_cost(cursor, sql), sql) for sql in selects), reverse=True)
        worst = costs[0][0] if costs else 0.0
        over = [(cost, sql) for cost, sql in costs if cost > args.max_cost]
        verdict = f"{len(over)} OVER THE THRESHOLD" if over else "ok"
        print(f"\n{name}: {len(statements)} statements, {len(selects)} SELECTs, costliest {worst:,.0f}: {verdict}")
        for cost, sql in costs[:SHOWN]:
            print(f"  {cost:>14,.1f}  {sql[:300]}{' …' if len(sql) > 300 else ''}")
        if over:
            failed.append(name)
    if failed:
        sys.exit(f"\nPlans over {args.max_cost:,.0f}: {', '.join(failed)}.")
    print("\nEvery plan is within the threshold.")


if __name__ == "__main__":
    main()
