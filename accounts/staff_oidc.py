"""Staff sign-in through the organisation's OpenID Connect provider (Keycloak with SITHS), provisioned just in time.

On only when the SAMPLAN_STAFF_OIDC_* settings are given (docs/identity.md). A separate client, routes and
backend from the family sign-in (`accounts.oidc`). The directory is the source of a staff member's
authority and unit: each sign-in reads the duties in the claims, maps each (directory unit code, duty) to a
Samplan unit and role, and brings the user's memberships in line. A claim that says the person is no longer
active, or no duty Samplan knows, deprovisions the user at once: inactive users pass no policy check and
their sessions end on the next request. Local accounts (with a password) keep their TOTP second factor and
are never taken over by a directory sign-in.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from accounts.oidc import CallbackView
from core.access import public
from organisations.models import Membership, Role, Unit
from sharing.policy import current, today

logger = logging.getLogger(__name__)

# Duty titles as directories and SS12000 `duties` name them, to Samplan roles; extend with SAMPLAN_STAFF_OIDC_ROLES.
DUTY_ROLES: dict[str, str] = {
    "Rektor": Role.HEAD_TEACHER,
    "Lärare": Role.PRACTITIONER,
    "Förskollärare": Role.PRACTITIONER,
    "Barnskötare": Role.PRACTITIONER,
    "Elevhälsa": Role.PRACTITIONER,
    "Skolsköterska": Role.PRACTITIONER,
    "Kurator": Role.PRACTITIONER,
    "BVC-sjuksköterska": Role.CHILD_HEALTH_NURSE,
    "Barnmorska": Role.MIDWIFE,
    "Socialsekreterare": Role.SOCIAL_WORKER,
    "Chef": Role.MANAGER,
    "Analytiker": Role.ANALYST,
    "Registrator": Role.REGISTRAR,
    "Mottagning": Role.INTAKE,
}


def staff_settings(attr: str, *args):
    """Read a mozilla-django-oidc setting for the staff client: SAMPLAN_STAFF_OIDC first, the shared settings next."""
    own = {
        "OIDC_AUTHENTICATION_CALLBACK_URL": "accounts:staff_oidc_callback",
        "LOGIN_REDIRECT_URL_FAILURE": "/konto/logga-in/?tjanstekort=misslyckades",
        "OIDC_USE_PKCE": True,
        **settings.SAMPLAN_STAFF_OIDC,
    }
    if attr in own:
        return own[attr]
    return import_from_settings(attr, *args)


def _claim(claims: dict, name: str, default=None):
    return claims.get(staff_settings("CLAIMS", {}).get(name, name), default)


def duties_from_claims(claims: dict) -> list[tuple[int, str]]:
    """Return the (unit id, role) pairs the claims' duties map to; duties Samplan does not know are left out."""
    units: dict[str, int] = staff_settings("UNITS", {})
    roles = {**DUTY_ROLES, **staff_settings("ROLES", {})}
    mapped = set()
    for duty in _claim(claims, "samplan_duties", []) or []:
        if not isinstance(duty, dict):
            continue
        unit, role = units.get(str(duty.get("unit", ""))), roles.get(str(duty.get("duty", "")))
        if unit is not None and role in Role.values:
            mapped.add((int(unit), role))
    return sorted(mapped)


def is_active_claim(claims: dict) -> bool:
    """Return whether the directory says the person is active (the claim is missing: active)."""
    value = _claim(claims, "samplan_active", True)
    return value not in (False, "false", "False", "0", 0, "inactive")


@transaction.atomic
def staff_deprovision(user) -> None:
    """Take a directory user's access away at once: inactive, memberships ended (those begun today removed)."""
    yesterday = today() - timedelta(days=1)
    current_rows = Membership.objects.filter(current(today()), user=user)
    current_rows.filter(valid_from__lte=yesterday).update(valid_to=yesterday)
    current_rows.filter(valid_from__gt=yesterday).delete()
    user.is_active = False
    user.save(update_fields=["is_active"])


@transaction.atomic
def staff_memberships_sync(user, duties: list[tuple[int, str]]) -> None:
    """Bring the user's current memberships in line with the directory: add the missing, end the rest."""
    on = today()
    wanted = set(duties)
    held = {(row.unit_id, row.role): row for row in Membership.objects.filter(current(on), user=user)}
    for key, row in held.items():
        if key not in wanted:
            if row.valid_from < on:
                row.valid_to = on - timedelta(days=1)
                row.save(update_fields=["valid_to"])
            else:
                row.delete()
    known = set(Unit.objects.filter(pk__in=[unit for unit, _ in wanted]).values_list("pk", flat=True))
    for unit, role in sorted(wanted - held.keys()):
        if unit in known:
            Membership.objects.create(user=user, unit_id=unit, role=role, valid_from=on)


class StaffBackend(OIDCAuthenticationBackend):
    """Sign staff in through the organisation's provider; create, update or deprovision them from the claims."""

    get_settings = staticmethod(staff_settings)

    def authenticate(self, request, **kwargs):
        if request is None or request.path != reverse("accounts:staff_oidc_callback"):
            return None  # only the staff callback answers for this provider
        return super().authenticate(request, **kwargs)

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None  # a deprovisioned user's session ends at once

    def verify_claims(self, claims: dict) -> bool:
        return bool(_claim(claims, "preferred_username"))

    @transaction.atomic
    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            logger.info("Staff sign-in refused: the provider sent no username claim")
            return None
        username = str(_claim(claims, "preferred_username"))[:150]
        user = get_user_model().objects.select_for_update().filter(username=username).first()
        if user is not None and user.has_usable_password():
            logger.warning("Staff sign-in refused: the username belongs to a local account")
            return None  # a local account keeps its password and TOTP; the directory never takes it over
        duties = duties_from_claims(claims)
        if not is_active_claim(claims) or not duties:
            if user is not None:
                staff_deprovision(user)
            logger.info("Staff sign-in refused: inactive in the directory, or no duty Samplan knows")
            return None
        if user is None:
            user = get_user_model().objects.create_user(username=username)  # no password: the provider signs in
        user.first_name = str(_claim(claims, "given_name", ""))[:150]
        user.last_name = str(_claim(claims, "family_name", ""))[:150]
        user.email = str(_claim(claims, "email", ""))[:254]
        user.is_active = True
        user.save()
        staff_memberships_sync(user, duties)
        return user


class StaffCallbackView(CallbackView):
    get_settings = staticmethod(staff_settings)


class StaffRequestView(OIDCAuthenticationRequestView):
    get_settings = staticmethod(staff_settings)


def _only_when_configured(view):
    def run(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not settings.SAMPLAN_STAFF_OIDC_ENABLED:
            raise Http404  # no staff provider configured: the routes do not exist
        return view(request, *args, **kwargs)

    return run


staff_oidc_start = public(never_cache(_only_when_configured(StaffRequestView.as_view())))
staff_oidc_callback = public(never_cache(_only_when_configured(StaffCallbackView.as_view())))
