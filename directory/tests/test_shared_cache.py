"""With SAMPLAN_CACHE=database the people search's count is kept in one table every process shares."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings as live
from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from directory import selectors
from testsupport.cast import sign_in

URL = reverse("directory:people_search")
MINUTE = 1_800_000_000 // 60 * 60
SHARED = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "samplan_cache"}}


def test_the_count_is_seen_by_every_process_sharing_the_database_cache(client, cast, settings, monkeypatch):
    settings.SAMPLAN_PEOPLE_SEARCH_PER_MINUTE = 2
    monkeypatch.setattr("directory.limits.time.time", lambda: MINUTE + 5.0)
    sign_in(client, cast.teacher)
    search = {"q": "Hanna", "scope": selectors.scope_sign(None), "picker": "id_lead"}
    with override_settings(CACHES=SHARED):  # restored before the directory tests clear the local cache
        call_command("createcachetable", verbosity=0)
        assert [client.get(URL, search).status_code for _ in range(2)] == [200, 200]
        # Another server process reads the same table: it finds this user's two searches of the minute.
        other_process = DatabaseCache("samplan_cache", {})
        assert other_process.get(f"directory:people-search:{cast.teacher.pk}:{MINUTE // 60}") == 2
        assert client.get(URL, search).status_code == 429


def _caches(value: str) -> subprocess.CompletedProcess:
    code = "import django; django.setup(); from django.conf import settings; "
    code += 'print(settings.CACHES["default"]["BACKEND"])'
    return subprocess.run(  # noqa: S603 - our own interpreter with fixed arguments
        [sys.executable, "-c", code],
        cwd=live.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "samplan.settings", "SAMPLAN_CACHE": value},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_setting_chooses_the_cache_and_refuses_anything_else():
    assert _caches("database").stdout.strip().endswith("DatabaseCache")
    assert _caches("local").stdout.strip().endswith("LocMemCache")
    refused = _caches("redis")
    assert refused.returncode != 0 and "SAMPLAN_CACHE must be local or database" in refused.stderr
