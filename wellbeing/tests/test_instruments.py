"""Instruments: SDQ as scores only, bands from versioned data, computed at every boundary."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit import log as audit
from core.testing import sign_in
from wellbeing import services
from wellbeing.instrument_data import SUBSCALES, install_sdq
from wellbeing.models import Band, Instrument, InstrumentResponse, Subscale, SubscaleScore
from wellbeing.tests.helpers import TODAY, open_as, via

# Every boundary of the UK parent-report bands (DOMAIN.md B6): the last score of a band and the first of the next.
BOUNDARIES = [
    ("emotional", 0, "normal"),
    ("emotional", 3, "normal"),
    ("emotional", 4, "borderline"),
    ("emotional", 5, "abnormal"),
    ("emotional", 10, "abnormal"),
    ("conduct", 2, "normal"),
    ("conduct", 3, "borderline"),
    ("conduct", 4, "abnormal"),
    ("hyperactivity", 5, "normal"),
    ("hyperactivity", 6, "borderline"),
    ("hyperactivity", 7, "abnormal"),
    ("peer", 2, "normal"),
    ("peer", 3, "borderline"),
    ("peer", 4, "abnormal"),
    ("prosocial", 0, "abnormal"),
    ("prosocial", 6, "abnormal"),
    ("prosocial", 7, "borderline"),
    ("prosocial", 8, "normal"),
    ("prosocial", 10, "normal"),
    ("total", 0, "normal"),
    ("total", 13, "normal"),
    ("total", 14, "borderline"),
    ("total", 16, "borderline"),
    ("total", 17, "abnormal"),
    ("total", 40, "abnormal"),
]


@pytest.fixture
def sdq(db):
    return install_sdq(Instrument, Subscale, Band)


@pytest.mark.parametrize(("code", "score", "level"), BOUNDARIES)
def test_band_at_every_boundary(sdq, code, score, level):
    bands = list(Band.objects.filter(subscale__instrument=sdq, subscale__code=code))
    assert services.band_for(bands, score).level == level


def test_the_bands_cover_each_scale_without_gaps_or_overlaps(sdq):
    for subscale in sdq.subscales.all():
        covered = sorted(s for band in subscale.bands.all() for s in range(band.min_score, band.max_score + 1))
        assert covered == list(range(subscale.min_score, subscale.max_score + 1)), subscale.code


def test_uncertain_bands_are_marked_as_such(sdq):
    uncertain = set(
        Band.objects.filter(subscale__instrument=sdq, certain=False).values_list("subscale__code", flat=True)
    )
    assert uncertain == {"prosocial"}
    assert Band.objects.filter(subscale__code="prosocial").first().note.startswith("Källorna är oeniga")


def test_no_sdq_item_text_is_stored(sdq):
    assert "scores" in sdq.licence_note or "poäng" in sdq.licence_note
    assert [s.code for s in sdq.subscales.all()] == [row[0] for row in SUBSCALES]


def _record(cast, sdq, **scores):
    access = open_as(cast.teacher, cast.child)
    values = {"emotional": 4, "conduct": 2, "hyperactivity": 7, "peer": 1, "prosocial": 9, **scores}
    with audit.deferred():
        return services.instrument_response_record(
            access=access,
            instrument=sdq,
            respondent="teacher",
            completed_on=TODAY,
            scores=values,
            recorded_by=cast.teacher,
            via=via(cast.teacher),
        )


def test_it_computes_the_total_without_prosocial_and_every_band(cast, sdq):
    response = _record(cast, sdq)
    assert response.total == 14 and response.total_band.level == "borderline"
    levels = dict(SubscaleScore.objects.filter(response=response).values_list("subscale__code", "band__level"))
    assert levels == {
        "emotional": "borderline",
        "conduct": "normal",
        "hyperactivity": "abnormal",
        "peer": "normal",
        "prosocial": "normal",
    }
    assert (response.owner_authority, response.category) == (cast.education, "education")


@pytest.mark.parametrize(("scores", "field"), [({"emotional": 11}, "emotional"), ({"peer": -1}, "peer")])
def test_out_of_range_scores_are_refused(cast, sdq, scores, field):
    with pytest.raises(ValidationError) as caught:
        _record(cast, sdq, **scores)
    assert "Skriv en poäng från 0 till 10" in caught.value.message_dict[field][0]
    assert not InstrumentResponse.objects.exists()


def test_the_pages_record_and_show_scores_and_bands(client, cast, sdq):
    sign_in(client, cast.teacher)
    listing = client.get(reverse("wellbeing:instruments", kwargs={"child_id": cast.child.pk})).content.decode()
    assert "SDQ" in listing and "upphovsrättsskyddat" in listing
    url = reverse("wellbeing:instrument_new", kwargs={"child_id": cast.child.pk, "instrument_id": sdq.pk})
    form = client.get(url).content.decode()
    assert form.count("<h1") == 1 and "Emotionella symtom" in form
    data = {"respondent": "parent", "completed_on": TODAY.isoformat(), "emotional": "3", "conduct": "3"}
    data.update({"hyperactivity": "5", "peer": "2", "prosocial": "7"})
    assert client.post(url, data).status_code == 302
    body = client.get(reverse("wellbeing:instruments", kwargs={"child_id": cast.child.pk})).content.decode()
    assert "Gränsområde" in body and "osäker gräns" in body and ">13<" in body
    bad = client.post(url, {**data, "emotional": "12"})
    assert bad.status_code == 400 and "Skriv en poäng från 0 till 10" in bad.content.decode()
    assert InstrumentResponse.objects.count() == 1


def test_strangers_get_404(client, cast, sdq):
    for persona in ("outsider", "other_school_teacher", "expired"):
        sign_in(client, getattr(cast, persona))
        url = reverse("wellbeing:instrument_new", kwargs={"child_id": cast.child.pk, "instrument_id": sdq.pk})
        assert client.post(url, {"respondent": "parent"}).status_code == 404
    assert not InstrumentResponse.objects.exists()
