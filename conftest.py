"""Shared fixtures: the fixed cast, and the database the suite runs on.

The cast is built once per test module, inside a transaction left open around the module's tests; each test
runs in a savepoint within it (pytest-django's own transaction, nested), so no test sees another's writes, and
each test gets its own copy of the cast's objects. Tests that need real commits (transactional tests, the live
server) and tests that do not ask for the cast run outside it, on an empty database as before.
"""

from __future__ import annotations

import copy

import pytest
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.db.backends.signals import connection_created
from pytest_django.fixtures import validate_django_db

from core.testing import Cast, build_cast


def _allow_test_flush(sender, connection, **kwargs):
    # Transactional tests empty every table between tests with TRUNCATE; the audit table refuses
    # TRUNCATE unless this session setting is on (UPDATE and DELETE stay refused).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET samplan.allow_audit_truncate = 'on'")


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


# --- The cast, once per module ------------------------------------------------------------------------------

_TRANSACTIONAL_FIXTURES = {
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def _is_transactional(item) -> bool:
    if _TRANSACTIONAL_FIXTURES & set(item.fixturenames):
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    transactional, reset_sequences, _databases, serialized_rollback, _apps = validate_django_db(marker)
    return bool(transactional or reset_sequences or serialized_rollback)


class _SharedCast:
    """The module's cast and the open transaction (an atomic block) it lives in, when there is one."""

    def __init__(self):
        self.module = None
        self.atomic = None
        self.cast: Cast | None = None

    def is_open(self) -> bool:
        return (
            self.atomic is not None
            and connection.in_atomic_block
            and connection.atomic_blocks[:1] == [self.atomic]
            and len(connection.atomic_blocks) == 1
            and not connection.needs_rollback
        )

    def open(self, module) -> None:
        self.module = module
        self.atomic = transaction.atomic()
        self.atomic._from_testcase = True  # durable blocks in the code under test may still open inside it
        self.atomic.__enter__()
        try:
            self.cast = build_cast()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        atomic, self.atomic, self.cast, self.module = self.atomic, None, None, None
        if atomic is not None and atomic in connection.atomic_blocks:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


_shared = _SharedCast()


@pytest.hookimpl(tryfirst=True)
def pytest_fixture_setup(fixturedef, request):
    # pytest-django starts every database test here; first the module's cast is opened or closed to suit the test.
    if fixturedef.argname != "_django_db_helper":
        return
    item = request.node
    wants_shared = "cast" in item.fixturenames and not _is_transactional(item)
    blocker = request.getfixturevalue("django_db_blocker")
    with blocker.unblock():
        if wants_shared and _shared.module is item.module and _shared.is_open():
            return
        _shared.close()
        if wants_shared:
            _shared.open(item.module)


@pytest.fixture(scope="module", autouse=True)
def _close_shared_cast(django_db_blocker):
    yield
    if _shared.atomic is not None:
        with django_db_blocker.unblock():
            _shared.close()


@pytest.fixture
def cast(db) -> Cast:
    if _shared.cast is None:  # a transactional test: the cast of its own, committed
        return build_cast()
    cache.clear()  # the cast's ids repeat from test to test; nothing cached for them may carry over
    return copy.deepcopy(_shared.cast)
