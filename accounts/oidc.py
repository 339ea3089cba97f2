"""Sign-in through an OpenID Connect identity provider (e.g. one offering BankID), for guardians and children.

On only when the SAMPLAN_OIDC_* settings are given (see docs/configuration.md). The provider's
verified personal-number claim is matched to a Guardian or a Child; a user is created on the first
sign-in of a known person and never for an unknown number. The number is never logged. The provider
authenticates strongly, so the session counts as two-factor verified (an IdentityProviderDevice).
"""

from __future__ import annotations

import logging
import secrets
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from accounts.middleware import LOGIN_AT_KEY
from accounts.models import IdentityProviderDevice
from core import personnummer
from core.access import public
from people.models import Child, Guardian

logger = logging.getLogger(__name__)
DEVICE_NAME = "E-legitimation"


def _number(claims: dict) -> str | None:
    """Return the normalised personal number from the configured claim, or None if it is missing or invalid."""
    try:
        return personnummer.normalise(str(claims.get(settings.SAMPLAN_OIDC_IDENTITY_CLAIM) or ""))
    except ValidationError:
        return None


class IdentityNumberBackend(OIDCAuthenticationBackend):
    """Match the provider's personal number to a guardian's or child's user; create it for a known person only."""

    def authenticate(self, request, **kwargs):
        if request is not None and request.resolver_match and request.resolver_match.url_name == "staff_oidc_callback":
            return None  # the staff provider's callback (accounts.staff_oidc) is not this provider's
        return super().authenticate(request, **kwargs)

    def verify_claims(self, claims: dict) -> bool:
        return _number(claims) is not None

    def filter_users_by_claims(self, claims: dict):
        number = _number(claims)
        if number is None:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(
            Q(guardian__identity_number=number) | Q(child_self__identity_number=number), is_active=True
        )

    @transaction.atomic
    def create_user(self, claims: dict):
        number = _number(claims)
        guardian = Guardian.objects.select_for_update().filter(identity_number=number, user__isnull=True).first()
        child = None
        if guardian is None:
            child = Child.objects.select_for_update().filter(identity_number=number, user__isnull=True).first()
        person = guardian or child
        if person is None:
            logger.info("OIDC sign-in refused: the number matches no guardian or child")  # never the number
            return None
        # A random user name: the personal number must not become a login name shown in logs and lists.
        user = get_user_model().objects.create_user(
            username=f"e-leg-{secrets.token_hex(6)}", first_name=person.given_name, last_name=person.family_name
        )  # no password: this user signs in through the provider only
        person.user = user
        person.save(update_fields=["user"])
        return user

    def update_user(self, user, claims: dict):
        return user  # the population register, not the provider, is the source of names and custody


class CallbackView(OIDCAuthenticationCallbackView):
    """Finish the provider's sign-in, and mark the session verified by the provider."""

    def login_success(self) -> HttpResponse:
        response = super().login_success()
        device, _ = IdentityProviderDevice.objects.get_or_create(user=self.user, defaults={"name": DEVICE_NAME})
        otp_login(self.request, device)
        self.request.session[LOGIN_AT_KEY] = time.time()
        return response


def _only_when_configured(view):
    def run(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not settings.SAMPLAN_OIDC_ENABLED:
            raise Http404  # no provider configured: the routes do not exist
        return view(request, *args, **kwargs)

    return run


oidc_start = public(never_cache(_only_when_configured(OIDCAuthenticationRequestView.as_view())))
oidc_callback = public(never_cache(_only_when_configured(CallbackView.as_view())))
