"""URL configurations for the five-questions tests: the project's, with and without a `plans:start` page.

The plans app adds `plans:start`; these let the tests show both exits of the flow whatever it has built.
"""

from __future__ import annotations

from types import ModuleType

from django.http import HttpResponse
from django.urls import include, path

from core.access import child_data
from samplan import urls as project


@child_data
def _plans_start(request, child_id):  # stands in for the plans app's page; never called in these tests
    return HttpResponse(status=204)


def _module(name: str, patterns: list) -> ModuleType:
    module = ModuleType(name)
    module.urlpatterns = patterns
    return module


_without = [p for p in project.urlpatterns if getattr(p, "namespace", None) != "plans"]
WITHOUT_PLANS = _module("wellbeing.tests.plan_urls.without", _without)
WITH_PLANS = _module(
    "wellbeing.tests.plan_urls.with",
    [*_without, path("planer/", include(([path("<uuid:child_id>/starta/", _plans_start, name="start")], "plans")))],
)
