from django.urls import path

from registration import views

app_name = "registration"

urlpatterns = [
    path("", views.home, name="home"),
    path("nytt-barn/", views.child_new, name="child_new"),
    path("barn/<uuid:child_id>/", views.child, name="child"),
    path("barn/<uuid:child_id>/andra/", views.child_edit, name="child_edit"),
    path("barn/<uuid:child_id>/vardnadshavare/", views.guardian_add, name="guardian_add"),
    path(
        "barn/<uuid:child_id>/vardnadshavare/<int:guardianship_id>/avsluta/",
        views.guardianship_end,
        name="guardianship_end",
    ),
    path("barn/<uuid:child_id>/inskrivning/", views.enrolment_add, name="enrolment_add"),
    path("barn/<uuid:child_id>/inskrivning/<int:enrolment_id>/avsluta/", views.enrolment_end, name="enrolment_end"),
    path("barn/<uuid:child_id>/sla-ihop/<uuid:duplicate_id>/", views.merge, name="merge"),
]
