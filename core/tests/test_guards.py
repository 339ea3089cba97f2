"""Site-wide guards: comments on every table and column, no pending migrations, a clean deploy check."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils.crypto import get_random_string

from samplan.settings import _DEV_AUDIT_CHECKPOINT_KEY, env_syslog

OUR_APPS = (
    "core",
    "accounts",
    "organisations",
    "people",
    "namedperson",
    "sharing",
    "audit",
    "family",
    "wellbeing",
    "plans",
    "teams",
    "programmes",
)


@pytest.mark.parametrize("label", OUR_APPS)
def test_it_comments_every_table_and_column(label):
    missing = []
    for model in apps.get_app_config(label).get_models():
        table = model._meta.db_table
        if not model._meta.db_table_comment:
            missing.append(table)
        missing += [f"{table}.{field.column}" for field in model._meta.concrete_fields if not field.db_comment]
    assert not missing, f"Add db_table_comment / db_comment (analysts read the database too): {missing}"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL stores comments (SQLite has none)")
def test_it_has_the_comments_in_the_database_too(db):
    tables = [model._meta.db_table for label in OUR_APPS for model in apps.get_app_config(label).get_models()]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname || COALESCE('.' || a.attname, '')
            FROM pg_class c
            LEFT JOIN pg_attribute a
              ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND col_description(c.oid, a.attnum) IS NULL
            WHERE c.relname = ANY(%s) AND c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
              AND (a.attname IS NOT NULL OR obj_description(c.oid, 'pg_class') IS NULL)
            ORDER BY 1
            """,
            [tables],
        )
        missing = [name for (name,) in cursor.fetchall()]
    assert not missing, f"Comments missing in the database (a migration without them?): {missing}"


def test_it_has_no_pending_migrations(db):
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:
        pytest.fail(f"Models and migrations differ; run makemigrations for the app:\n{out.getvalue()}")


def _production_env(**overrides: str | None) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "samplan.settings",
        "SAMPLAN_ENV": "production",
        "SECRET_KEY": get_random_string(
            64, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#%^&*(-_=+)"
        ),
        "SAMPLAN_FIELD_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "samplan.kommun.example",
        "SAMPLAN_AUDIT_CHECKPOINT_KEY": get_random_string(64),
        "SAMPLAN_AUDIT_CHECKPOINT_FILE": "/var/lib/samplan-checkpoints/audit-checkpoints.jsonl",
    }
    for name in ("DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"):
        env.pop(name, None)  # the defaults are what production gets
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_it_passes_the_deploy_checks_in_production():
    result = _manage(_production_env(), "check", "--deploy", "--fail-level", "DEBUG")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "name",
    [
        "SECRET_KEY",
        "SAMPLAN_FIELD_KEYS",
        "ALLOWED_HOSTS",
        "SAMPLAN_AUDIT_CHECKPOINT_KEY",
        "SAMPLAN_AUDIT_CHECKPOINT_FILE",
    ],
)
def test_it_refuses_to_start_production_without(name):
    result = _manage(_production_env(**{name: None}), "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr


def test_it_refuses_to_start_production_with_the_development_secret():
    from samplan.settings import _DEV_SECRET

    result = _manage(_production_env(SECRET_KEY=_DEV_SECRET), "check")
    assert result.returncode != 0
    assert "not the development ones" in result.stderr


@pytest.mark.parametrize("key", [_DEV_AUDIT_CHECKPOINT_KEY, "för-kort"])
def test_it_refuses_a_weak_audit_checkpoint_key_in_production(key):
    result = _manage(_production_env(SAMPLAN_AUDIT_CHECKPOINT_KEY=key), "check")
    assert result.returncode != 0
    assert "SAMPLAN_AUDIT_CHECKPOINT_KEY of at least 32 characters" in result.stderr


@pytest.mark.parametrize("value", ["loggserver", "ftp://loggserver:514", "loggserver:syslog"])
def test_it_refuses_a_syslog_destination_it_cannot_parse(value):
    result = _manage(_production_env(SAMPLAN_AUDIT_CHECKPOINT_SYSLOG=value), "check")
    assert result.returncode != 0
    assert "SAMPLAN_AUDIT_CHECKPOINT_SYSLOG must be" in result.stderr


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        ("/dev/log", ("/dev/log", "unix")),
        ("loggserver.kommun.example:514", (("loggserver.kommun.example", 514), "udp")),
        ("tcp://10.0.0.5:6514", (("10.0.0.5", 6514), "tcp")),
        ("udp://[::1]:514", (("::1", 514), "udp")),
    ],
)
def test_it_reads_a_syslog_destination(monkeypatch, value, parsed):
    monkeypatch.setenv("SAMPLAN_AUDIT_CHECKPOINT_SYSLOG", value)
    assert env_syslog("SAMPLAN_AUDIT_CHECKPOINT_SYSLOG") == parsed


def _database_options(**env: str) -> dict:
    """Return DATABASES["default"]["OPTIONS"] as the settings build them in a fresh process with this environment."""
    code = "import json, django; django.setup(); from django.conf import settings; "
    code += 'print(json.dumps(settings.DATABASES["default"].get("OPTIONS", {})))'
    result = subprocess.run(  # noqa: S603 - our own interpreter with fixed arguments
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={
            **{name: value for name, value in os.environ.items() if name != "SAMPLAN_PG_JIT"},
            "DJANGO_SETTINGS_MODULE": "samplan.settings",
            "SAMPLAN_ENV": "development",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("jit", "prepare", "options"),
    [
        (None, None, "-c jit=off -c plan_cache_mode=force_generic_plan"),
        ("off", None, "-c jit=off -c plan_cache_mode=force_generic_plan"),
        ("on", None, "-c plan_cache_mode=force_generic_plan"),
        ("off", "off", "-c jit=off"),
        ("on", "off", None),
    ],
)
def test_it_turns_postgresql_jit_off_and_plans_prepared_statements_once_per_connection(jit, prepare, options):
    env = {"DATABASE_URL": "postgres://samplan@127.0.0.1:5432/samplan"}
    if jit is not None:
        env["SAMPLAN_PG_JIT"] = jit
    if prepare is not None:
        env["SAMPLAN_PG_PREPARE"] = prepare
    assert _database_options(**env).get("options") == options
