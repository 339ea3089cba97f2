"""Administration of the import settings: SS12000 servers and school unit codes (no child data is registered here)."""

from __future__ import annotations

from django.contrib import admin

from imports.models import SchoolUnitCode, SS12000Server


@admin.register(SS12000Server)
class SS12000ServerAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "authority"]
    list_select_related = ["authority"]


@admin.register(SchoolUnitCode)
class SchoolUnitCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "unit"]
    list_select_related = ["unit"]
    search_fields = ["code", "unit__name"]
    autocomplete_fields = ["unit"]
