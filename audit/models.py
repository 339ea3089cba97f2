"""The append-only, hash-chained audit log of every read and write of child data."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        READ = "read", _("Läsning")
        CREATE = "create", _("Registrering")
        UPDATE = "update", _("Ändring")
        DELETE = "delete", _("Borttagning")
        EXPORT = "export", _("Export")
        LOOKUP = "lookup", _("Sökning på personnummer")
        PRINT = "print", _("Utskrift")

    class Surface(models.TextChoices):
        PAGE = "page", _("Sida")
        API = "api", _("API")
        EXPORT = "export", _("Export")
        ADMIN = "admin", _("Administration")
        TASK = "task", _("Schemalagd körning")

    id = models.BigAutoField(primary_key=True, db_comment="Sequence; the chain follows it.")
    at = models.DateTimeField(db_comment="When the access happened.")
    user_id = models.BigIntegerField(null=True, db_comment="Acting user id (no FK: rows outlive users).")
    username = models.CharField(max_length=150, db_comment="Acting user's name at the time.")
    unit_name = models.CharField(max_length=200, blank=True, db_comment="Acting user's unit(s) at the time.")
    authority_id = models.BigIntegerField(null=True, db_comment="Authority the user acted for.")
    authority_name = models.CharField(max_length=200, blank=True, db_comment="Authority name at the time.")
    child_id = models.UUIDField(null=True, db_index=True, db_comment="Child whose data was touched.")
    action = models.CharField(max_length=10, choices=Action, db_comment="What was done.")
    surface = models.CharField(max_length=10, choices=Surface, db_comment="Through which surface.")
    target = models.CharField(max_length=200, db_comment="Page, API route or command name.")
    record_type = models.CharField(max_length=60, blank=True, db_comment="Model of the record touched.")
    record_id = models.CharField(max_length=60, blank=True, db_comment="Primary key of the record touched.")
    basis = models.CharField(max_length=60, db_comment="Basis of access: named_person, enrolment, assignment ...")
    reason = models.CharField(max_length=300, blank=True, db_comment="Reason the user gave, where one is required.")
    session_hash = models.CharField(max_length=64, blank=True, db_comment="SHA-256 of the session or token id.")
    prev_hash = models.CharField(max_length=64, db_comment="Hash of the previous row.")
    hash = models.CharField(max_length=64, unique=True, db_comment="SHA-256 over prev_hash and this row.")

    class Meta:
        db_table_comment = "Append-only audit log; UPDATE, DELETE and TRUNCATE are rejected on PostgreSQL."
        verbose_name = _("logghändelse")
        verbose_name_plural = _("logghändelser")
        indexes = [models.Index(fields=["child_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.target}"
