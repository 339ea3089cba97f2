"""Staff and family users, and API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: staff (through memberships) or, later, a guardian or child."""

    title = models.CharField(
        _("titel"), max_length=100, blank=True, db_comment="Job title shown to families, e.g. 'Rektor'."
    )
    phone = models.CharField(_("telefon"), max_length=40, blank=True, db_comment="Work phone shown to families.")

    class Meta(AbstractUser.Meta):
        db_table_comment = "Everyone who signs in to Samplan."

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class ApiToken(models.Model):
    """A bearer token for the staff API; only its SHA-256 is stored."""

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
