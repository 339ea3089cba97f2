"""Staff sign-in through the organisation's OpenID Connect provider (Keycloak with SITHS), provisioned just in time.

On only when the SAMPLAN_STAFF_OIDC_* settings are given (docs/identity.md). A separate client, routes and
backend from the family sign-in (`accounts.oidc`). The directory is the source of a staff member's
authority and unit: each sign-in reads the duties in the claims, maps each (directory unit code, duty) to a
Samplan unit and role, and brings the user's memberships in line. A claim that says the person is no longer
active, or no duty Samplan knows, deprovisions the user at once: inactive users pass no policy check and
their sessions end on the next request. Local accounts (with a password) keep their TOTP second factor and
are never taken over by a directory sign-in.

Back-channel logout (OpenID Connect Back-Channel Logout 1.0): the provider POSTs a signed `logout_token`
to `/konto/tjanstekort/utloggning/` when a person signs out there or the session ends; Samplan validates it
(signature against the provider's keys, `iss`, `aud`, `iat`, the logout event, `sid` or `sub`, no `nonce`,
a `jti` not seen before) and ends the sessions that sign-in opened (`StaffProviderSession`).
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from importlib import import_module

import jwt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from accounts.models import StaffProviderSession
from accounts.oidc import CallbackView
from core.access import public
from organisations.models import Membership, Role, Unit
from sharing.policy import current, today

logger = logging.getLogger(__name__)

# Between the backend (which reads the verified id token) and the callback (which knows the new session key).
PROVIDER_IDS = "samplan_staff_provider_ids"
BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"
LOGOUT_TOKEN_MAX_AGE = 5 * 60  # seconds: a logout token issued longer ago than this is refused
LOGOUT_TOKEN_LEEWAY = 60  # seconds of clock difference allowed with the provider

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
        # The provider's ids of this sign-in, for its back-channel logout (the callback records them).
        self.request.session[PROVIDER_IDS] = {"sub": str(payload.get("sub", "")), "sid": str(payload.get("sid", ""))}
        return user


class StaffCallbackView(CallbackView):
    get_settings = staticmethod(staff_settings)

    def login_success(self) -> HttpResponse:
        response = super().login_success()
        ids = self.request.session.pop(PROVIDER_IDS, None) or {}
        if ids.get("sub") or ids.get("sid"):
            if not self.request.session.session_key:
                self.request.session.save()
            # Rows older than the longest session are of sessions that have ended anyway.
            oldest = timezone.now() - timedelta(seconds=settings.SAMPLAN_SESSION_ABSOLUTE_SECONDS)
            StaffProviderSession.objects.filter(user=self.user, created_at__lt=oldest).delete()
            StaffProviderSession.objects.create(
                user=self.user,
                session_key=self.request.session.session_key,
                sub=ids.get("sub", "")[:255],
                sid=ids.get("sid", "")[:255],
            )
        return response


class LogoutTokenError(Exception):
    """A logout token that fails validation; the message says why, in English, for the provider and the log."""


def logout_token_claims(token: str) -> dict:
    """Validate a back-channel logout token (Back-Channel Logout 1.0, section 2.6) and return its claims."""
    algorithm = staff_settings("OIDC_RP_SIGN_ALGO", "RS256")
    issuer = staff_settings("OIDC_OP_ISSUER", "")
    if not issuer:
        raise LogoutTokenError("no issuer is configured (SAMPLAN_STAFF_OIDC_ISSUER)")
    try:
        header = jwt.get_unverified_header(token)
        if header.get("alg") != algorithm:  # never "none", never an algorithm the provider was not set up with
            raise LogoutTokenError("unexpected signing algorithm")
        key = StaffBackend().retrieve_matching_jwk(token)
        claims = jwt.decode(
            token,
            key=key,
            algorithms=[algorithm],
            audience=staff_settings("OIDC_RP_CLIENT_ID"),
            issuer=issuer,
            leeway=LOGOUT_TOKEN_LEEWAY,
            options={"require": ["iss", "aud", "iat", "jti"]},
        )
    except (jwt.InvalidTokenError, SuspiciousOperation) as exc:
        raise LogoutTokenError(f"invalid token: {type(exc).__name__}") from exc
    if not isinstance(claims["iat"], int | float) or claims["iat"] < time.time() - LOGOUT_TOKEN_MAX_AGE:
        raise LogoutTokenError("the token was issued too long ago")
    events = claims.get("events")
    if not isinstance(events, dict) or not isinstance(events.get(BACKCHANNEL_LOGOUT_EVENT), dict):
        raise LogoutTokenError("no back-channel logout event")
    if "nonce" in claims:
        raise LogoutTokenError("a logout token must not carry a nonce")
    if not (claims.get("sid") or claims.get("sub")):
        raise LogoutTokenError("neither sid nor sub")
    # Each token is used once: a replayed one is refused (kept for as long as it could still be accepted).
    if not cache.add(f"staff-oidc-logout:{claims['jti']}", True, LOGOUT_TOKEN_MAX_AGE + 2 * LOGOUT_TOKEN_LEEWAY):
        raise LogoutTokenError("the token has been used before")
    return claims


def staff_provider_logout(*, sub: str = "", sid: str = "") -> int:
    """End the sessions a provider sign-in opened: that provider session (`sid`), or all of the person's (`sub`)."""
    rows = StaffProviderSession.objects.all()
    if sid:
        rows = rows.filter(sid=sid)
    if sub:
        rows = rows.filter(sub=sub)
    keys = list(rows.values_list("session_key", flat=True))
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in keys:
        store(session_key=key).delete()
    rows.delete()
    return len(keys)


@require_POST
def backchannel_logout(request: HttpRequest) -> HttpResponse:
    """Receive the provider's logout token and end the sessions it names (200), or refuse it (400)."""
    try:
        claims = logout_token_claims(request.POST.get("logout_token", ""))
    except LogoutTokenError as exc:
        logger.warning("Back-channel logout refused: %s", exc)  # never the token: it names the person
        return JsonResponse({"error": "invalid_request", "error_description": str(exc)}, status=400)
    ended = staff_provider_logout(sub=str(claims.get("sub") or ""), sid=str(claims.get("sid") or ""))
    logger.info("Back-channel logout ended %d session(s)", ended)
    return HttpResponse(status=200)  # `never_cache` below adds Cache-Control: no-store, as the specification asks


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
# The provider posts server to server, with a signed token instead of a cookie: no CSRF token to check.
staff_oidc_backchannel_logout = csrf_exempt(public(never_cache(_only_when_configured(backchannel_logout))))
