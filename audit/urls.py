from __future__ import annotations

from django.urls import path

from audit import views

app_name = "audit"
urlpatterns = [
    path("barn/<uuid:child_id>/", views.child_log, name="child_log"),
    path("barn/<uuid:child_id>/csv", views.child_log_csv, name="child_log_csv"),
]
