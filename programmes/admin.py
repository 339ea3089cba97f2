"""Programmes in the admin site: programmes, sub-projects, budget lines and events are set up here."""

from __future__ import annotations

from django.contrib import admin

from programmes import services
from programmes.models import BudgetLine, Event, EventSession, Programme, SubProject
from sharing import policy


class LoggedAdmin(admin.ModelAdmin):
    """Write an audit row for every save of the object and of its inline rows (the admin saves in a transaction)."""

    def _log(self, request, obj, change: bool) -> None:
        act = services.Via(actor=policy.page_actor(request), surface="admin", target="admin:programmes")
        services.log_write(via=act, record=obj, action="update" if change else "create")

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        self._log(request, obj, change)

    def save_formset(self, request, form, formset, change) -> None:
        saved = formset.save()
        changed = {id(row) for row, _fields in formset.changed_objects}
        for row in saved:
            self._log(request, row, change=id(row) in changed)


class SubProjectInline(admin.TabularInline):
    model = SubProject
    extra = 0


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(LoggedAdmin):
    list_display = ["name", "municipality", "owner", "starts_on", "ends_on"]
    inlines = [SubProjectInline, BudgetLineInline]


class EventSessionInline(admin.TabularInline):
    model = EventSession
    extra = 2


@admin.register(Event)
class EventAdmin(LoggedAdmin):
    list_display = ["title", "programme", "place"]
    inlines = [EventSessionInline]
    filter_horizontal = ["presenting"]
