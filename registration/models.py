"""The record of a merge of two child records: which was kept, which went, what moved and who decided."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChildMerge(models.Model):
    """Two records of the same child made one; the duplicate's audit rows stay under its old id, found through this."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    # Ids without foreign keys: the record outlives both child rows, as audit rows do.
    kept_child_id = models.UUIDField(db_index=True, db_comment="The child record that was kept.")
    duplicate_child_id = models.UUIDField(unique=True, db_comment="The child record merged into it and removed.")
    duplicate_identity_kind = models.CharField(
        max_length=20, db_comment="Kind of number the duplicate had (personnummer, samordningsnummer, reserve)."
    )
    duplicate_name = models.CharField(max_length=201, db_comment="The duplicate's name, as it was registered.")
    moved = models.JSONField(default=dict, db_comment="How many rows of each kind moved to the kept child.")
    reason = models.CharField(_("skäl"), max_length=300, db_comment="Why the registrar judged them the same child.")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        db_comment="The registrar who merged.",
    )
    merged_by_name = models.CharField(max_length=200, db_comment="The registrar's name at the time.")
    authority_name = models.CharField(max_length=200, blank=True, db_comment="The registrar's authority at the time.")
    merged_at = models.DateTimeField(auto_now_add=True, db_comment="When the records were merged.")

    class Meta:
        db_table_comment = "Merges of duplicate child records, kept so the duplicate's history can still be found."
        verbose_name = _("sammanslagning")
        verbose_name_plural = _("sammanslagningar")
        ordering = ["-merged_at", "-id"]
