"""Staff and family users, and API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device


class User(AbstractUser):
    """A person who signs in: staff (through memberships) or, later, a guardian or child."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id; audit rows name the actor by it.")

    title = models.CharField(
        _("titel"), max_length=100, blank=True, db_comment="Job title shown to families, e.g. 'Rektor'."
    )
    phone = models.CharField(_("telefon"), max_length=40, blank=True, db_comment="Work phone shown to families.")

    class Meta(AbstractUser.Meta):
        db_table_comment = "Everyone who signs in to Samplan."

    def __str__(self) -> str:
        return self.get_full_name() or self.username


# Columns inherited from Django's AbstractUser get their comments here, since their definitions live in Django.
_INHERITED_COLUMN_COMMENTS = {
    "password": "Password hash (Argon2 in production); never the password itself.",
    "last_login": "When the user last completed a sign-in (password and second factor).",
    "is_superuser": "Has every permission in the admin without being granted them.",
    "username": "Unique sign-in name.",
    "first_name": "Given name.",
    "last_name": "Family name.",
    "email": "Work e-mail address.",
    "is_staff": "May use the Django admin (still requires a verified second factor).",
    "is_active": "Unset to block sign-in and API tokens without deleting the user.",
    "date_joined": "When the account was created.",
}
for _name, _comment in _INHERITED_COLUMN_COMMENTS.items():
    User._meta.get_field(_name).db_comment = _comment


class ApiToken(models.Model):
    """A bearer token for the staff API; only its SHA-256 is stored."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", db_comment="Owner of the token."
    )
    name = models.CharField(_("namn"), max_length=100, db_comment="What the token is for.")
    key_hash = models.CharField(max_length=64, unique=True, db_comment="SHA-256 of the secret token.")
    prefix = models.CharField(max_length=8, db_comment="First characters of the token, to recognise it.")
    created_at = models.DateTimeField(auto_now_add=True, db_comment="When the token was made.")
    expires_at = models.DateTimeField(db_comment="When the token stops working.")
    revoked_at = models.DateTimeField(null=True, blank=True, db_comment="When the token was revoked.")
    last_used_at = models.DateTimeField(null=True, blank=True, db_comment="Last successful use.")

    class Meta:
        db_table_comment = "Staff API tokens (hashed)."
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class IdentityProviderDevice(Device):
    """The second factor of a sign-in through an OpenID Connect identity provider (e.g. BankID).

    It holds no secret and verifies no code: the identity provider has already authenticated the
    person strongly. Marking the session with it lets every two-factor check treat the sign-in as
    verified, exactly as after a TOTP code.
    """

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="+", db_comment="The user who signs in through the provider."
    )
    name = models.CharField(max_length=64, db_comment="The provider, as shown to the user.")
    confirmed = models.BooleanField(default=True, db_comment="Always true: the provider is ready for use.")

    class Meta:
        db_table_comment = "Sign-ins through an OpenID Connect identity provider, as a django-otp device."
        verbose_name = _("inloggning via e-legitimation")
        verbose_name_plural = _("inloggningar via e-legitimation")

    def verify_token(self, token) -> bool:
        return False  # no codes: the provider verified the person before Samplan saw them


class StaffProviderSession(models.Model):
    """A Samplan session opened through the staff identity provider: what a back-channel logout ends.

    The provider names the session it ends by its own session id (`sid`) or the person (`sub`); this
    row is how Samplan finds its sessions from those. It holds no personal data beyond the provider's ids.
    """

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="+", db_comment="The user signed in through the provider."
    )
    session_key = models.CharField(max_length=40, db_comment="The Samplan session the sign-in opened.")
    sub = models.CharField(max_length=255, db_index=True, db_comment="The provider's subject id of the user.")
    sid = models.CharField(
        max_length=255, blank=True, db_index=True, db_comment="The provider's session id, when it sends one."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_comment="When the sign-in happened.")

    class Meta:
        db_table_comment = "Sessions opened through the staff OIDC provider, ended by its back-channel logout."
        verbose_name = _("inloggning via tjänstekort")
        verbose_name_plural = _("inloggningar via tjänstekort")
