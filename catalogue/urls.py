from __future__ import annotations

from django.urls import path

from catalogue.views import intake, matching, referrals, staff, transfer

app_name = "catalogue"
urlpatterns = [
    path("", staff.intervention_list, name="list"),
    path("ny/", staff.intervention_new, name="new"),
    path("mina/", staff.mine, name="mine"),
    path("pyramid/", staff.pyramid, name="pyramid"),
    path("aktorskarta/", staff.actor_map, name="actor_map"),
    path("utforare/", staff.directory, name="directory"),
    path("import/", transfer.import_file, name="import"),
    path("export.<str:fmt>", transfer.export, name="export"),
    path("barn/<uuid:child_id>/forslag/", matching.suggestions, name="suggestions"),
    path("barn/<uuid:child_id>/forslag/i-formularet/", matching.suggestions_offered, name="suggestions_offered"),
    path("barn/<uuid:child_id>/remisser/", referrals.child_referrals, name="referrals"),
    path("barn/<uuid:child_id>/remisser/<int:referral_id>/", referrals.child_referral_status, name="referral_status"),
    path("barn/<uuid:child_id>/begaran/", intake.child_requests, name="requests"),
    path("mottagning/", intake.intake_page, name="intake"),
    path("mottagning/<int:request_id>/bedom/", intake.intake_triage, name="intake_triage"),
    path("mottagning/<int:request_id>/dirigera/", intake.intake_route, name="intake_route"),
    path("mottagning/<int:request_id>/stod/", intake.intake_support, name="intake_support"),
    path("ko/", referrals.queue, name="queue"),
    path("ko/<int:referral_id>/", referrals.queue_status, name="queue_status"),
    path("<int:intervention_id>/", staff.intervention_detail, name="detail"),
    path("<int:intervention_id>/andra/", staff.intervention_edit, name="edit"),
    path("<int:intervention_id>/vantetid/", staff.waiting_time, name="waiting_time"),
]
