"""Administration of users and API tokens, and the two-factor admin site.

Child-data models are never registered here or anywhere (see organisations/admin.py for why).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from accounts.models import ApiToken, User
from accounts.services import api_token_revoke
from core.access import is_verified
from organisations.admin import MembershipInline


class SamplanAdminSite(OTPAdminSite):
    """The admin for verified staff only, signing in through Samplan's own two-step login."""

    site_header = _("Samplan – administration")
    site_title = _("Samplan")
    index_title = _("Administration")

    def login(self, request, extra_context=None):
        # The admin's own form would skip the session's start time (and so be logged out at once)
        # and the enrolment step; everyone signs in through accounts:login instead.
        if is_verified(request.user):
            return render(request, "accounts/admin_forbidden.html", status=403)
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "title", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "is_superuser", "memberships__role", "memberships__unit__authority"]
    search_fields = ["username", "first_name", "last_name", "email"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets[:1],
        (_("Personuppgifter"), {"fields": ["first_name", "last_name", "email", "title", "phone"]}),
        *DjangoUserAdmin.fieldsets[2:],
    ]

    def get_queryset(self, request):
        # list_filter on memberships joins rows; distinct keeps one row per user.
        return super().get_queryset(request).distinct()


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["revoked_at", "expires_at"]
    list_select_related = ["user"]
    search_fields = ["name", "prefix", "user__username"]
    readonly_fields = ["user", "name", "key_hash", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        # Tokens are made by their owner on /konto/api-nycklar/, the only place the secret is shown.
        return False

    @admin.action(description=_("Återkalla markerade API-nycklar"))
    def revoke(self, request, queryset):
        for token in queryset:
            api_token_revoke(token=token)
        self.message_user(request, _("De markerade API-nycklarna är återkallade."))
