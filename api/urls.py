"""The staff API under /api/v1/ (see api/api.py)."""

from __future__ import annotations

from api.api import api

app_name = "api"
urlpatterns = api.urls[0]
