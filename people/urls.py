from __future__ import annotations

from django.urls import path

from people import views

app_name = "people"
urlpatterns = [
    path("", views.child_list, name="child_list"),
    path("sok/", views.lookup, name="lookup"),
    path("<uuid:child_id>/", views.child, name="child"),
    path("<uuid:child_id>/export/", views.child_export, name="child_export"),
]
