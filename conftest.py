"""Shared fixtures: the fixed cast, and the database the suite runs on."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.db.backends.signals import connection_created
from django.utils import translation

from testsupport import module_fixtures
from testsupport.cast import Cast, build_cast
from testsupport.module_fixtures import per_module


def _allow_test_flush(sender, connection, **kwargs):
    # Transactional tests empty every table between tests with TRUNCATE; the audit table refuses
    # TRUNCATE unless this session setting is on (UPDATE and DELETE stay refused).
    # A commit need not wait for the disk either: a crash may lose a test database, never data anyone needs.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET samplan.allow_audit_truncate = 'on'")
            cursor.execute("SET synchronous_commit = 'off'")


connection_created.connect(_allow_test_flush)


def pytest_report_header(config):
    from django.conf import settings

    db = settings.DATABASES["default"]
    where = db["NAME"] if db["ENGINE"].endswith("sqlite3") else f"{db.get('HOST')}:{db.get('PORT')}/{db['NAME']}"
    return f"samplan: tests run on {connections['default'].vendor} ({where})"


@pytest.fixture(autouse=True)
def _audit_checkpoints_per_test(settings, tmp_path):
    # Each test keeps audit checkpoints in a file of its own, never in the developer's var/ directory.
    settings.SAMPLAN_AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.jsonl"


@pytest.fixture(autouse=True)
def _default_language():
    # A request in English leaves English active in the thread: every test starts, and ends, in Swedish.
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


# --- Data built once per module (testsupport/module_fixtures.py) ------------------------------------------------------


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    module_fixtures.group_by_module_data(items)


@pytest.hookimpl(tryfirst=True)
def pytest_fixture_setup(fixturedef, request):
    # pytest-django opens every database test's transaction in this fixture; the module's data comes first.
    if fixturedef.argname == "_django_db_helper":
        module_fixtures.before_database_setup(request.node, request.getfixturevalue("django_db_blocker"))


@pytest.fixture(scope="module", autouse=True)
def _module_data_rolled_back(django_db_blocker):
    yield
    module_fixtures.module_finished(django_db_blocker)


@per_module()
def cast() -> Cast:
    """The fixed personas of core.testing, built once per test module (each test gets its own copy)."""
    return build_cast()
