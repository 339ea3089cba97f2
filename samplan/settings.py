"""Samplan settings, read from the environment in one place.

SAMPLAN_ENV selects the mode: "development" (default, the demo), "test" or "production".
Production refuses to start without a real secret key, allowed hosts and field key.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Environment variable {name} must be set.")
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, got {value!r}.")


def env_list(name: str, default: str | None = None) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}.") from exc


def env_syslog(name: str) -> tuple[str | tuple[str, int], str] | None:
    """Parse a syslog destination: /dev/log (a local socket), host:port (UDP) or tcp://host:port."""
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    if value.startswith("/"):
        return value, "unix"
    transport, _, address = value.rpartition("://")
    host, _, port = address.rpartition(":")
    if transport not in {"", "udp", "tcp"} or not host or not port.isdigit():
        raise ImproperlyConfigured(f"{name} must be /path/to/socket, host:port or tcp://host:port, got {value!r}.")
    return (host.removeprefix("[").removesuffix("]"), int(port)), transport or "udp"  # [::1]:514 is IPv6


SAMPLAN_ENV = env_str("SAMPLAN_ENV", "development")
if SAMPLAN_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured("SAMPLAN_ENV must be development, test or production.")
PRODUCTION = SAMPLAN_ENV == "production"

# Development and test get fixed, clearly fake keys; production must provide its own.
_DEV_SECRET = "dev-only-insecure-secret-key-never-use-in-production-0123456789"  # noqa: S105
_DEV_FIELD_KEY = "ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcHJvZCE="
SECRET_KEY = env_str("SECRET_KEY") if PRODUCTION else env_str("SECRET_KEY", _DEV_SECRET)
# Fernet key(s) for the encrypted contact-details store; the first encrypts, all decrypt.
SAMPLAN_FIELD_KEYS = env_list("SAMPLAN_FIELD_KEYS", None if PRODUCTION else _DEV_FIELD_KEY)
if PRODUCTION and (SECRET_KEY == _DEV_SECRET or _DEV_FIELD_KEY in SAMPLAN_FIELD_KEYS or not SAMPLAN_FIELD_KEYS):
    raise ImproperlyConfigured("Production needs its own SECRET_KEY and SAMPLAN_FIELD_KEYS, not the development ones.")

# Signed checkpoints of the audit chain's head, kept outside the database (docs/audit.md). The key is an
# HMAC key of its own, not SECRET_KEY, so either can be rotated or leak without touching the other; the
# first of several keys signs and every key verifies, so older checkpoints still verify after a rotation.
_DEV_AUDIT_CHECKPOINT_KEY = "dev-only-audit-checkpoint-key-never-use-in-production"
SAMPLAN_AUDIT_CHECKPOINT_KEYS = env_list(
    "SAMPLAN_AUDIT_CHECKPOINT_KEY", None if PRODUCTION else _DEV_AUDIT_CHECKPOINT_KEY
)
if PRODUCTION and (
    _DEV_AUDIT_CHECKPOINT_KEY in SAMPLAN_AUDIT_CHECKPOINT_KEYS
    or not SAMPLAN_AUDIT_CHECKPOINT_KEYS
    or any(len(key) < 32 for key in SAMPLAN_AUDIT_CHECKPOINT_KEYS)
):
    raise ImproperlyConfigured(
        "Production needs its own SAMPLAN_AUDIT_CHECKPOINT_KEY of at least 32 characters, not the development one."
    )
# The file audit_verify reads the latest checkpoint from; production must name one (on storage the database
# administrators cannot rewrite), development keeps it in var/ beside the embedded database.
_checkpoint_file = env_str("SAMPLAN_AUDIT_CHECKPOINT_FILE", None if PRODUCTION else "var/audit-checkpoints.jsonl")
if not _checkpoint_file.strip():
    raise ImproperlyConfigured("SAMPLAN_AUDIT_CHECKPOINT_FILE must name a file.")
SAMPLAN_AUDIT_CHECKPOINT_FILE = BASE_DIR / _checkpoint_file.strip()  # a relative path is taken from the project


# A copy of every checkpoint sent to syslog (for a central log server); off unless set.
SAMPLAN_AUDIT_CHECKPOINT_SYSLOG = env_syslog("SAMPLAN_AUDIT_CHECKPOINT_SYSLOG")
# Independent hash chains audit rows are spread over on PostgreSQL, so writers do not wait for one another
# (docs/audit.md). Fixed per deployment; SQLite writes one chain.
SAMPLAN_AUDIT_STRIPES = env_int("SAMPLAN_AUDIT_STRIPES", 16)
if not 1 <= SAMPLAN_AUDIT_STRIPES <= 1024:
    raise ImproperlyConfigured("SAMPLAN_AUDIT_STRIPES must be between 1 and 1024.")

DEBUG = env_bool("DEBUG", default=SAMPLAN_ENV == "development")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", None if PRODUCTION else "localhost,127.0.0.1,testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Environment variable ALLOWED_HOSTS must name the site's host(s) in production.")
CSRF_TRUSTED_ORIGINS = [o for o in env_str("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_htmx",
    "ninja",  # its templates and static files serve the API docs locally (no CDN)
    "template_partials",
    "core",
    "accounts",
    "organisations",
    "people",
    "namedperson",
    "sharing",
    "family",
    "wellbeing",
    "plans",
    "teams",
    "meetings",
    "programmes",
    "indicators",
    "catalogue",
    "notifications",
    "directory",
    "registration",
    "evaluation",
    "audit",
    "imports",
    "api",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Every answer under /api/v1/ in the API's JSON format, also Django's own 404, 405, 400 and 500.
    "api.middleware.JsonErrorsMiddleware",
    "core.middleware.ServerTimingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so the 400 page it renders has the user, language and security headers of every page.
    "core.middleware.NulParametersMiddleware",
]

ROOT_URLCONF = "samplan.urls"
WSGI_APPLICATION = "samplan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "core.context_processors.samplan",
                "core.context_processors.navigation",
                "sharing.context_processors.emergency_banner",
            ],
        },
    },
]

# SQLite file as the embedded default; DATABASE_URL points at PostgreSQL in CI and production.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'samplan.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Serialise writers so the audit hash chain never forks on the embedded database.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# Statements made of many parts (the start page's counts) are planned once per connection as server-side
# prepared statements (core.prepared.execute_planned). Turn off behind a pooler that does not keep sessions.
SAMPLAN_PG_PREPARE = env_bool("SAMPLAN_PG_PREPARE", True)

if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    _session = []
    if not env_bool("SAMPLAN_PG_JIT", False):
        # PostgreSQL JIT-compiles every plan above jit_above_cost on every execution, which costs a page far
        # more than it saves on short queries; each connection turns it off unless SAMPLAN_PG_JIT=on.
        _session.append("-c jit=off")
    if SAMPLAN_PG_PREPARE:
        # Otherwise the server plans each prepared statement anew for the values of its first five executions,
        # which for a statement of many sub-queries costs far more than running it. Only those statements are
        # affected: Django binds every other statement's parameters in the client. A connection setting, so no
        # rolled-back transaction can undo it.
        _session.append("-c plan_cache_mode=force_generic_plan")
    if _session:
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = " ".join(_session)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# OpenID Connect sign-in for guardians and children (e.g. a provider offering BankID); on only when configured.
# See docs/configuration.md. The provider's personal-number claim is matched to Guardian/Child identity numbers.
SAMPLAN_OIDC_ENABLED = bool(os.environ.get("SAMPLAN_OIDC_CLIENT_ID"))
SAMPLAN_OIDC_IDENTITY_CLAIM = env_str("SAMPLAN_OIDC_IDENTITY_CLAIM", "personal_number")
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
LOGIN_REDIRECT_URL_FAILURE = "/konto/logga-in/?e-legitimation=misslyckades"
if SAMPLAN_OIDC_ENABLED:
    OIDC_RP_CLIENT_ID = env_str("SAMPLAN_OIDC_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env_str("SAMPLAN_OIDC_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("SAMPLAN_OIDC_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env_str("SAMPLAN_OIDC_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env_str("SAMPLAN_OIDC_USERINFO_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env_str("SAMPLAN_OIDC_JWKS_ENDPOINT")
    OIDC_RP_SIGN_ALGO = env_str("SAMPLAN_OIDC_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = env_str("SAMPLAN_OIDC_SCOPES", "openid")
    OIDC_USE_PKCE = True
    AUTHENTICATION_BACKENDS += ["accounts.oidc.IdentityNumberBackend"]

# OpenID Connect sign-in for staff through the organisation's provider (Keycloak with SITHS); docs/identity.md.
SAMPLAN_STAFF_OIDC_ENABLED = bool(os.environ.get("SAMPLAN_STAFF_OIDC_CLIENT_ID"))
SAMPLAN_STAFF_OIDC: dict = {}
if SAMPLAN_STAFF_OIDC_ENABLED:
    SAMPLAN_STAFF_OIDC = {
        "OIDC_RP_CLIENT_ID": env_str("SAMPLAN_STAFF_OIDC_CLIENT_ID"),
        "OIDC_RP_CLIENT_SECRET": env_str("SAMPLAN_STAFF_OIDC_CLIENT_SECRET"),
        "OIDC_OP_AUTHORIZATION_ENDPOINT": env_str("SAMPLAN_STAFF_OIDC_AUTHORIZATION_ENDPOINT"),
        "OIDC_OP_TOKEN_ENDPOINT": env_str("SAMPLAN_STAFF_OIDC_TOKEN_ENDPOINT"),
        "OIDC_OP_USER_ENDPOINT": env_str("SAMPLAN_STAFF_OIDC_USERINFO_ENDPOINT"),
        "OIDC_OP_JWKS_ENDPOINT": env_str("SAMPLAN_STAFF_OIDC_JWKS_ENDPOINT"),
        "OIDC_OP_ISSUER": env_str("SAMPLAN_STAFF_OIDC_ISSUER", ""),  # the `iss` a back-channel logout token must carry
        "OIDC_RP_SIGN_ALGO": env_str("SAMPLAN_STAFF_OIDC_SIGN_ALGO", "RS256"),
        "OIDC_RP_SCOPES": env_str("SAMPLAN_STAFF_OIDC_SCOPES", "openid profile email"),
        "UNITS": json.loads(env_str("SAMPLAN_STAFF_OIDC_UNITS", "{}")),  # directory unit code -> Samplan unit id
        "ROLES": json.loads(env_str("SAMPLAN_STAFF_OIDC_ROLES", "{}")),  # extra duty title -> role
        "CLAIMS": json.loads(env_str("SAMPLAN_STAFF_OIDC_CLAIMS", "{}")),  # claim names, if the provider's differ
    }
    AUTHENTICATION_BACKENDS += ["accounts.staff_oidc.StaffBackend"]

# Lockout keyed on user *and* address, with a cool-off, so nobody can lock others out.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0) or None
AXES_VERBOSE = False
# A Swedish page saying when to try again (status 429), shared by both login steps.
AXES_LOCKOUT_CALLABLE = "accounts.views.login.lockout_response"

# Sessions: 15-minute idle timeout (renewed by requests), 12-hour absolute limit.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 15 * 60)
# Not saved on every request: accounts.middleware renews a signed-in session once a fifteenth of the idle
# timeout (a minute) has passed since it last did.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SAMPLAN_SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
OTP_TOTP_ISSUER = "Samplan"
# Administrators may remove a lost device but never read another user's TOTP secret or QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# The design system and htmx come from the npm registry (package.json) and are served from node_modules,
# never from a CDN: Samplan must work on closed municipal networks. Only installed packages are added.
_NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS += [
    (prefix, _NODE_MODULES / package_dir)
    for prefix, package_dir in (
        ("vendor/designsystemet-css", "@digdir/designsystemet-css/dist/src"),
        ("vendor/designsystemet-theme", "@digdir/designsystemet-theme/src/themes"),
        ("vendor/htmx", "htmx.org/dist"),
        ("vendor/vega", "vega/build"),
        ("vendor/vega-lite", "vega-lite/build"),
        ("vendor/vega-embed", "vega-embed/build"),
        ("vendor/vega-interpreter", "vega-interpreter/build"),
    )
    if (_NODE_MODULES / package_dir).is_dir()
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Uploaded evidence (signed consent forms) holds personal data: kept outside the static tree and never
# served by a URL of its own; pages that show it check access first.
MEDIA_ROOT = env_str("MEDIA_ROOT", str(BASE_DIR / "media"))

# Content Security Policy: everything from our own origin; no CDN anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 63072000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# Emergency access (nödåtkomst) is a Patient Data Act rule for health care (PDL 2008:355 6 kap.), not a general
# override: who may start it (roles at an authority of these sectors), whose records it opens (another authority of
# these sectors) and which categories. A deployment may narrow these; sharing.policy.emergency refuses anything
# outside health care. The legal basis is cited from the versioned LegalReference with this key.
SAMPLAN_EMERGENCY_ROLES = env_list("SAMPLAN_EMERGENCY_ROLES", "practitioner,midwife,child_health_nurse")
SAMPLAN_EMERGENCY_SECTORS = env_list(
    "SAMPLAN_EMERGENCY_SECTORS", "child_health,maternity,child_psychiatry,first_line,habilitation,primary_care"
)
SAMPLAN_EMERGENCY_CATEGORIES = env_list("SAMPLAN_EMERGENCY_CATEGORIES", "health")
SAMPLAN_EMERGENCY_LEGAL_REFERENCE = env_str("SAMPLAN_EMERGENCY_LEGAL_REFERENCE", "emergency_access")

# Demo mode marks every page with a banner saying the data is fictitious.
SAMPLAN_DEMO = env_bool("SAMPLAN_DEMO", default=SAMPLAN_ENV == "development")

# Notifications (docs/notifications.md): e-mail by SMTP, SMS through a provider class; the console in development.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Samplan <noreply@samplan.invalid>")
# The address links in notifications start with; in production the first allowed host over HTTPS by default.
SAMPLAN_BASE_URL = env_str(
    "SAMPLAN_BASE_URL", f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION and ALLOWED_HOSTS else "http://localhost:8000"
)
SAMPLAN_SMS_PROVIDER = env_str("SAMPLAN_SMS_PROVIDER", "notifications.sms.LoggingSmsProvider")
# Services queue notifications with their work; after the commit a background thread tries them once (never
# inside the request). Off: only `run_due_tasks` delivers them. Off in tests, which deliver explicitly.
SAMPLAN_NOTIFY_IN_BACKGROUND = env_bool("SAMPLAN_NOTIFY_IN_BACKGROUND", default=SAMPLAN_ENV != "test")
# Django's cache: "local" (each server process its own, the default) or "database" (one table every process
# shares; run `manage.py createcachetable` once). The people search's rate limit and the evaluation cache use it.
SAMPLAN_CACHE = env_str("SAMPLAN_CACHE", "local")
if SAMPLAN_CACHE not in {"local", "database"}:
    raise ImproperlyConfigured("SAMPLAN_CACHE must be local or database.")
if SAMPLAN_CACHE == "database":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "samplan_cache"}}
# The people picker's search (docs/notifications.md): at most this many searches per user and minute; 0 is no limit.
SAMPLAN_PEOPLE_SEARCH_PER_MINUTE = env_int("SAMPLAN_PEOPLE_SEARCH_PER_MINUTE", 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

if SAMPLAN_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Table and column comments are applied on PostgreSQL; SQLite ignores them.
SILENCED_SYSTEM_CHECKS = ["fields.W163", "models.W046"]

# Statistics: a count below this many children is never shown, exported or sent through the API
# (Swedish small-count suppression, docs/configuration.md). Read through core.disclosure only.
SAMPLAN_DISCLOSURE_THRESHOLD = env_int("SAMPLAN_DISCLOSURE_THRESHOLD", 5)
SAMPLAN_EVALUATION_CACHE_SECONDS = env_int("SAMPLAN_EVALUATION_CACHE_SECONDS", 0)
