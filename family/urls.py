"""The family view: guardians and, from the configured age, children themselves."""

from django.urls import path

from family.views import children, consents, log, plans, support

app_name = "family"

urlpatterns = [
    path("", children.home, name="home"),
    path("logg/", children.choose_log, name="logs"),
    path("samtycken/", children.choose_consents, name="choose_consents"),
    path("barn/<uuid:child_id>/", children.child, name="child"),
    path("barn/<uuid:child_id>/plan/", plans.child_plan, name="plan"),
    path("barn/<uuid:child_id>/stod/", support.ask_for_support, name="support"),
    path("barn/<uuid:child_id>/plan/svara/", plans.plan_answer, name="plan_answer"),
    path("barn/<uuid:child_id>/logg/", log.child_log, name="child_log"),
    path("barn/<uuid:child_id>/logg/csv", log.child_log_csv, name="child_log_csv"),
    path("barn/<uuid:child_id>/samtycken/", consents.consents, name="consents"),
    path("barn/<uuid:child_id>/samtycken/<int:consent_id>/svara/", consents.consent_answer, name="consent_answer"),
    path(
        "barn/<uuid:child_id>/samtycken/<int:consent_id>/aterkalla/",
        consents.consent_withdraw,
        name="consent_withdraw",
    ),
    path(
        "barn/<uuid:child_id>/samtycken/<int:consent_id>/blankett/",
        consents.consent_evidence,
        name="consent_evidence",
    ),
]
