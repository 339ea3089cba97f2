"""Administration of the indicator wordings: label sets, their labels, and which set each municipality uses.

Only configuration is administered here; no record about a child is registered (see organisations/admin.py).
Ratings store indicator codes, so editing or switching a wording never changes a stored rating.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from wellbeing import services
from wellbeing.indicators import Indicator
from wellbeing.models import IndicatorLabel, IndicatorLabelChoice, IndicatorLabelSet


class IndicatorLabelInline(admin.TabularInline):
    model = IndicatorLabel
    fields = ["indicator", "label", "label_en", "short_text", "short_text_en", "child_text", "child_text_en"]
    max_num = len(Indicator)
    can_delete = False

    def get_extra(self, request, obj=None, **kwargs):
        return len(Indicator) - (obj.labels.count() if obj else 0)


@admin.register(IndicatorLabelSet)
class IndicatorLabelSetAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "wheel_name", "is_default", "confirmed", "created_at"]
    list_filter = ["is_default", "confirmed"]
    search_fields = ["name", "key", "wheel_name"]
    inlines = [IndicatorLabelInline]
    actions = ["copy_as_new_version"]

    @admin.action(description=_("Kopiera till en ny version"))
    def copy_as_new_version(self, request, queryset):
        for label_set in queryset:
            services.indicator_label_set_new_version(label_set=label_set)
        messages.success(request, _("Ny version skapad. Ändra den och välj den för kommunen från ett datum."))


@admin.register(IndicatorLabelChoice)
class IndicatorLabelChoiceAdmin(admin.ModelAdmin):
    list_display = ["municipality", "label_set", "valid_from"]
    list_filter = ["municipality"]
    list_select_related = ["municipality", "label_set"]
    date_hierarchy = "valid_from"
