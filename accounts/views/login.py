"""Two-step sign-in: password, then a TOTP code (enrolling a device the first time).

Between the steps nobody is signed in: the session only remembers whose password was right, for
a few minutes. Django's login() runs once the second factor is verified, so a password alone never
yields a session, and django-axes resets a user's failure count only after a complete sign-in.
Failed codes are reported to axes like failed passwords, so both steps share one lockout.
"""

from __future__ import annotations

import base64
import math
import time
from io import BytesIO

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model, user_login_failed
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.db.models import Max
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.forms import CodeForm, LoginForm
from accounts.middleware import LOGIN_AT_KEY
from accounts.services import totp_device_confirm, totp_device_create
from core.access import is_verified, public

PENDING_USER_KEY = "samplan_pending_user_id"
PENDING_BACKEND_KEY = "samplan_pending_backend"
PENDING_AT_KEY = "samplan_pending_at"
PENDING_NEXT_KEY = "samplan_pending_next"
# Time allowed between the password and the code; long enough to find the phone, short enough to not linger.
PENDING_SECONDS = 5 * 60
CODE_ERROR = _(
    "Koden stämmer inte. Vänta tills appen visar en ny kod och skriv den. "
    "Kontrollera att telefonens klocka går rätt om felet återkommer."
)


def _safe_next(request, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def _start_pending(request, user, next_url: str) -> None:
    request.session.cycle_key()
    request.session[PENDING_USER_KEY] = user.pk
    request.session[PENDING_BACKEND_KEY] = user.backend
    request.session[PENDING_AT_KEY] = time.time()
    request.session[PENDING_NEXT_KEY] = next_url


def _clear_pending(request) -> None:
    for key in (PENDING_USER_KEY, PENDING_BACKEND_KEY, PENDING_AT_KEY, PENDING_NEXT_KEY):
        request.session.pop(key, None)


def _pending_user(request):
    """Return the user whose password was just accepted, or None if there is none or it is too old."""
    started = request.session.get(PENDING_AT_KEY)
    if started is None or time.time() - started > PENDING_SECONDS:
        _clear_pending(request)
        return None
    return get_user_model().objects.filter(pk=request.session.get(PENDING_USER_KEY), is_active=True).first()


def _restart(request):
    _clear_pending(request)
    return redirect(resolve_url("accounts:login") + "?borjaom=1")


def _complete_login(request, user, device):
    backend = request.session.get(PENDING_BACKEND_KEY)
    next_url = request.session.get(PENDING_NEXT_KEY) or resolve_url(settings.LOGIN_REDIRECT_URL)
    _clear_pending(request)
    auth_login(request, user, backend=backend)  # rotates the session key and lets axes reset the failures
    otp_login(request, device)
    request.session[LOGIN_AT_KEY] = time.time()
    return redirect(next_url)


def _code_failed(request, user, form: CodeForm):
    """Count a wrong code with axes like a wrong password; return the lockout page once the limit is hit."""
    form.add_error("code", CODE_ERROR)
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
    if getattr(request, "axes_locked_out", False):
        _clear_pending(request)
        return lockout_response(request, None, {"username": user.get_username()})
    return None


def _is_locked(request, user) -> bool:
    return AxesProxyHandler.is_locked(request, {"username": user.get_username()})


# The sign-in pages are never cached: the enrolment step shows a TOTP secret, and a shared
# computer's back button must not bring back a half-finished sign-in.
@public
@never_cache
@require_http_methods(["GET", "POST"])
def login(request):
    """Step 1: check username and password."""
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if is_verified(request.user):
        return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    if form.is_valid():
        _start_pending(request, form.user, next_url)
        if TOTPDevice.objects.filter(user=form.user, confirmed=True).exists():
            return redirect("accounts:login_code")
        return redirect("accounts:login_enrol")
    if getattr(request, "axes_locked_out", False):
        return lockout_response(request, None, {"username": request.POST.get("username", "")})
    context = {
        "form": form,
        "next": next_url,
        "signed_out": request.GET.get("utloggad"),
        "restart": "borjaom" in request.GET,
        "oidc_enabled": settings.SAMPLAN_OIDC_ENABLED,
        "oidc_failed": "e-legitimation" in request.GET,
        "staff_oidc_enabled": settings.SAMPLAN_STAFF_OIDC_ENABLED,
        "staff_oidc_failed": "tjanstekort" in request.GET,
    }
    return render(request, "accounts/login.html", context)


@public
@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request):
    """Step 2: check the code from the user's confirmed TOTP device."""
    user = _pending_user(request)
    if user is None:
        return _restart(request)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        return redirect("accounts:login_enrol")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if _is_locked(request, user):
            _clear_pending(request)
            return lockout_response(request, None, {"username": user.get_username()})
        if form.is_valid():
            # verify_token locks the device row, so a code can be used once even by two requests at once.
            if verify_token(user, device.persistent_id, form.cleaned_data["code"]):
                device.refresh_from_db()
                return _complete_login(request, user, device)
            locked = _code_failed(request, user, form)
            if locked is not None:
                return locked
    return render(request, "accounts/login_code.html", {"form": form})


def _qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _grouped_secret(device: TOTPDevice) -> str:
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@public
@never_cache
@require_http_methods(["GET", "POST"])
def login_enrol(request):
    """Step 2 the first time: show a new TOTP secret and confirm it with a code."""
    user = _pending_user(request)
    if user is None:
        return _restart(request)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("accounts:login_code")
    # Reuse the pending device so a reload shows the same QR code the user may already have scanned.
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = totp_device_create(user=user, confirmed=False)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if _is_locked(request, user):
            _clear_pending(request)
            return lockout_response(request, None, {"username": user.get_username()})
        if form.is_valid():
            if verify_token(user, device.persistent_id, form.cleaned_data["code"]):
                device.refresh_from_db()
                totp_device_confirm(device=device)
                return _complete_login(request, user, device)
            locked = _code_failed(request, user, form)
            if locked is not None:
                return locked
    context = {
        "form": form,
        "qr_code": _qr_data_uri(device.config_url),
        "secret": _grouped_secret(device),
        "issuer": settings.OTP_TOTP_ISSUER,
        "username": user.get_username(),
    }
    return render(request, "accounts/login_enrol.html", context)


@public
@require_POST
def logout(request):
    """Sign out and return to the login page."""
    auth_logout(request)
    return redirect(resolve_url("accounts:login") + "?utloggad=sjalv")


def lockout_response(request, response=None, credentials=None):
    """Render the lockout page (django-axes calls this through AXES_LOCKOUT_CALLABLE)."""
    username = get_client_username(request, credentials) or ""
    cool_off = get_cool_off(request)
    latest = AccessAttempt.objects.filter(
        username=username, ip_address=getattr(request, "axes_ip_address", None)
    ).aggregate(latest=Max("attempt_time"))["latest"]
    minutes = None
    if cool_off is not None:
        remaining = (latest or timezone.now()) + cool_off - timezone.now()
        minutes = max(1, math.ceil(remaining.total_seconds() / 60))
    response = render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
    add_never_cache_headers(response)
    return response
