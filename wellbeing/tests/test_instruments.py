"""Instruments: SDQ as scores only, bands from versioned data, computed at every boundary."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from audit import log as audit
from sharing.tests.consent_setup import set_age
from testsupport.cast import sign_in
from wellbeing import services
from wellbeing.instrument_data import SCALES, install_sdq
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


# The teacher form's cut-offs (sdqinfo): a total of 12–15 is borderline, where the parent form says normal to 13.
TEACHER_BOUNDARIES = [
    ("total", 11, "normal"),
    ("total", 12, "borderline"),
    ("total", 13, "borderline"),
    ("total", 15, "borderline"),
    ("total", 16, "abnormal"),
    ("emotional", 4, "normal"),
    ("emotional", 5, "borderline"),
    ("emotional", 6, "abnormal"),
    ("conduct", 2, "normal"),
    ("conduct", 4, "abnormal"),
    ("hyperactivity", 6, "borderline"),
    ("hyperactivity", 7, "abnormal"),
    ("peer", 3, "normal"),
    ("peer", 4, "borderline"),
    ("peer", 5, "abnormal"),
    ("prosocial", 5, "borderline"),
    ("prosocial", 4, "abnormal"),
]
# The self-report form (11–17 years): a total of 16–19 is borderline, 20 and over abnormal.
SELF_BOUNDARIES = [
    ("total", 15, "normal"),
    ("total", 16, "borderline"),
    ("total", 19, "borderline"),
    ("total", 20, "abnormal"),
    ("emotional", 5, "normal"),
    ("emotional", 6, "borderline"),
    ("emotional", 7, "abnormal"),
    ("conduct", 3, "normal"),
    ("conduct", 4, "borderline"),
    ("conduct", 5, "abnormal"),
    ("peer", 3, "normal"),
    ("peer", 5, "borderline"),
    ("peer", 6, "abnormal"),
]


def _band(sdq, informant, code, score):
    bands = list(Band.objects.filter(subscale__instrument=sdq, subscale__code=code))
    return services.band_for(bands, score, informant=informant)


@pytest.mark.parametrize(("code", "score", "level"), BOUNDARIES)
def test_band_at_every_boundary(sdq, code, score, level):
    assert _band(sdq, "parent", code, score).level == level


@pytest.mark.parametrize(("code", "score", "level"), TEACHER_BOUNDARIES)
def test_teacher_forms_are_banded_with_the_teacher_cut_offs(sdq, code, score, level):
    assert _band(sdq, "teacher", code, score).level == level


@pytest.mark.parametrize(("code", "score", "level"), SELF_BOUNDARIES)
def test_self_reports_are_banded_with_the_self_report_cut_offs(sdq, code, score, level):
    assert _band(sdq, "self", code, score).level == level


def test_the_bands_cover_each_scale_for_every_informant_without_gaps_or_overlaps(sdq):
    for subscale in sdq.subscales.all():
        for informant in ("parent", "teacher", "self"):
            bands = [band for band in subscale.bands.all() if band.informant == informant]
            covered = sorted(s for band in bands for s in range(band.min_score, band.max_score + 1))
            assert covered == list(range(subscale.min_score, subscale.max_score + 1)), (subscale.code, informant)


def test_unconfirmed_bands_are_marked_and_confirmed_ones_name_their_source(sdq):
    bands = Band.objects.filter(subscale__instrument=sdq)
    assert not bands.filter(informant="self", certain=True).exists()
    assert not bands.filter(subscale__code="prosocial", certain=True).exists()
    assert set(bands.filter(informant="parent", certain=False).values_list("subscale__code", flat=True)) == {
        "prosocial"
    }
    assert all(band.note for band in bands.filter(certain=False))
    assert all(band.source for band in bands.filter(certain=True))
    assert bands.filter(informant="teacher", subscale__code="total", certain=True).count() == 3


def test_no_sdq_item_text_is_stored(sdq):
    assert "scores" in sdq.licence_note or "poäng" in sdq.licence_note
    assert [s.code for s in sdq.subscales.all()] == [row[0] for row in SCALES]


def _record(cast, sdq, respondent="teacher", **scores):
    access = open_as(cast.teacher, cast.child)
    values = {"emotional": 4, "conduct": 2, "hyperactivity": 7, "peer": 1, "prosocial": 9, **scores}
    with audit.deferred():
        return services.instrument_response_record(
            access=access,
            instrument=sdq,
            respondent=respondent,
            completed_on=TODAY,
            scores=values,
            recorded_by=cast.teacher,
            via=via(cast.teacher),
        )


def test_it_computes_the_total_without_prosocial_and_every_band(cast, sdq):
    response = _record(cast, sdq, respondent="parent")
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


def test_a_teacher_total_of_13_is_borderline_where_the_parent_form_would_say_normal(cast, sdq):
    scores = {"emotional": 4, "conduct": 2, "hyperactivity": 6, "peer": 1}
    teacher = _record(cast, sdq, respondent="teacher", **scores)
    parent = _record(cast, sdq, respondent="parent", **scores)
    assert teacher.total == parent.total == 13
    assert (teacher.total_band.level, parent.total_band.level) == ("borderline", "normal")
    assert {band.informant for band in (teacher.total_band, parent.total_band)} == {"teacher", "parent"}
    emotional = dict(SubscaleScore.objects.filter(subscale__code="emotional").values_list("response", "band__level"))
    assert emotional == {teacher.pk: "normal", parent.pk: "borderline"}


def test_a_self_report_total_of_17_is_borderline_where_the_parent_form_would_say_abnormal(cast, sdq):
    set_age(cast.child, 13)
    scores = {"emotional": 5, "conduct": 3, "hyperactivity": 6, "peer": 3}
    self_report = _record(cast, sdq, respondent="self", **scores)
    parent = _record(cast, sdq, respondent="parent", **scores)
    assert self_report.total == parent.total == 17
    assert (self_report.total_band.level, parent.total_band.level) == ("borderline", "abnormal")
    assert not self_report.total_band.certain


def test_a_stored_response_points_at_the_band_rows_of_its_version_and_informant(cast, sdq):
    response = _record(cast, sdq, respondent="teacher", emotional=4, conduct=2, hyperactivity=6, peer=1)
    assert install_sdq(Instrument, Subscale, Band) == sdq  # installing again creates and changes nothing
    response.refresh_from_db()
    bands = [response.total_band, *(score.band for score in response.scores.select_related("band__subscale"))]
    assert {(band.subscale.instrument_id, band.informant) for band in bands} == {(sdq.pk, "teacher")}


def test_a_self_report_of_a_child_under_11_is_refused(cast, sdq):
    set_age(cast.child, 10)
    with pytest.raises(ValidationError) as caught:
        _record(cast, sdq, respondent="self")
    assert "för barn från 11 år" in caught.value.message_dict["respondent"][0]
    assert not InstrumentResponse.objects.exists()
    set_age(cast.child, 11)
    assert _record(cast, sdq, respondent="self").total_band.informant == "self"


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
    assert "Gränsområde" in body and ">13<" in body
    assert "Gränsvärdena är inte bekräftade" in body  # the parent form's prosocial bands
    assert "Förälder eller vårdnadshavare" in body
    bad = client.post(url, {**data, "emotional": "12"})
    assert bad.status_code == 400 and "Skriv en poäng från 0 till 10" in bad.content.decode()
    assert InstrumentResponse.objects.count() == 1


def test_strangers_get_404(client, cast, sdq):
    for persona in ("outsider", "other_school_teacher", "expired"):
        sign_in(client, getattr(cast, persona))
        url = reverse("wellbeing:instrument_new", kwargs={"child_id": cast.child.pk, "instrument_id": sdq.pk})
        assert client.post(url, {"respondent": "parent"}).status_code == 404
    assert not InstrumentResponse.objects.exists()


def test_the_results_page_says_when_a_self_report_is_read_with_unconfirmed_cut_offs(client, cast, sdq):
    set_age(cast.child, 13)
    _record(cast, sdq, respondent="self", emotional=5, conduct=3, hyperactivity=6, peer=3)
    sign_in(client, cast.teacher)
    body = client.get(reverse("wellbeing:instruments", kwargs={"child_id": cast.child.pk})).content.decode()
    assert "Gränsvärdena är inte bekräftade" in body and "Självskattningens gränser" in body
    assert "själv (11–17 år)" in body


def test_a_response_read_with_another_informants_cut_offs_says_so(client, cast, sdq):
    """A response of the first version (parent cut-offs for every form) keeps its bands and is flagged."""
    first = Instrument.objects.create(code="sdq", version="test-first", name="SDQ (första)", licence_note="-")
    total = Subscale.objects.create(
        instrument=first, code="total", name="Totala svårigheter", max_score=40, min_score=0
    )
    normal = Band.objects.create(
        subscale=total, informant="parent", level="normal", label="Normal", min_score=0, max_score=13
    )
    InstrumentResponse.objects.create(
        child=cast.child,
        owner_authority=cast.education,
        category="education",
        instrument=first,
        respondent="teacher",
        completed_on=TODAY,
        recorded_by=cast.teacher,
        total=13,
        total_band=normal,
    )
    sign_in(client, cast.teacher)
    body = client.get(reverse("wellbeing:instruments", kwargs={"child_id": cast.child.pk})).content.decode()
    assert "tolkades med gränsvärdena för Förälder eller vårdnadshavare" in body


def test_the_version_is_shown_in_words_never_as_its_code(client, cast, sdq):
    _record(cast, sdq, respondent="parent", emotional=3, conduct=3, hyperactivity=5, peer=2)
    sign_in(client, cast.teacher)
    url = reverse("wellbeing:instruments", kwargs={"child_id": cast.child.pk})
    body = client.get(url).content.decode()
    assert sdq.version not in body and "uk-" not in body
    assert "brittiska gränsvärden i tre nivåer för varje formulär, 2025" in body
    assert "Tolkat med brittiska gränsvärden i tre nivåer för varje formulär, 2025." in body
    client.post(reverse("set_language"), {"language": "en", "next": url})
    english = client.get(url).content.decode()
    assert sdq.version not in english
    assert "British three-band cut-offs for each form, 2025" in english
    first = Instrument(code="sdq", version="uk-parent-3band-2021")
    with translation.override("sv"):
        assert first.version_title == "brittiska gränsvärden i tre nivåer för föräldraformuläret, 2021"
        assert Instrument(code="sdq", version="local-test").version_title == "en version utan beskrivning"
