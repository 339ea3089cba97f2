"""Administration of the catalogue's settings and providers; interventions are kept on the catalogue pages."""

from __future__ import annotations

from django.contrib import admin

from catalogue import services
from catalogue.models import CatalogueSettings, Provider
from sharing import policy


class _Logged(admin.ModelAdmin):
    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        # The admin saves in a transaction: the audit row is written with the change, as on the catalogue pages.
        via = services.Via(user=None, actor=policy.page_actor(request), surface="admin", target="admin")
        services.log_write(via=via, action="update" if change else "create", record=obj)


@admin.register(CatalogueSettings)
class CatalogueSettingsAdmin(_Logged):
    list_display = ["municipality", "stale_after_days"]


@admin.register(Provider)
class ProviderAdmin(_Logged):
    list_display = ["name", "municipality", "unit", "phone"]
    list_filter = ["municipality"]
    search_fields = ["name"]

    def save_model(self, request, obj, form, change) -> None:
        obj.authority = obj.unit.authority if obj.unit_id else None  # the unit's authority, never another
        super().save_model(request, obj, form, change)
