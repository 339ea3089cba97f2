"""The people search counts each user's searches in the cache: every test starts with none counted."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _no_searches_counted():
    cache.clear()
    yield
    cache.clear()
