from django.urls import path

from programmes.views import events, grants, overview

app_name = "programmes"

urlpatterns = [
    path("", overview.home, name="home"),
    path("<int:programme_id>/", overview.programme_detail, name="programme"),
    path("<int:programme_id>/uppfoljning/", overview.follow_ups, name="follow_ups"),
    path("<int:programme_id>/uppfoljning.<str:fmt>", overview.follow_ups_export, name="follow_ups_export"),
    path("<int:programme_id>/budget/boka/", overview.budget_book, name="budget_book"),
    path("<int:programme_id>/budget.<str:fmt>", overview.budget_export, name="budget_export"),
    path("<int:programme_id>/ny-utlysning/", overview.call_new, name="call_new"),
    path("<int:programme_id>/forelasningar/", events.event_reports, name="event_reports"),
    path("utlysning/<int:call_id>/", grants.call_detail, name="call"),
    path("utlysning/<int:call_id>/ansok/", grants.apply_staff, name="apply_staff"),
    path("utlysning/<int:call_id>/ansok-som-organisation/", grants.apply_outside, name="apply_outside"),
    path("utlysning/<int:call_id>/bedomning/", grants.assess_list, name="assess"),
    path("utlysning/<int:call_id>/rangordning/", grants.ranking, name="ranking"),
    path("ansokan/<int:application_id>/", grants.application_detail, name="application"),
    path("ansokan/<int:application_id>/bedom/", grants.score, name="score"),
    path("ansokan/<int:application_id>/beslut/", grants.decide, name="decide"),
    path("ansokan/<int:application_id>/uppfoljning/", grants.follow_up, name="follow_up"),
    path("bilaga/<int:attachment_id>/", grants.attachment_download, name="attachment"),
    path("lank/<str:token>/", grants.application_link, name="application_link"),
    path("lank/<str:token>/bilaga/<int:attachment_id>/", grants.attachment_link, name="attachment_link"),
    path("lank/<str:token>/uppfoljning/", grants.follow_up_link, name="follow_up_link"),
    path("beviljade-ideer/", grants.awarded, name="awarded"),
    path("forelasningar/", events.events, name="events"),
    path("forelasningar/<int:session_id>/anmal/", events.register, name="register"),
    path("forelasningar/<int:session_id>/narvaro/", events.attendance, name="attendance"),
    path("anmalan/<int:registration_id>/avboka/", events.cancel, name="cancel"),
    path("anmalan/<int:registration_id>/utvardera/", events.evaluate, name="evaluate"),
    path("forelasningar.ics", events.calendar, name="calendar"),
]
