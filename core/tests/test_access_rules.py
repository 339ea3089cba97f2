"""Deny by default, site-wide: every route declares its access rule, and the rules hold.

The walk covers every URL pattern (nested includes too) and every django-ninja operation behind
them, so pages and API routes added later are checked without touching this file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from uuid import uuid4

import pytest
from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django_otp.admin import OTPAdminSite

from accounts.services import api_token_create
from api.access import operations_of, rule_of
from core.access import PUBLIC, RULES
from testsupport.cast import sign_in

# Framework routes that protect themselves or hold no data. Keep this short; each entry says why.
SELF_PROTECTING_NAMESPACES = {
    # The OTP admin site (accounts/admin.py): every view demands a verified staff sign-in (tested below).
    "admin",
}
SELF_PROTECTING_VIEWS = {
    # Switches the interface language (a cookie); reads and shows nothing.
    "django.views.i18n.set_language",
    # django-ninja's API root: always answers 404, pointing at the docs.
    "ninja.openapi.views.default_home",
}
_PLACEHOLDER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_UNKNOWN_ID = uuid4()


@dataclass(frozen=True)
class Route:
    route: str
    namespace: str
    pattern: URLPattern

    @property
    def callback(self):
        return self.pattern.callback

    @property
    def operations(self):
        return operations_of(self.callback)

    @property
    def kwargs(self) -> set[str]:
        return set(self.pattern.pattern.converters)

    def __str__(self) -> str:
        return self.route


def _walk(resolver: URLResolver, prefix: str = "", namespaces: tuple[str, ...] = ()):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        else:
            yield Route(prefix + str(entry.pattern), ":".join(namespaces), entry)


def _qualified(callback) -> str:
    target = callback.func if isinstance(callback, partial) else callback
    return f"{target.__module__}.{target.__qualname__}"


def _self_protecting(route: Route) -> bool:
    return route.namespace in SELF_PROTECTING_NAMESPACES or _qualified(route.callback) in SELF_PROTECTING_VIEWS


ROUTES = [route for route in _walk(get_resolver()) if not _self_protecting(route)]


def _declared(route: Route) -> list[tuple[str, str | None]]:
    """Return (HTTP methods, rule) for each handler behind the route; rule None when undeclared."""
    operations = route.operations
    if operations is None:
        rule = getattr(route.callback, "access_rule", None)
        return [("*", rule if rule in RULES else None)]
    found = []
    for operation in operations:
        try:
            declared = rule_of(operation.view_func)
        except ImproperlyConfigured:
            declared = None
        # The rule must also be enforced: api.access.enforce wraps the operation and repeats its rule.
        enforced = getattr(operation.run, "access_rule", None)
        found.append((",".join(operation.methods), declared if declared == enforced else None))
    return found


def _url(route: Route, child_id) -> str:
    """Fill the route's placeholders: the child's id for `child_id`, ids that match nothing elsewhere."""
    if "(?P<" in route.route or route.route.startswith("^"):
        pytest.fail(f"{route}: use path(), not re_path(), so the walk can build the address")
    converters = route.pattern.pattern.converters

    def fill(match: re.Match) -> str:
        name = match["name"]
        candidates = [str(child_id if name == "child_id" else _UNKNOWN_ID), "999999999", "x"]
        regex = re.compile(converters[name].regex)
        return next(value for value in candidates if regex.fullmatch(value))

    url = "/" + _PLACEHOLDER.sub(fill, route.route)
    match = resolve(url)
    # django-ninja adds one pattern per operation of a path (GET and POST on one path make two); the
    # first answers for all of them, dispatching on the method, so the same route is what must match.
    assert match.func is route.callback or (route.operations is not None and match.route == route.route), (
        f"{url} does not resolve to {route}"
    )
    return url


def _calls(route: Route):
    """Yield (method, kind) pairs to try: API operations by their methods, pages by GET (POST if only that)."""
    operations = route.operations
    if operations is not None:
        for operation in operations:
            if rule_of(operation.view_func) != PUBLIC:
                for method in operation.methods:
                    yield method.lower(), "api"
    elif getattr(route.callback, "access_rule", None) != PUBLIC:
        yield "get", "page"


def _send(client, method: str, url: str, **extra):
    response = getattr(client, method)(url, **extra)
    if response.status_code == 405 and method == "get":
        response = client.post(url, **extra)
    return response


def _child_free(response, child) -> None:
    body = response.content.decode(errors="replace")
    number = child.identity_number
    for secret in (child.given_name, child.family_name, number, f"{number[:8]}-{number[8:]}", number[2:]):
        assert secret not in body, f"{secret!r} appears in the response"


def test_it_walks_pages_and_api_operations():
    names = {f"{route.namespace}:{route.pattern.name}" for route in ROUTES}
    assert {"api:children_list", "api:child_detail", "accounts:login"} <= names
    assert any(route.operations for route in ROUTES)


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_it_declares_an_access_rule_for_every_route(route):
    undeclared = [methods for methods, rule in _declared(route) if rule is None]
    assert not undeclared, (
        f"{route} ({_qualified(route.callback)}, {undeclared}) declares no access rule: decorate the view with "
        "core.access.public/authenticated/child_data, or the API operation with api.access.rule(...)"
    )


def test_it_relies_on_an_admin_site_that_demands_a_second_factor(client):
    assert isinstance(admin.site, OTPAdminSite)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302


GUARDED_ROUTES = [route for route in ROUTES if any(_calls(route))]


@pytest.mark.parametrize("route", GUARDED_ROUTES, ids=str)
def test_it_turns_anonymous_visitors_away(client, cast, route):
    for method, kind in _calls(route):
        response = _send(client, method, _url(route, cast.child.pk))
        if kind == "api":
            assert response.status_code == 401, f"{method.upper()} {route}"
        else:
            assert response.status_code == 302, f"{method.upper()} {route}: {response.status_code}"
            assert response.url.startswith(reverse("accounts:login")), f"{route} redirects to {response.url}"
        _child_free(response, cast.child)


CHILD_ROUTES = [route for route in ROUTES if "child_id" in route.kwargs]


@pytest.mark.parametrize("route", CHILD_ROUTES, ids=str)
def test_it_answers_404_to_an_unrelated_user_on_child_routes(client, cast, route):
    stranger = cast.outsider  # the police officer: another authority, no relation to the child
    _token, raw = api_token_create(user=stranger, name="Test", days=1)
    sign_in(client, stranger)
    calls = list(_calls(route))
    assert calls, f"{route} takes a child_id but is public"
    for method, kind in calls:
        extra = {"headers": {"Authorization": f"Bearer {raw}"}} if kind == "api" else {}
        response = _send(client, method, _url(route, cast.child.pk), **extra)
        assert response.status_code == 404, f"{method.upper()} {route}: {response.status_code}"
        _child_free(response, cast.child)
