"""Administration of the versioned legal references; sharing's child-data models are never registered here."""

from __future__ import annotations

from django.contrib import admin

from sharing.models import LegalReference


@admin.register(LegalReference)
class LegalReferenceAdmin(admin.ModelAdmin):
    list_display = ["key", "short_law", "provision", "valid_from", "valid_until", "verified"]
    list_filter = ["key", "verified"]
    search_fields = ["key", "law", "provision", "title"]
