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

    class HashForm(models.IntegerChoices):
        BY_ID = 1, _("Före kedjorna")
        STRIPED = 2, _("Kedja och plats")

    id = models.BigAutoField(primary_key=True, db_comment="From the table's sequence: orders rows; gaps allowed.")
    stripe = models.PositiveSmallIntegerField(db_comment="Which of the independent hash chains the row belongs to.")
    seq = models.BigIntegerField(db_comment="Position in its chain: 1, 2, 3 ... without gaps.")
    hash_form = models.PositiveSmallIntegerField(
        choices=HashForm, db_comment="1: hash covers the id (rows from before chains); 2: covers stripe and seq."
    )
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
    prev_hash = models.CharField(max_length=64, db_comment="Hash of the previous row of the same chain.")
    hash = models.CharField(max_length=64, unique=True, db_comment="SHA-256 over prev_hash and this row.")

    class Meta:
        db_table_comment = "Append-only audit log; UPDATE, DELETE and TRUNCATE are rejected on PostgreSQL."
        verbose_name = _("logghändelse")
        verbose_name_plural = _("logghändelser")
        indexes = [models.Index(fields=["child_id", "-at"])]
        # Also the index each append reads its chain's head from (stripe = s ORDER BY seq DESC LIMIT 1).
        constraints = [models.UniqueConstraint(fields=["stripe", "seq"], name="audit_one_row_per_chain_place")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.target}"
