from django.urls import path

from plans.views import parts, plan, reminders, versions

app_name = "plans"

PLAN = "barn/<uuid:child_id>/<int:plan_id>/"

urlpatterns = [
    path("paminnelser/", reminders.reminders, name="reminders"),
    path("barn/<uuid:child_id>/ny/", plan.plan_start, name="start"),
    path(PLAN, plan.plan_detail, name="plan"),
    path(PLAN + "andra/", plan.plan_edit, name="edit"),
    path(PLAN + "godkann/", plan.plan_agree, name="agree"),
    path(PLAN + "skicka-till-familjen/", plan.plan_send, name="send"),
    path(PLAN + "starta/", plan.plan_activate, name="activate"),
    path(PLAN + "uppfoljning/", plan.plan_review, name="review"),
    path(PLAN + "avsluta/", plan.plan_close, name="close"),
    path(PLAN + "tacka-nej/", plan.plan_decline, name="decline"),
    path(PLAN + "deltagare/", parts.participants, name="participants"),
    path(PLAN + "deltagare/<int:participant_id>/synpunkter/", parts.participant_view, name="participant_view"),
    path(PLAN + "behov/", parts.needs, name="needs"),
    path(PLAN + "atgarder/", parts.actions, name="actions"),
    path(PLAN + "atgarder/<int:action_id>/lage/", parts.action_status, name="action_status"),
    path(PLAN + "atgarder/<int:action_id>/andra/", parts.action_edit, name="action_edit"),
    path(PLAN + "lankar/", parts.links, name="links"),
    path(PLAN + "<str:part>/<int:part_id>/ta-bort/", parts.remove, name="remove"),
    path(PLAN + "versioner/", versions.versions, name="versions"),
    path(PLAN + "versioner/<int:number>/", versions.version, name="version"),
    path(PLAN + "jamfor/", versions.compare, name="compare"),
    path(PLAN + "pdf/", versions.plan_pdf, name="pdf"),
]
