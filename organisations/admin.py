"""Administration of municipalities, authorities, units and staff memberships.

Only organisational data is administered here. Models that hold child data (Child, Guardian,
Guardianship, Enrolment, ContactDetails, named-person Assignment, AccessAssignment, AuditEvent)
are deliberately never registered with the admin: the admin reads rows directly, outside
sharing.policy, so it would show children to people without an active relation, unmask protected
identities and write no audit rows. Child data changes only through the audited pages, services
and import commands. A test in accounts/tests keeps it that way.
"""

from __future__ import annotations

from django.contrib import admin

from organisations.models import Authority, Membership, Municipality, Unit


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "sector", "municipality"]
    list_filter = ["kind", "sector", "municipality"]
    list_select_related = ["municipality"]
    search_fields = ["name"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "unit_type", "authority", "area", "phone"]
    list_filter = ["unit_type", "authority__sector", "authority", "area"]
    list_select_related = ["authority"]
    search_fields = ["name", "area", "authority__name"]
    autocomplete_fields = ["authority"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role", "valid_from", "valid_to"]
    list_filter = ["role", "unit__authority", "unit__unit_type"]
    list_select_related = ["user", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    date_hierarchy = "valid_from"


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit"]
    fields = ["unit", "role", "valid_from", "valid_to"]
