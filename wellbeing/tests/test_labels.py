"""Indicator wordings are configuration: label sets chosen per municipality, shown everywhere, ratings untouched."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from api.tests.conftest import child_url
from audit import log as audit
from plans import services as plan_services
from plans.snapshot import plan_snapshot
from plans.tests.setup import add_action, start
from plans.tests.setup import via as plan_via
from sharing.display import display_for
from testsupport.cast import sign_in
from wellbeing import services
from wellbeing.label_data import DEFAULT_KEY, install_label_sets
from wellbeing.labels import wording_for
from wellbeing.models import IndicatorLabel, IndicatorLabelChoice, IndicatorLabelSet, Rating
from wellbeing.tests.helpers import TODAY, open_as, via, write


@pytest.fixture
def default_set(db):
    return install_label_sets(IndicatorLabelSet, IndicatorLabel)


def choose(cast, key: str, *, valid_from=None) -> IndicatorLabelSet:
    label_set = IndicatorLabelSet.objects.get(key=key, version=1)
    IndicatorLabelChoice.objects.create(
        municipality=cast.child.municipality, label_set=label_set, valid_from=valid_from or TODAY - timedelta(days=1)
    )
    return label_set


def rate(cast, **scores):
    with audit.deferred():
        return services.wheel_assessment_record(
            child=cast.child,
            owner=services.author_for(cast.teacher),
            rater_kind="practitioner",
            rated_by=cast.teacher,
            assessed_on=TODAY,
            ratings={code: (score, "") for code, score in scores.items()},
            via=via(cast.teacher),
        )


def test_the_default_is_the_seed_wording_in_both_languages_also_without_installed_sets(cast, default_set):
    labels = [text.label for text in wording_for(cast.child.municipality_id).texts]
    assert labels[:3] == ["Trygg", "Frisk", "Utvecklas och presterar efter förmåga"] and len(labels) == 8
    assert wording_for(cast.child.municipality_id).wheel_name == "Välbefinnandehjulet"
    with translation.override("en"):
        assert wording_for(cast.child.municipality_id).label("nurtured") == "Nurtured"
    IndicatorLabelSet.objects.all().delete()
    assert [text.label for text in wording_for(cast.child.municipality_id).texts] == labels


def test_relabelling_shows_the_new_words_everywhere_and_never_changes_a_stored_rating(
    client, cast, bearer, default_set
):
    rate(cast, safe=2, healthy=4, included=5)
    write(cast.teacher, cast.child, indicators=["healthy", "nurtured"])
    plan = start(cast)
    add_action(cast, plan)
    with audit.deferred():
        plan_services.need_set(plan=plan, indicator="healthy", summary="Sömn", via=plan_via(cast.named_person))
    stored = sorted(Rating.objects.values_list("assessment_id", "indicator", "score"))

    choose(cast, "vanlig-svensk")

    assert sorted(Rating.objects.values_list("assessment_id", "indicator", "score")) == stored
    sign_in(client, cast.teacher)
    for name in ("wellbeing:wheel", "wellbeing:chronology", "wellbeing:entry_new"):
        body = client.get(reverse(name, kwargs={"child_id": cast.child.pk})).content.decode()
        assert "Må bra" in body and "Frisk" not in body, name
    sign_in(client, cast.named_person)
    for name in ("plans:plan", "plans:needs", "plans:actions"):
        body = client.get(reverse(name, kwargs={"child_id": cast.child.pk, "plan_id": plan.pk})).content.decode()
        assert "Må bra" in body or "Utvecklas, Inkluderad" in body, name
        assert "Frisk" not in body and "presterar efter förmåga" not in body, name
    shown = display_for(open_as(cast.named_person, cast.child))
    pdf = render_to_string("plans/pdf.html", {"child": cast.child, "plan": plan, "display": shown})
    assert "<h3>Må bra</h3>" in pdf and "Utvecklas, Inkluderad" in pdf
    assert plan_snapshot(plan)["needs"] == [{"indicator": "Må bra", "summary": "Sömn"}]
    headers = bearer(cast.teacher)
    ratings = client.get(child_url("child_assessments", cast.child), headers=headers).json()[0]["ratings"]
    assert {(r["indicator"], r["label"], r["score"]) for r in ratings} >= {("healthy", "Må bra", 4)}
    entry = client.get(child_url("child_chronology", cast.child), headers=headers).json()[0]
    assert (entry["indicators"], entry["indicator_labels"]) == (["healthy", "nurtured"], ["Må bra", "Delaktig"])


def test_min_livsblomma_names_the_wheel_and_says_its_wording_is_not_confirmed(client, cast, default_set):
    choose(cast, "min-livsblomma")
    sign_in(client, cast.teacher)
    body = client.get(reverse("wellbeing:wheel", kwargs={"child_id": cast.child.pk})).content.decode()
    assert "Min livsblomma för Alva" in body and "Benämningarna är inte bekräftade" in body
    with translation.override("en"):
        assert wording_for(cast.child.municipality_id).wheel_name == "My life flower"


def test_the_latest_choice_in_force_applies(cast, default_set):
    choose(cast, "vanlig-svensk")
    choose(cast, "min-livsblomma", valid_from=TODAY + timedelta(days=7))
    assert wording_for(cast.child.municipality_id).label("healthy") == "Må bra"
    assert wording_for(cast.child.municipality_id, on=TODAY + timedelta(days=7)).wheel_name == "Min livsblomma"


def test_a_municipalitys_own_words_apply_and_english_falls_back_to_swedish_when_missing(client, cast, default_set):
    own = services.indicator_label_set_new_version(label_set=default_set)
    own.labels.filter(indicator="safe").update(label="Trygghet och tillit", label_en="", child_text="Är du trygg?")
    IndicatorLabelChoice.objects.create(municipality=cast.child.municipality, label_set=own, valid_from=TODAY)
    assert (own.key, own.version, own.is_default, own.labels.count()) == (DEFAULT_KEY, 2, False, 8)
    assert default_set.labels.get(indicator="safe").label == "Trygg"  # the earlier version is untouched
    with translation.override("en"):
        assert wording_for(cast.child.municipality_id).label("safe") == "Trygghet och tillit"
    sign_in(client, cast.teacher)
    assert (
        "Är du trygg?"
        in client.get(reverse("wellbeing:wheel_child", kwargs={"child_id": cast.child.pk})).content.decode()
    )


def test_administrators_edit_label_sets_and_choices_in_the_admin(client, cast, default_set):
    cast.administrator.is_staff = cast.administrator.is_superuser = True
    cast.administrator.save()
    sign_in(client, cast.administrator)
    changelist = reverse("admin:wellbeing_indicatorlabelset_changelist")
    assert "Skottlandsmodellen (standard)" in client.get(changelist).content.decode()
    edit = client.get(reverse("admin:wellbeing_indicatorlabelset_change", args=[default_set.pk])).content.decode()
    assert "Utvecklas och presterar efter förmåga" in edit
    response = client.post(changelist, {"action": "copy_as_new_version", "_selected_action": [default_set.pk]})
    assert response.status_code == 302
    assert IndicatorLabelSet.objects.filter(key=DEFAULT_KEY, version=2).exists()
    assert client.get(reverse("admin:wellbeing_indicatorlabelchoice_changelist")).status_code == 200
