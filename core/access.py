"""Access rules every view declares. A route without one fails the deny-by-default test.

- `public`: anyone, no child data (login page, language switch, static help).
- `authenticated`: a signed-in, two-factor-verified user; no child data.
- `child_data`: a verified staff user; the view loads children only through sharing.policy,
  runs in one transaction with its audit rows, and the response is never cached. A view that
  answers with content without calling an entry point of the policy fails (`PolicyNotConsulted`),
  and in production its answer is withheld.
- `family_data`: a verified guardian or child in the family view; the view loads children only
  through sharing.policy.family_child_for_user / family_children, and is audited and uncached
  like `child_data`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils.cache import add_never_cache_headers

from audit import log as audit
from sharing.policy import rules as policy_rules

PUBLIC = "public"
AUTHENTICATED = "authenticated"
CHILD_DATA = "child_data"
FAMILY_DATA = "family_data"
RULES = frozenset({PUBLIC, AUTHENTICATED, CHILD_DATA, FAMILY_DATA})
# Rules whose views read child data: they run in one transaction with their audit rows.
AUDITED_RULES = frozenset({CHILD_DATA, FAMILY_DATA})


def is_verified(user) -> bool:
    """Return whether the user signed in with password and a second factor."""
    return bool(user.is_authenticated and user.is_active and getattr(user, "is_verified", lambda: False)())


def public(view: Callable) -> Callable:
    view.access_rule = PUBLIC
    return view


def authenticated(view: Callable) -> Callable:
    """Require a verified (two-factor) sign-in."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_verified(request.user):
            return redirect_to_login(request.get_full_path())
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    wrapper.access_rule = AUTHENTICATED
    return wrapper


class PolicyNotConsulted(ImproperlyConfigured):
    """A view declared as reading child data answered without asking the access policy."""


def _audited(view: Callable, rule: str) -> Callable:
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_verified(request.user):
            return redirect_to_login(request.get_full_path())
        token = policy_rules.start_request()
        try:
            with audit.deferred():
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and callable(response.render):
                    response.render()
                check_consulted(view, response)
        finally:
            policy_rules.end_request(token)
        add_never_cache_headers(response)
        return response

    wrapper.access_rule = rule
    return wrapper


def check_consulted(view: Callable, response) -> None:
    """Fail closed when a child-data view answered with content without asking the policy.

    Redirects and refusals carry no child data; anything else must have come through the policy.
    In development and tests this is a programming error; in production the answer is withheld.
    """
    if response.status_code >= 300 or policy_rules.consulted():
        return
    message = f"{view.__module__}.{view.__qualname__} is declared to read child data but never asked the policy"
    if settings.PRODUCTION:
        raise PermissionDenied(message)  # the transaction rolls back; the user gets the 403 page
    raise PolicyNotConsulted(message)


def child_data(view: Callable) -> Callable:
    """Require a verified sign-in; run the view and its audit rows in one transaction; never cache."""
    return _audited(view, CHILD_DATA)


def family_data(view: Callable) -> Callable:
    """Like `child_data`, for the family view: a guardian's or child's own reads, audited the same way."""
    return _audited(view, FAMILY_DATA)
