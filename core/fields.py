"""Model fields: text encrypted at rest with the deployment's field keys."""

from __future__ import annotations

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@cache
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.strip().encode()) for key in keys])


def cipher() -> MultiFernet:
    """Return the cipher for the configured keys; the first key encrypts, every key decrypts."""
    return _cipher(tuple(settings.SAMPLAN_FIELD_KEYS))


class EncryptedTextField(models.TextField):
    """A text column whose database value is a Fernet token, never the plain text."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return cipher().encrypt(value.encode()).decode()

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        try:
            return cipher().decrypt(value.encode()).decode()
        except InvalidToken as exc:
            raise ValueError("Encrypted field could not be decrypted with the configured keys.") from exc
