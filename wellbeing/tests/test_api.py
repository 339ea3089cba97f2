"""The wellbeing API: chronology, assessments and instrument scores under the same policy and audit."""

from __future__ import annotations

import json

import pytest

from api.tests.conftest import assert_holds_nothing_of, child_url
from audit.models import AuditEvent
from wellbeing.instrument_data import CODE, VERSION, install_sdq
from wellbeing.models import Assessment, Band, ChronologyEntry, Instrument, InstrumentResponse, Subscale
from wellbeing.tests.helpers import TODAY, consent, relate_bup, write

ENTRY = {
    "kind": "concern",
    "start_date": TODAY.isoformat(),
    "what_happened": "Alva kom utan frukost tre dagar.",
    "source": "Mentor",
    "indicators": ["healthy", "nurtured"],
    "impact": "negative",
}


def post(client, headers, name, child, body):
    return client.post(child_url(name, child), data=json.dumps(body), content_type="application/json", headers=headers)


def test_it_creates_and_lists_chronology_entries(client, cast, bearer):
    headers = bearer(cast.teacher)
    created = post(client, headers, "child_chronology_create", cast.child, ENTRY)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["owner_authority"] == "Barn- och utbildningsnämnden" and body["indicators"] == ["healthy", "nurtured"]
    correction = post(client, headers, "child_chronology_create", cast.child, {**ENTRY, "corrects_id": body["id"]})
    assert correction.status_code == 201 and correction.json()["corrects_id"] == body["id"]
    listed = client.get(child_url("child_chronology", cast.child), headers=headers).json()
    assert [row["id"] for row in listed] == [body["id"], correction.json()["id"]]
    filtered = client.get(child_url("child_chronology", cast.child) + "?indicator=safe", headers=headers).json()
    assert filtered == []
    assert AuditEvent.objects.filter(surface="api", action="create", record_type="ChronologyEntry").count() == 2


@pytest.mark.parametrize("persona", ["outsider", "other_school_teacher", "expired", "analyst"])
@pytest.mark.parametrize(
    "name", ["child_chronology_create", "child_assessments_create", "child_instrument_responses_create"]
)
def test_strangers_get_404_not_a_validation_error_and_nothing_changes(client, cast, bearer, persona, name):
    response = post(client, bearer(getattr(cast, persona)), name, cast.child, {"nonsense": True})
    assert response.status_code == 404
    assert_holds_nothing_of(response, cast.child)
    assert not ChronologyEntry.objects.exists() and not Assessment.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "other_school_teacher", "expired"])
@pytest.mark.parametrize("name", ["child_chronology", "child_assessments", "child_instrument_responses"])
def test_strangers_cannot_list(client, cast, bearer, persona, name):
    write(cast.teacher, cast.child)
    response = client.get(child_url(name, cast.child), headers=bearer(getattr(cast, persona)))
    assert response.status_code == 404


def test_bad_input_is_refused_with_field_messages_and_saves_nothing(client, cast, bearer):
    headers = bearer(cast.teacher)
    response = post(client, headers, "child_chronology_create", cast.child, {**ENTRY, "what_happened": " "})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] == "what_happened"
    assert post(client, headers, "child_chronology_create", cast.child, {"kind": "x"}).status_code == 422
    assert not ChronologyEntry.objects.exists()


def test_a_bup_entry_reaches_the_teacher_over_the_api_only_with_consent(client, cast, bearer):
    relate_bup(cast)
    write(cast.bup_clinician, cast.child, what_happened="BUP-samtal")
    headers = bearer(cast.teacher)
    assert client.get(child_url("child_chronology", cast.child), headers=headers).json() == []
    given = consent(cast)
    rows = client.get(child_url("child_chronology", cast.child), headers=headers).json()
    assert [row["what_happened"] for row in rows] == ["BUP-samtal"]
    assert AuditEvent.objects.filter(surface="api", basis=f"consent:{given.pk}").exists()


def test_assessments_over_the_api(client, cast, bearer):
    headers = bearer(cast.teacher)
    body = {"rater_kind": "child", "assessed_on": TODAY.isoformat(), "ratings": [{"indicator": "safe", "score": 4}]}
    created = post(client, headers, "child_assessments_create", cast.child, body)
    assert created.status_code == 201 and created.json()["rater_kind"] == "child"
    bad = post(
        client,
        headers,
        "child_assessments_create",
        cast.child,
        {**body, "ratings": [{"indicator": "safe", "score": 9}]},
    )
    assert bad.status_code == 422
    assert len(client.get(child_url("child_assessments", cast.child), headers=headers).json()) == 1


def test_instrument_responses_over_the_api(client, cast, bearer):
    install_sdq(Instrument, Subscale, Band)
    headers = bearer(cast.teacher)
    scores = {"emotional": 5, "conduct": 4, "hyperactivity": 7, "peer": 1, "prosocial": 5}
    body = {"instrument": CODE, "version": VERSION, "respondent": "parent", "completed_on": TODAY.isoformat()}
    created = post(client, headers, "child_instrument_responses_create", cast.child, {**body, "scores": scores})
    assert created.status_code == 201, created.content
    assert created.json()["total"] == 17 and created.json()["total_band"] == "abnormal"
    assert created.json()["bands_informant"] == "parent" and created.json()["total_band_certain"] is True
    as_teacher = post(
        client,
        headers,
        "child_instrument_responses_create",
        cast.child,
        {**body, "respondent": "teacher", "scores": scores},
    )
    assert as_teacher.json()["bands_informant"] == "teacher" and as_teacher.json()["total_band"] == "abnormal"
    missing = post(client, headers, "child_instrument_responses_create", cast.child, {**body, "scores": {"peer": 1}})
    assert missing.status_code == 422
    unknown = post(
        client, headers, "child_instrument_responses_create", cast.child, {**body, "version": "x", "scores": scores}
    )
    assert unknown.status_code == 422
    assert InstrumentResponse.objects.count() == 2
    listed = client.get(child_url("child_instrument_responses", cast.child), headers=headers).json()
    assert listed[1]["scores"][4] == {"subscale": "prosocial", "score": 5, "band": "abnormal", "band_certain": False}
