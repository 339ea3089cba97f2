from __future__ import annotations

from django.urls import reverse

ROUTES = {
    ("get", "/api/v1/children"),
    ("get", "/api/v1/children/{child_id}"),
    ("get", "/api/v1/children/{child_id}/enrolments"),
    ("get", "/api/v1/children/{child_id}/named-persons"),
    ("post", "/api/v1/children/lookup"),
    ("get", "/api/v1/family/children"),
    ("get", "/api/v1/family/children/{child_id}"),
    ("get", "/api/v1/family/children/{child_id}/log"),
    ("post", "/api/v1/children/{child_id}/emergency-access"),
    ("post", "/api/v1/emergency-access/{emergency_id}/end"),
    ("get", "/api/v1/emergency-access/mine"),
    ("get", "/api/v1/emergency-access/reviews"),
    ("post", "/api/v1/emergency-access/{emergency_id}/review"),
    ("post", "/api/v1/children/{child_id}/reports"),
    ("get", "/api/v1/reports/mine"),
    ("get", "/api/v1/children/{child_id}/disclosures"),
    ("post", "/api/v1/children/{child_id}/disclosures"),
    ("get", "/api/v1/children/{child_id}/blocks"),
    ("post", "/api/v1/children/{child_id}/blocks"),
    ("post", "/api/v1/children/{child_id}/blocks/{block_id}/lift"),
    ("get", "/api/v1/children/{child_id}/consents"),
    ("post", "/api/v1/children/{child_id}/consents"),
    ("post", "/api/v1/consents/{consent_id}/withdraw"),
    ("get", "/api/v1/family/consents"),
    ("post", "/api/v1/family/consents/{consent_id}/answer"),
    ("get", "/api/v1/children/{child_id}/chronology"),
    ("post", "/api/v1/children/{child_id}/chronology"),
    ("get", "/api/v1/children/{child_id}/assessments"),
    ("post", "/api/v1/children/{child_id}/assessments"),
    ("get", "/api/v1/children/{child_id}/instrument-responses"),
    ("post", "/api/v1/children/{child_id}/instrument-responses"),
    ("get", "/api/v1/children/{child_id}/plan"),
    ("post", "/api/v1/children/{child_id}/plan"),
    ("patch", "/api/v1/plans/{plan_id}"),
    ("post", "/api/v1/plans/{plan_id}/reviews"),
    ("get", "/api/v1/programmes"),
    ("get", "/api/v1/programmes/{programme_id}/budget"),
    ("get", "/api/v1/programmes/{programme_id}/calls"),
    ("get", "/api/v1/calls/{call_id}/applications"),
    ("get", "/api/v1/sessions"),
    ("get", "/api/v1/registrations/mine"),
    ("post", "/api/v1/sessions/{session_id}/registrations"),
    ("get", "/api/v1/teams/{team_id}/meeting-series"),
    ("get", "/api/v1/teams/{team_id}/meetings"),
    ("get", "/api/v1/meetings/{meeting_id}"),
    ("get", "/api/v1/evaluation/municipalities/{municipality_id}/kpis"),
    ("get", "/api/v1/evaluation/pilots/{pilot_id}/comparison"),
    ("post", "/api/v1/meetings/{meeting_id}/items"),
    ("post", "/api/v1/meetings/{meeting_id}/outcomes"),
    ("get", "/api/v1/teams/{team_id}/consent-requests"),
    ("post", "/api/v1/teams/{team_id}/meeting-series"),
    ("post", "/api/v1/teams/{team_id}/meetings"),
    ("post", "/api/v1/meetings/{meeting_id}/cases"),
    ("post", "/api/v1/teams/{team_id}/consent-requests/{consent_id}/reason"),
    ("get", "/api/v1/catalogue/public"),
    ("get", "/api/v1/catalogue/interventions"),
    ("get", "/api/v1/children/{child_id}/referrals"),
    ("post", "/api/v1/children/{child_id}/referrals"),
    ("get", "/api/v1/referrals/queue"),
    ("post", "/api/v1/referrals/{referral_id}/status"),
    ("post", "/api/v1/children/{child_id}/support-requests"),
    ("get", "/api/v1/intake/requests"),
    ("post", "/api/v1/intake/requests/{request_id}/triage"),
    ("post", "/api/v1/intake/requests/{request_id}/route"),
    ("get", "/api/v1/indicators"),
    ("get", "/api/v1/indicators/{indicator_id}/values"),
    ("post", "/api/v1/indicators/{indicator_id}/values"),
    ("post", "/api/v1/calculator"),
}
# Operations anyone may call without a token: the public part of the intervention catalogue.
OPEN = {"/api/v1/catalogue/public"}


def test_it_publishes_the_openapi_document_at_its_address(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    operations = {(method, path) for path, item in document["paths"].items() for method in item}
    assert operations == ROUTES


def test_it_declares_bearer_tokens_on_every_operation(client):
    document = client.get(reverse("api:openapi-json")).json()
    schemes = document["components"]["securitySchemes"]
    bearer_names = [
        name for name, scheme in schemes.items() if (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    ]
    assert bearer_names
    for path, item in document["paths"].items():
        for operation in item.values():
            if path in OPEN:
                assert "security" not in operation
                continue
            assert operation["security"] == [{bearer_names[0]: []}]


def test_it_serves_the_docs_from_its_own_static_files(client):
    response = client.get(reverse("api:openapi-view"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "https://" not in html
    assert "cdn" not in html.lower()
