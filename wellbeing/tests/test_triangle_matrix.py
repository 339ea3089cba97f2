"""My World Triangle and the resilience matrix, recorded as assessments under the same policy."""

from __future__ import annotations

from django.urls import reverse

from testsupport.cast import sign_in
from wellbeing.models import Assessment, MatrixPlacement, TriangleNote
from wellbeing.tests.helpers import TODAY
from wellbeing.triangle import SIDES, Area, quadrant


def url(name, child) -> str:
    return reverse(f"wellbeing:{name}", kwargs={"child_id": child.pk})


def test_the_triangle_has_three_sides_of_seven_areas():
    assert [len(areas) for areas in SIDES.values()] == [7, 7, 7]
    assert {area for areas in SIDES.values() for area in areas} == set(Area)


def test_it_records_strengths_and_concerns_only_for_the_areas_looked_at(client, cast):
    sign_in(client, cast.teacher)
    assert client.get(url("triangle_new", cast.child)).content.decode().count("<h1") == 1
    response = client.post(
        url("triangle_new", cast.child),
        {
            "assessed_on": TODAY.isoformat(),
            "strengths_school": "Trivs med sin lärare",
            "concerns_money": "Familjen har ont om pengar",
        },
    )
    assert response.status_code == 302
    assert Assessment.objects.get().kind == "triangle"
    assert sorted(TriangleNote.objects.values_list("area", flat=True)) == ["money", "school"]
    body = client.get(url("assessments", cast.child)).content.decode()
    assert "Trivs med sin lärare" in body and "Min omvärld" in body and "Tillräckligt med pengar" in body


def test_an_empty_triangle_is_refused(client, cast):
    sign_in(client, cast.teacher)
    response = client.post(url("triangle_new", cast.child), {"assessed_on": TODAY.isoformat()})
    assert response.status_code == 400
    assert "Skriv styrkor eller oro för minst ett område" in response.content.decode()
    assert not Assessment.objects.exists()


def test_the_matrix_places_the_child_on_both_axes_with_evidence(client, cast):
    sign_in(client, cast.teacher)
    response = client.post(
        url("matrix_new", cast.child),
        {
            "assessed_on": TODAY.isoformat(),
            "resilience": "1",
            "resilience_evidence": "God självkänsla",
            "environment": "-2",
            "environment_evidence": "Trångboddhet och oro hemma",
        },
    )
    assert response.status_code == 302
    placement = MatrixPlacement.objects.get()
    assert (placement.resilience, placement.environment) == (1, -2)
    body = client.get(url("assessments", cast.child)).content.decode()
    assert "Motståndskraftigt barn i svårigheter" in body and "God självkänsla" in body


def test_the_matrix_needs_evidence_for_each_axis(client, cast):
    sign_in(client, cast.teacher)
    data = {"assessed_on": TODAY.isoformat(), "resilience": "3", "environment": "0", "environment_evidence": ""}
    response = client.post(url("matrix_new", cast.child), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Välj ett giltigt alternativ" in body
    assert "Skriv vad placeringen mellan svårigheter och skyddande miljö bygger på" in body
    assert not Assessment.objects.exists()


def test_quadrants():
    assert quadrant(2, 2) == "Motståndskraftigt barn i en skyddande miljö"
    assert quadrant(-1, 1) == "Sårbart barn i en skyddande miljö"
    assert quadrant(-2, -1) == "Sårbart barn i svårigheter"


def test_strangers_get_404(client, cast):
    for persona in ("outsider", "other_school_teacher", "expired"):
        sign_in(client, getattr(cast, persona))
        for name in ("assessments", "triangle_new", "matrix_new"):
            assert client.get(url(name, cast.child)).status_code == 404
