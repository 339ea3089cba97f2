"""A PostgreSQL backup restores into a new database whose audit chain verifies (docs/backup-and-restore.md)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid

import psycopg
import pytest
from django.conf import settings
from django.db import connection, transaction
from psycopg import sql

from audit import log as audit

ACTOR = audit.Actor(user_id=11, username="backup", unit_name="Östra skolan", authority_id=1, authority_name="BUN")
PG_DUMP, PG_RESTORE = shutil.which("pg_dump"), shutil.which("pg_restore")

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="pg_dump and pg_restore need PostgreSQL",
    ),
    pytest.mark.skipif(not (PG_DUMP and PG_RESTORE), reason="pg_dump and pg_restore are not installed"),
]


def _libpq_env() -> dict[str, str]:
    config = connection.settings_dict
    values = {"PGHOST": config["HOST"], "PGPORT": config["PORT"], "PGUSER": config["USER"]}
    values["PGPASSWORD"] = config["PASSWORD"]
    return {**os.environ, **{key: str(value) for key, value in values.items() if value}}


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - PostgreSQL's own tools and our manage.py with fixed arguments
        list(args), env=env or _libpq_env(), capture_output=True, text=True, timeout=120, check=False
    )


def _admin_connection(database: str = "postgres") -> psycopg.Connection:
    config = connection.settings_dict
    return psycopg.connect(
        dbname=database,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        autocommit=True,
    )


@pytest.fixture
def restored(transactional_db, tmp_path):
    """Write audit rows, dump the test database and restore it into a scratch database; yield its name."""
    for index in range(3):
        with transaction.atomic():
            audit.record(actor=ACTOR, action="read", surface="page", target=f"backup:{index}", basis="named_person")
    dump = tmp_path / "samplan.dump"
    dumped = _run(PG_DUMP, "--format=custom", "--no-owner", f"--file={dump}", connection.settings_dict["NAME"])
    assert dumped.returncode == 0, dumped.stderr
    name = f"samplan_restore_{uuid.uuid4().hex[:12]}"
    with _admin_connection() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        restoring = _run(PG_RESTORE, "--exit-on-error", "--no-owner", f"--dbname={name}", str(dump))
        assert restoring.returncode == 0, restoring.stderr
        yield name
    finally:
        with _admin_connection() as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _audit_verify(database: str) -> subprocess.CompletedProcess:
    config = connection.settings_dict
    user = config["USER"] or ""
    password = f":{config['PASSWORD']}" if config["PASSWORD"] else ""
    url = f"postgres://{user}{password}@{config['HOST'] or 'localhost'}:{config['PORT'] or 5432}/{database}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SAMPLAN_ENV": "test",
        "DJANGO_SETTINGS_MODULE": "samplan.settings",
        # This test's own (empty) checkpoint file, never the developer's var/audit-checkpoints.jsonl.
        "SAMPLAN_AUDIT_CHECKPOINT_FILE": str(settings.SAMPLAN_AUDIT_CHECKPOINT_FILE),
    }
    return _run(sys.executable, str(settings.BASE_DIR / "manage.py"), "audit_verify", env=env)


def test_it_restores_a_dump_whose_audit_chain_verifies_to_the_same_head(restored):
    head_id, head_hash = audit.head()

    result = _audit_verify(restored)

    assert result.returncode == 0, result.stdout + result.stderr
    assert str(head_id) in result.stdout
    assert head_hash in result.stdout


def test_it_names_the_row_that_was_changed_in_the_restored_copy(restored):
    first_id = audit.head()[0] - 2
    with _admin_connection(restored) as copy:
        # The append-only trigger came back with the dump; only an owner can switch it off, as here.
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            copy.execute("UPDATE audit_auditevent SET username = 'someone-else' WHERE id = %s", [first_id])
        copy.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_no_update_delete")
        copy.execute("UPDATE audit_auditevent SET username = 'someone-else' WHERE id = %s", [first_id])

    result = _audit_verify(restored)

    assert result.returncode == 1
    assert f"rad {first_id}" in result.stderr
