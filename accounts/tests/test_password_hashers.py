from __future__ import annotations

import runpy
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher

SETTINGS_FILE = Path(settings.BASE_DIR) / "samplan" / "settings.py"


def test_it_uses_argon2_by_default_outside_the_test_suite(monkeypatch):
    monkeypatch.delenv("SAMPLAN_ENV", raising=False)
    production_like = runpy.run_path(str(SETTINGS_FILE))
    assert production_like["PASSWORD_HASHERS"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_it_uses_argon2_in_production_mode(monkeypatch):
    monkeypatch.setenv("SAMPLAN_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("SAMPLAN_FIELD_KEYS", "a2V5LWZvci10aGUtaGFzaGVyLXRlc3Qtb25seS0xMjM0NTY=")
    monkeypatch.setenv("ALLOWED_HOSTS", "samplan.example")
    monkeypatch.setenv("SAMPLAN_AUDIT_CHECKPOINT_KEY", "k" * 64)
    monkeypatch.setenv("SAMPLAN_AUDIT_CHECKPOINT_FILE", "/var/lib/samplan-checkpoints/audit-checkpoints.jsonl")
    production = runpy.run_path(str(SETTINGS_FILE))
    assert production["PASSWORD_HASHERS"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_it_has_the_argon2_library_installed():
    hasher = Argon2PasswordHasher()
    encoded = hasher.encode("ett-långt-lösenord", hasher.salt())
    assert encoded.startswith("argon2$argon2id$")
    assert hasher.verify("ett-långt-lösenord", encoded)
    assert not hasher.verify("fel-lösenord", encoded)
