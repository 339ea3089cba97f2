"""Explicit access assignments; later: consents, disclosure decisions, emergency access, blocks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from people.models import Child


class AccessAssignment(models.Model):
    """A staff user explicitly assigned to a child for a period, with a recorded reason."""

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="access_assignments", db_comment="The child."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_assignments", db_comment="Staff user."
    )
    reason = models.CharField(_("skäl"), max_length=300, db_comment="Why the user needs access.")
    sees_protected_details = models.BooleanField(
        _("behöver skyddade uppgifter"),
        default=False,
        help_text=_("Kräver en dokumenterad sekretessprövning i skälet."),
        db_comment="True if a secrecy assessment found an explicit need to see protected address/unit.",
    )
    valid_from = models.DateField(_("från"), db_comment="First day.")
    valid_to = models.DateField(_("till"), db_comment="Last day; assignments always expire.")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_comment="Who granted it."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_comment="When it was granted.")

    class Meta:
        db_table_comment = "Explicit, time-limited access of a staff user to a child."
        verbose_name = _("tilldelad åtkomst")
        verbose_name_plural = _("tilldelade åtkomster")
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__gte=models.F("valid_from")), name="assignment_dates"),
        ]
