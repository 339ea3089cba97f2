"""Administration of teams; members are added and ended on the team pages, where each change is logged."""

from __future__ import annotations

from django.contrib import admin

from sharing import policy
from teams import services
from teams.models import Team, TeamMember


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    fk_name = "team"
    fields = ["user", "authority", "role", "joined_on", "left_on"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # added on the team page, which checks the authority and logs the change


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "kind", "active"]
    list_filter = ["municipality", "kind", "active"]
    search_fields = ["name"]
    readonly_fields = ["created_at", "created_by"]
    inlines = [TeamMemberInline]

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        # The admin saves in a transaction: the audit row is written with the change, as on the team pages.
        actor = policy.page_actor(request)
        services.log_write(actor=actor, action="update" if change else "create", surface="admin", record=obj)
