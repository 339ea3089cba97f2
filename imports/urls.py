from __future__ import annotations

from django.urls import path

from imports import views

app_name = "imports"
urlpatterns = [
    path("", views.run_list, name="list"),
    path("navet/", views.navet_upload, name="navet_upload"),
    path("ss12000/", views.ss12000_sync, name="ss12000_sync"),
    path("<int:run_id>/", views.run_detail, name="detail"),
]
