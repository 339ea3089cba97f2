"""Bad input answers the API's JSON errors and changes nothing: NUL characters, non-UTF-8 bodies, huge offsets,
addresses no route matches, and an OpenAPI document that describes what the API answers."""

from __future__ import annotations

from collections import Counter

import pytest
from django.urls import reverse
from ninja import Schema

from api.api import NOT_FOUND, api
from api.body import NOT_UTF8, NUL
from api.schemas import MAX_OFFSET
from plans.models import ChildPlan, Review
from sharing.models import Block, Consent, DisclosureDecision, EmergencyAccess, ReportOfConcern
from wellbeing.models import Assessment, ChronologyEntry, InstrumentResponse

# Every operation that reads a body: (method, URL name, path values it takes, who calls it).
BODIES = [
    ("post", "child_lookup", (), "manager"),
    ("post", "emergency_start", ("child_id",), "bup_clinician"),  # nödåtkomst: health-care staff only
    ("post", "emergency_review", ("emergency_id",), "manager"),
    ("post", "report_file", ("child_id",), "manager"),
    ("post", "child_disclosures", ("child_id",), "manager"),
    ("post", "child_blocks", ("child_id",), "manager"),
    ("post", "block_lift", ("child_id", "block_id"), "manager"),
    ("post", "child_consents", ("child_id",), "manager"),
    ("post", "consent_withdraw", ("consent_id",), "named_person"),
    ("post", "family_consent_answer", ("consent_id",), "guardian_user"),
    ("post", "child_chronology_create", ("child_id",), "manager"),
    ("post", "child_assessments_create", ("child_id",), "manager"),
    ("post", "child_instrument_responses_create", ("child_id",), "manager"),
    ("post", "child_plan", ("child_id",), "manager"),
    ("patch", "plan", ("plan_id",), "named_person"),
    ("post", "plan_reviews", ("plan_id",), "named_person"),
]
PAGES = [
    ("children_list", "manager"),
    ("report_receipts", "manager"),
    ("emergency_mine", "manager"),
    ("emergency_review_queue", "manager"),
    ("family_child_log", "guardian_user"),
]


def _state(world) -> tuple:
    """Everything the body operations could change."""
    plan = ChildPlan.objects.get(pk=world.plan.pk)
    return (
        Block.objects.filter(lifted_at__isnull=True).count(),
        Block.objects.count(),
        list(Consent.objects.values_list("pk", "status")),
        ChronologyEntry.objects.count(),
        Assessment.objects.count(),
        ChildPlan.objects.count(),
        plan.version,
        Review.objects.count(),
        list(EmergencyAccess.objects.values_list("pk", "review")),
        ReportOfConcern.objects.count(),
        DisclosureDecision.objects.count(),
        InstrumentResponse.objects.count(),
    )


def _send(client, world, bearer, method, name, params, persona, body: bytes):
    values = world.path_values()
    url = reverse(f"api:{name}", kwargs={key: values[key] for key in params})
    headers = bearer(getattr(world.cast, persona))
    return getattr(client, method)(url, body, content_type="application/json", headers=headers)


@pytest.mark.parametrize(("method", "name", "params", "persona"), BODIES, ids=[row[1] for row in BODIES])
def test_a_body_that_is_not_utf8_is_refused_with_422(client, world, bearer, method, name, params, persona):
    before = _state(world)
    response = _send(client, world, bearer, method, name, params, persona, b"\xa5")
    assert response.status_code == 422
    assert response.json()["errors"] == [{"loc": ["body", "payload"], "msg": str(NOT_UTF8), "type": "json_invalid"}]
    assert _state(world) == before


@pytest.mark.parametrize(("method", "name", "params", "persona"), BODIES, ids=[row[1] for row in BODIES])
def test_a_nul_character_in_a_body_is_refused_with_422(client, world, bearer, method, name, params, persona):
    before = _state(world)
    body = b'{"reason": "Akut\\u0000", "note": "x", "categories": ["education"], "ratings": {"safe\\u0000": 3}}'
    response = _send(client, world, bearer, method, name, params, persona, body)
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["loc"][:2], error["msg"], error["type"]) == (["body", "payload"], str(NUL), "string_nul")
    assert _state(world) == before


def test_a_body_nested_deeper_than_the_stack_is_refused_with_422(client, world, bearer):
    for body in (b"[" * 100_000, b'{"a":' * 5_000 + b"1" + b"}" * 5_000, b"[" * 900 + b"1" + b"]" * 900):
        response = _send(client, world, bearer, "post", "report_file", ("child_id",), "manager", body)
        assert response.status_code == 422
        assert response.json()["errors"][0]["type"] in ("json_invalid", "model_type")


@pytest.mark.parametrize(
    ("path", "who"),
    [("/api/v1/children?q=%00", "manager"), ("/api/v1/children?q=Alva%00&limit=5", "manager")],
)
def test_a_nul_character_in_a_search_answers_422_in_the_api(client, cast, bearer, path, who):
    response = client.get(path, headers=bearer(getattr(cast, who)))
    assert response.status_code == 422
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["errors"] == [{"loc": ["query", "q"], "msg": str(NUL), "type": "string_nul"}]


def test_a_nul_character_in_a_chronology_filter_answers_422(client, world, bearer):
    url = reverse("api:child_chronology", kwargs={"child_id": world.cast.child.pk})
    response = client.get(f"{url}?indicator=%00", headers=bearer(world.cast.manager))
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "indicator"]


@pytest.mark.parametrize(("name", "persona"), PAGES, ids=[row[0] for row in PAGES])
def test_an_offset_beyond_the_limit_answers_422(client, world, bearer, name, persona):
    kwargs = {"child_id": world.cast.child.pk} if name == "family_child_log" else {}
    url = reverse(f"api:{name}", kwargs=kwargs)
    headers = bearer(getattr(world.cast, persona))
    for offset in (MAX_OFFSET + 1, 2**63, 10**30):
        response = client.get(f"{url}?offset={offset}", headers=headers)
        assert response.status_code == 422, offset
        assert response.json()["errors"][0]["loc"] == ["query", "offset"]
    last = client.get(f"{url}?offset={MAX_OFFSET}", headers=headers)
    assert last.status_code == 200
    assert last.json() == [] or last.json()["items"] == []


@pytest.mark.parametrize(
    "path",
    ["/api/v1/children/null%2Cnull", "/api/v1/children/null,null", "/api/v1/plans/-1", "/api/v1/nothing-here"],
)
def test_an_address_no_route_matches_answers_the_apis_json_404(client, cast, bearer, path):
    for headers in ({}, bearer(cast.manager)):
        response = client.get(path, headers=headers)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"detail": str(NOT_FOUND)}


def test_a_method_a_route_does_not_have_answers_json_405(client, cast, bearer):
    response = client.delete(reverse("api:children_list"), headers=bearer(cast.manager))
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response["Content-Type"] == "application/json"
    assert "metoden" in response.json()["detail"]


def _all_subclasses(cls) -> set[type]:
    return {sub for direct in cls.__subclasses__() for sub in (direct, *_all_subclasses(direct))}


def test_every_api_schema_has_its_own_name():
    names = Counter(cls.__name__ for cls in _all_subclasses(Schema) if cls.__module__.startswith("api."))
    assert [name for name, count in names.items() if count > 1] == []


def test_the_named_persons_operation_refers_to_the_staff_schema(client):
    document = client.get("/api/v1/openapi.json").json()
    answer = document["paths"]["/api/v1/children/{child_id}/named-persons"]["get"]["responses"]["200"]
    reference = answer["content"]["application/json"]["schema"]["items"]["$ref"]
    schema = document["components"]["schemas"][reference.rsplit("/", 1)[1]]
    assert set(schema["properties"]) >= {"stage", "role", "start", "end", "masked", "person", "unit"}


def _references(value):
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "$ref":
                yield item
            else:
                yield from _references(item)
    elif isinstance(value, list):
        for item in value:
            yield from _references(item)


def test_every_reference_in_the_openapi_document_resolves(client):
    document = client.get("/api/v1/openapi.json").json()
    references = set(_references(document))
    assert "#/components/schemas/RatingIO" in references
    schemas = document["components"]["schemas"]
    assert {ref for ref in references if ref.removeprefix("#/components/schemas/") not in schemas} == set()
    assert "$defs" not in str(document)


def test_every_operation_that_reads_a_body_or_query_documents_422():
    document = api.get_openapi_schema()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if "requestBody" in operation or any(p["in"] == "query" for p in operation["parameters"]):
                assert "422" in {str(status) for status in operation["responses"]}, (method, path)


def test_a_body_too_large_to_read_answers_json_400_as_documented(client, world, bearer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    before = _state(world)
    body = b'{"what_happened": "' + b"x" * 200 + b'"}'
    response = _send(client, world, bearer, "post", "report_file", ("child_id",), "manager", body)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "kunde inte läsas" in response.json()["detail"]
    assert _state(world) == before
    document = api.get_openapi_schema()
    operations = [operation for item in document["paths"].values() for operation in item.values()]
    assert all(400 in operation["responses"] for operation in operations if "requestBody" in operation)


def test_the_openapi_document_is_the_same_every_time_it_is_built():
    assert api.get_openapi_schema() == api.get_openapi_schema()
