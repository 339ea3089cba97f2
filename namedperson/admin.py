"""Administration of the named-person stage rules (assignments change only through handovers)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from namedperson.models import StageRules


@admin.register(StageRules)
class StageRulesAdmin(admin.ModelAdmin):
    list_display = ["municipality", "child_health_from_days", "end_age_years", "continue_in_upper_secondary"]
    list_select_related = ["municipality"]
    fieldsets = [
        (
            None,
            {
                "fields": ["municipality", "child_health_from_days", "end_age_years", "continue_in_upper_secondary"],
                "description": _(
                    "Standardvärden när en kommun saknar egna regler: barnmorskan före födseln och de första dagarna, "
                    "barnhälsovården från 11 dagar efter födseln, rektorn från förskoleklass eller skolstart, till "
                    "18 års ålder eller gymnasieskolans slut. Att barnhälsovården tar över efter just 11 dagar är "
                    "obekräftat (DOMAIN.md); ändra värdet om kommunen har en annan rutin. Ändringar gäller från "
                    "nästa körning av run_due_tasks."
                ),
            },
        )
    ]
