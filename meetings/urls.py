from __future__ import annotations

from django.urls import path

from meetings import views

app_name = "meetings"
urlpatterns = [
    path("mina-atgarder/", views.my_actions, name="my_actions"),
    path("team/<int:team_id>/", views.team_meetings, name="team"),
    path("team/<int:team_id>/serie/ny/", views.series_new, name="series_new"),
    path("team/<int:team_id>/nytt/", views.meeting_new, name="meeting_new"),
    path("team/<int:team_id>/statistik/", views.team_figures, name="figures"),
    path("team/<int:team_id>/samtycke/<int:consent_id>/skal/", views.consent_reason, name="consent_reason"),
    path("team/<int:team_id>/kalender/ny/", views.feed_new, name="feed_new"),
    path("team/<int:team_id>/kalender/aterkalla/", views.feed_revoke, name="feed_revoke"),
    path("kalender/<str:token>.ics", views.feed, name="feed"),
    path("<int:meeting_id>/", views.meeting_detail, name="detail"),
    path("<int:meeting_id>/narvaro/", views.attendance, name="attendance"),
    path("<int:meeting_id>/punkt/<str:kind>/", views.item_new, name="item_new"),
    path("<int:meeting_id>/arende/", views.case_new, name="case_new"),
    path("<int:meeting_id>/utfall/", views.outcome_new, name="outcome_new"),
    path("<int:meeting_id>/protokoll/", views.minutes, name="minutes"),
    path("<int:meeting_id>/protokoll.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("atgard/<int:outcome_id>/klar/", views.action_done, name="action_done"),
    path("arende/<int:case_id>/utfall/", views.case_outcome_new, name="case_outcome_new"),
    path("arende/<int:case_id>/remiss/", views.case_to_referral, name="case_to_referral"),
    path("arende/<int:case_id>/till-planen/", views.case_to_plan, name="case_to_plan"),
]
