from django.contrib import admin

from evaluation.models import Pilot


@admin.register(Pilot)
class PilotAdmin(admin.ModelAdmin):
    list_display = ("name", "municipality", "area", "control_area", "start", "months")
    list_filter = ("municipality",)
    search_fields = ("name", "area")
