from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from ninja import NinjaAPI, Router
from ninja.security import django_auth

from api.access import enforce, operations_of, rule, rule_of
from api.api import api
from api.auth import TokenAuth
from core.access import CHILD_DATA, PUBLIC, RULES


def _api_with(router: Router, namespace: str) -> NinjaAPI:
    trial = NinjaAPI(auth=TokenAuth(), urls_namespace=namespace)
    trial.add_decorator(enforce, mode="view")
    trial.add_router("", router)
    return trial


def test_it_refuses_an_unknown_rule():
    with pytest.raises(ImproperlyConfigured, match="Unknown access rule"):
        rule("everyone")


def test_it_refuses_to_build_urls_for_an_operation_without_a_rule():
    router = Router()

    @router.get("/open")
    def undeclared(request):
        return {}

    with pytest.raises(ImproperlyConfigured, match="declares no access rule"):
        _api_with(router, "trial_unmarked").urls  # noqa: B018 -- building the URLs is the test


def test_it_refuses_session_authentication_for_child_data():
    router = Router()

    @router.get("/session", auth=django_auth)
    @rule(CHILD_DATA)
    def with_session(request):
        return {}

    with pytest.raises(ImproperlyConfigured, match="bearer token only"):
        _api_with(router, "trial_session").urls  # noqa: B018


def test_it_refuses_an_unauthenticated_child_data_operation():
    router = Router()

    @router.get("/anyone", auth=None)
    @rule(CHILD_DATA)
    def anyone(request):
        return {}

    with pytest.raises(ImproperlyConfigured, match="bearer token only"):
        _api_with(router, "trial_anyone").urls  # noqa: B018


def test_it_refuses_an_async_operation():
    router = Router()

    @router.get("/later")
    @rule(CHILD_DATA)
    async def later(request):
        return {}

    with pytest.raises(ImproperlyConfigured, match="async"):
        _api_with(router, "trial_async").urls  # noqa: B018


def test_it_allows_a_public_operation_without_a_token():
    router = Router()

    @router.get("/status", auth=None)
    @rule(PUBLIC)
    def status(request):
        return {}

    patterns, _app, _namespace = _api_with(router, "trial_public").urls
    [operation] = next(ops for pattern in patterns if (ops := operations_of(pattern.callback)))
    assert operation.run.access_rule == PUBLIC


def test_it_guards_every_operation_of_the_api():
    patterns, _app, _namespace = api.urls
    # A path with several methods appears once per method in the URL patterns; count each operation once.
    operations = list({id(op): op for pattern in patterns for op in operations_of(pattern.callback) or ()}.values())
    documented = [method for item in api.get_openapi_schema()["paths"].values() for method in item]
    assert operations and len(operations) == len(documented)  # every documented operation is walked here
    for operation in operations:
        assert rule_of(operation.view_func) in RULES
        assert operation.run.access_rule == rule_of(operation.view_func)
