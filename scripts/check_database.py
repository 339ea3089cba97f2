"""Check that the PostgreSQL server in DATABASE_URL answers; create the database if it is missing.

Prints "PostgreSQL <version> at host:port, tests in test_<name>" and exits 0 when the server answers;
exits 1 otherwise. Used by scripts/test.
"""

from __future__ import annotations

import os
import sys

import dj_database_url
import psycopg
from psycopg import sql


def main() -> int:
    """Connect to the server's maintenance database, then make sure the named database exists."""
    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    if "postgresql" not in config["ENGINE"]:
        print(f"DATABASE_URL is not a PostgreSQL address ({config['ENGINE']}).", file=sys.stderr)
        return 1
    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "connect_timeout": 5,
    }
    name = config["NAME"]
    try:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as connection:
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            version = connection.info.server_version
            if not exists:
                # The test run itself uses test_<name>, but Django connects to <name> first.
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as error:
        print(f"PostgreSQL is not reachable: {error}".strip(), file=sys.stderr)
        return 1
    where = f"{params['host'] or 'local socket'}:{params['port'] or 5432}"
    print(f"PostgreSQL {version // 10000}.{version % 10000} at {where}, tests in test_{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
