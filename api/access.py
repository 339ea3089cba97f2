"""Access rules for API operations: each operation declares one, or the API refuses to load.

Usage, under the router's decorator:

    @router.get("/children/{uuid:child_id}", ...)
    @rule(CHILD_DATA)
    def child_detail(request, child_id): ...

`enforce` is installed on the NinjaAPI (api/api.py) for every operation. When the URLs are built
(at import of the URLconf) it raises ImproperlyConfigured for an operation without a known rule,
for a non-public operation that does not authenticate with the bearer token alone, for one that
declares a ninja body (bodies are read with api.body.parse_body), and for an async operation (the
audit transaction is synchronous). At request time it runs child-data operations, their
serialisation and their audit rows in one transaction, and marks every response
`Cache-Control: no-store`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import wraps

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from ninja.operation import Operation, PathView

from api.auth import TokenAuth
from audit import log as audit
from core.access import AUDITED_RULES, PUBLIC, RULES, check_consulted
from sharing.policy import rules as policy_rules


def rule(name: str) -> Callable[[Callable], Callable]:
    """Mark an API operation with the access rule it follows (one of core.access.RULES)."""
    if name not in RULES:
        raise ImproperlyConfigured(f"Unknown access rule {name!r}; use one of {sorted(RULES)}.")

    def mark(view: Callable) -> Callable:
        view.access_rule = name
        return view

    return mark


def rule_of(view: Callable) -> str:
    """Return the operation's declared rule, or raise ImproperlyConfigured (fail closed)."""
    name = getattr(view, "access_rule", None)
    if name not in RULES:
        where = f"{getattr(view, '__module__', '?')}.{getattr(view, '__qualname__', view)}"
        raise ImproperlyConfigured(f"API operation {where} declares no access rule; decorate it with @rule(...).")
    return name


def _operation_of(run: Callable) -> Operation:
    operation = getattr(run, "__self__", None)
    if not isinstance(operation, Operation):
        # Another run-level decorator (ninja's decorate_view) hides the operation: refuse rather than guess.
        raise ImproperlyConfigured("Cannot find the API operation behind a wrapped view; do not use decorate_view.")
    return operation


def _check(operation: Operation, name: str) -> None:
    if inspect.iscoroutinefunction(operation.view_func):
        raise ImproperlyConfigured(f"API operation {operation.view_func.__qualname__} is async; audit needs sync.")
    if any(model.__ninja_param_source__ == "body" for model in operation.models):
        # One way to read bodies (strict UTF-8 JSON without NUL, after the access check): api.body.parse_body.
        raise ImproperlyConfigured(
            f"API operation {operation.view_func.__qualname__} declares a body; read it with api.body.parse_body."
        )
    if name == PUBLIC:
        return
    callbacks = list(operation.auth_callbacks)
    if not callbacks or not all(isinstance(callback, TokenAuth) for callback in callbacks):
        # Session or other auth would bring CSRF and second-factor questions the API does not answer.
        raise ImproperlyConfigured(
            f"API operation {operation.view_func.__qualname__} must authenticate with the bearer token only."
        )


def enforce(run: Callable) -> Callable:
    """Check one bound operation's rule now; at request time apply it around the whole operation."""
    operation = _operation_of(run)
    name = rule_of(operation.view_func)
    _check(operation, name)

    @wraps(run)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if name in AUDITED_RULES:
            # Authentication, view, serialisation and audit rows commit together or not at all.
            token = policy_rules.start_request()
            try:
                with audit.deferred():
                    response = run(request, *args, **kwargs)
                    check_consulted(operation.view_func, response)  # child data only through the policy
            finally:
                policy_rules.end_request(token)
        else:
            response = run(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    guarded.access_rule = name
    return guarded


def operations_of(callback: Callable) -> list[Operation] | None:
    """Return the ninja operations behind a URL pattern's view, or None if it is not an operation view."""
    for cell in getattr(callback, "__closure__", None) or ():
        contents = cell.cell_contents
        if isinstance(contents, PathView):
            return list(contents.operations)
    return None
