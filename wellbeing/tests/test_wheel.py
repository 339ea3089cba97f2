"""The wellbeing wheel: practitioner, child and guardian ratings, municipal labels, the chart and the table."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from sharing.tests.consent_setup import child_login, set_age
from testsupport.cast import sign_in
from wellbeing.indicators import Indicator
from wellbeing.models import Assessment, Rating
from wellbeing.tests.helpers import TODAY, consent, relate_bup


def wheel_url(name, child) -> str:
    return reverse(f"wellbeing:{name}", kwargs={"child_id": child.pk})


def rate(client, user, child, name="wheel_new", **scores):
    sign_in(client, user)
    data = {"assessed_on": TODAY.isoformat(), "note": ""}
    for code, score in scores.items():
        data[f"score_{code}"] = str(score)
        data[f"comment_{code}"] = f"Om {code}"
    return client.post(wheel_url(name, child), data)


def test_a_practitioner_rates_the_indicators_and_sees_chart_and_table(client, cast):
    response = rate(client, cast.teacher, cast.child, safe=2, healthy=4, included=5)
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert (assessment.rater_kind, assessment.owner_authority, assessment.category) == (
        "practitioner",
        cast.education,
        "education",
    )
    assert dict(assessment.ratings.values_list("indicator", "score")) == {"safe": 2, "healthy": 4, "included": 5}
    body = client.get(wheel_url("wheel", cast.child)).content.decode()
    assert body.count("<h1") == 1
    assert '<svg viewBox="-250 -10 820 340"' in body and 'role="img"' in body
    assert "<desc" in body and "Trygg: 2 av 5" in body  # the chart's text alternative
    assert "2 – Ganska dåligt" in body and "Om safe" in body  # and the table
    assert AuditEvent.objects.filter(action="create", record_type="Assessment").exists()


def test_ratings_over_time_are_listed_newest_first(client, cast):
    rate(client, cast.teacher, cast.child, safe=2)
    Assessment.objects.update(assessed_on=TODAY - timedelta(days=30))
    rate(client, cast.teacher, cast.child, safe=4)
    body = client.get(wheel_url("wheel", cast.child)).content.decode()
    history = body[body.index('id="history-heading"') :]
    assert history.index(TODAY.isoformat()) < history.index((TODAY - timedelta(days=30)).isoformat())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"assessed_on": TODAY.isoformat()}, "Svara på minst ett område"),
        ({"assessed_on": TODAY.isoformat(), "score_safe": "7"}, "Välj ett giltigt alternativ"),
        ({"assessed_on": (TODAY + timedelta(days=2)).isoformat(), "score_safe": "3"}, "kan inte ligga i framtiden"),
        ({"assessed_on": "igår", "score_safe": "3"}, "Skriv datumet som ÅÅÅÅ-MM-DD"),
    ],
)
def test_bad_ratings_are_refused_and_nothing_is_saved(client, cast, data, message):
    sign_in(client, cast.teacher)
    response = client.post(wheel_url("wheel_new", cast.child), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Assessment.objects.exists() and not Rating.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "other_school_teacher", "expired", "bup_clinician"])
@pytest.mark.parametrize("name", ["wheel", "wheel_new", "wheel_child"])
def test_staff_without_a_relation_get_404(client, cast, persona, name):
    if name == "wheel":
        sign_in(client, getattr(cast, persona))
        response = client.get(wheel_url(name, cast.child))
    else:
        response = rate(client, getattr(cast, persona), cast.child, name=name, safe=3)
    assert response.status_code == 404
    assert not Assessment.objects.exists()


def test_a_health_assessment_reaches_the_school_only_with_consent(client, cast):
    relate_bup(cast)
    rate(client, cast.bup_clinician, cast.child, safe=1)
    sign_in(client, cast.teacher)
    assert "Region Test" not in client.get(wheel_url("wheel", cast.child)).content.decode()
    consent(cast, categories=("health",), recipients=[cast.education])
    assert "Region Test" in client.get(wheel_url("wheel", cast.child)).content.decode()


def test_the_child_page_is_plain_large_and_recorded_as_the_childs_view(client, cast):
    sign_in(client, cast.teacher)
    body = client.get(wheel_url("wheel_child", cast.child)).content.decode()
    assert "Hur har du det, Alva?" in body
    assert "Känner du dig trygg?" in body and "Jättebra" in body and "Inte bra alls" in body
    assert 'lang="sv"' in body
    assert body.count('type="radio"') == 5 * len(Indicator)
    assert 'aria-hidden="true"' in body  # the faces are decoration; the words carry the meaning
    response = rate(client, cast.teacher, cast.child, name="wheel_child", safe=5, active=4)
    assert response.status_code == 302
    assert Assessment.objects.get().rater_kind == "child"


# --- The family view ---


def family_url(child) -> str:
    return reverse("wellbeing:family_wheel", kwargs={"child_id": child.pk})


def test_a_guardian_rates_the_child_owned_by_the_named_persons_authority(client, cast):
    sign_in(client, cast.guardian_user)
    page = client.get(family_url(cast.child))
    assert page.status_code == 200 and "Hur har Alva det?" in page.content.decode()
    response = client.post(family_url(cast.child), {"score_safe": "4", "comment_safe": "Hon trivs", "note": ""})
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert (assessment.rater_kind, assessment.rated_by, assessment.owner_authority) == (
        "guardian",
        cast.guardian_user,
        cast.education,
    )
    sign_in(client, cast.named_person)
    assert "Vårdnadshavare" in client.get(wheel_url("wheel", cast.child)).content.decode()


def test_the_child_with_its_own_login_gets_the_child_page(client, cast):
    set_age(cast.child, 14)
    alva = child_login(cast.child)
    sign_in(client, alva)
    body = client.get(family_url(cast.child)).content.decode()
    assert "Hur har du det, Alva?" in body
    response = client.post(family_url(cast.child), {"score_included": "2", "comment_included": "Ensam på rasten"})
    assert response.status_code == 302
    assert Assessment.objects.get().rater_kind == "child"


@pytest.mark.parametrize("persona", ["noncustodial_user", "teacher", "outsider"])
def test_no_one_else_reaches_the_family_page(client, cast, persona):
    sign_in(client, getattr(cast, persona))
    assert client.post(family_url(cast.child), {"score_safe": "1"}).status_code in (404, 302)
    assert not Assessment.objects.exists()


def test_a_younger_child_with_a_login_does_not_get_in(client, cast):
    alva = child_login(cast.child)  # nine years old: below the municipality's login age
    sign_in(client, alva)
    assert client.get(family_url(cast.child)).status_code == 404
