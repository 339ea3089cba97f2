from __future__ import annotations

from django.urls import path

from directory import views

app_name = "directory"
urlpatterns = [
    path("sok/", views.people_search, name="people_search"),
]
