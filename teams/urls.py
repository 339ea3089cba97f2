from __future__ import annotations

from django.urls import path

from teams import views

app_name = "teams"
urlpatterns = [
    path("", views.team_list, name="list"),
    path("nytt/", views.team_new, name="new"),
    path("<int:team_id>/", views.team_detail, name="detail"),
    path("<int:team_id>/medlemmar/ny/", views.member_add, name="member_add"),
    path("<int:team_id>/medlemmar/<int:member_id>/avsluta/", views.member_end, name="member_end"),
]
