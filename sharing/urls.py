"""Staff pages for consent and lawful sharing: consents, reports of concern, disclosure, emergency access, blocks."""

from django.urls import path

from sharing.views import blocks, consents, disclosures, emergency, reports

app_name = "sharing"

urlpatterns: list = [
    path("barn/<uuid:child_id>/samtycken/", consents.consents, name="consents"),
    path("barn/<uuid:child_id>/samtycken/nytt/", consents.consent_new, name="consent_new"),
    path("barn/<uuid:child_id>/samtycken/informera/", consents.consent_notice, name="consent_notice"),
    path(
        "barn/<uuid:child_id>/samtycken/<int:consent_id>/svar/<int:party_id>/",
        consents.consent_record_answer,
        name="consent_record_answer",
    ),
    path(
        "barn/<uuid:child_id>/samtycken/<int:consent_id>/svar/<int:party_id>/blankett/",
        consents.consent_evidence,
        name="consent_evidence",
    ),
    path("barn/<uuid:child_id>/samtycken/<int:consent_id>/begransa/", consents.consent_limit, name="consent_limit"),
    path("barn/<uuid:child_id>/samtycken/<int:consent_id>/forlang/", consents.consent_extend, name="consent_extend"),
    path(
        "barn/<uuid:child_id>/samtycken/<int:consent_id>/aterkalla/", consents.consent_withdraw, name="consent_withdraw"
    ),
    path("barn/<uuid:child_id>/samtycken/<int:consent_id>/aterta/", consents.consent_cancel, name="consent_cancel"),
    path("barn/<uuid:child_id>/nodatkomst/", emergency.emergency_start, name="emergency_start"),
    path("nodatkomst/<int:pk>/avsluta/", emergency.emergency_end, name="emergency_end"),
    path("nodatkomst/mina/", emergency.my_emergency_accesses, name="my_emergency_accesses"),
    path("nodatkomst/granska/", emergency.emergency_review_queue, name="emergency_review_queue"),
    path("nodatkomst/<int:pk>/granska/", emergency.emergency_review, name="emergency_review"),
    path("barn/<uuid:child_id>/orosanmalan/", reports.report_new, name="report_new"),
    path("orosanmalningar/mina/", reports.my_reports, name="my_reports"),
    path("orosanmalningar/inkomna/", reports.report_intake, name="report_intake"),
    path("orosanmalningar/<int:report_id>/", reports.report_detail, name="report_detail"),
    path("barn/<uuid:child_id>/utlamnande/", disclosures.disclosures, name="disclosures"),
    path("barn/<uuid:child_id>/utlamnande/nytt/", disclosures.disclosure_new, name="disclosure_new"),
    path(
        "barn/<uuid:child_id>/utlamnande/<int:decision_id>/aterkalla/",
        disclosures.disclosure_revoke,
        name="disclosure_revoke",
    ),
    path("barn/<uuid:child_id>/sparrar/", blocks.blocks, name="blocks"),
    path("barn/<uuid:child_id>/sparrar/ny/", blocks.block_new, name="block_new"),
    path("barn/<uuid:child_id>/sparrar/<int:block_id>/hav/", blocks.block_lift, name="block_lift"),
]
