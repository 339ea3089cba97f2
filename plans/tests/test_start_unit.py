"""Starting a plan: the unit that owns it (chosen when the author works in several), and a lead who takes part."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from organisations.models import Membership, Role
from plans import services
from plans.models import ChildPlan
from plans.tests.setup import via
from sharing import policy
from testsupport.cast import sign_in

START = "plans:start"


def address(cast) -> str:
    return reverse(START, kwargs={"child_id": cast.child.pk})


@pytest.fixture
def two_units(cast):
    """The head teacher also works in the social services' team (a shared post between two authorities)."""
    Membership.objects.create(
        user=cast.named_person,
        unit=cast.social_team,
        role=Role.SOCIAL_WORKER,
        valid_from=policy.today() - timedelta(days=30),
    )
    return cast


def test_an_author_with_one_unit_is_not_asked(client, cast):
    sign_in(client, cast.teacher)
    body = client.get(address(cast)).content.decode()
    assert "Vilken enhet ska planen höra till?" not in body
    assert "Planen ägs av Barn- och utbildningsnämnden" in body
    response = client.post(address(cast), {"kind": "single_agency", "reasons": "Oro"})
    assert response.status_code == 302
    assert ChildPlan.objects.get().owner_authority == cast.education


def test_an_author_with_several_units_chooses_which_owns_the_plan(client, two_units):
    cast = two_units
    sign_in(client, cast.named_person)
    body = client.get(address(cast)).content.decode()
    assert "Vilken enhet ska planen höra till?" in body
    assert "Östra skolan (Barn- och utbildningsnämnden)" in body and "Barn och familj (Socialnämnden)" in body
    data = {"kind": "multi_agency", "reasons": "Oro", "lead_professional": cast.named_person.pk}
    refused = client.post(address(cast), data)
    assert refused.status_code == 400
    assert "Välj vilken enhet planen ska höra till." in refused.content.decode()
    assert not ChildPlan.objects.exists()
    response = client.post(address(cast), {**data, "unit": cast.social_team.pk})
    assert response.status_code == 302
    plan = ChildPlan.objects.get()
    assert plan.owner_authority == cast.social


def test_the_form_names_a_lead_from_no_authority_taking_part(client, two_units):
    cast = two_units
    sign_in(client, cast.named_person)
    data = {
        "kind": "multi_agency",
        "reasons": "Oro",
        "unit": cast.school.pk,
        "lead_professional": cast.social_worker.pk,
    }
    response = client.post(address(cast), data)
    assert response.status_code == 400
    assert "arbeta i en myndighet som deltar i planen (Barn- och utbildningsnämnden)" in response.content.decode()
    assert not ChildPlan.objects.exists()
    # Owned by social services, a social worker may lead it.
    assert client.post(address(cast), {**data, "unit": cast.social_team.pk}).status_code == 302


def test_the_lead_list_offers_no_one_from_outside(client, cast):
    sign_in(client, cast.teacher)
    # The picker's search (here without JavaScript) finds the school's staff and nobody outside.
    search = {"kind": "multi_agency", "picker-search": "lead_professional"}
    body = client.post(address(cast), {**search, "lead_professional-q": "Hanna"}).content.decode()
    assert "Hanna Rektorsson" in body
    for name in ("Erik", "Sofia"):
        assert (
            "Ingen som kan väljas här heter så"
            in client.post(address(cast), {**search, "lead_professional-q": name}).content.decode()
        )
    response = client.post(
        address(cast), {"kind": "multi_agency", "reasons": "Oro", "lead_professional": cast.bup_clinician.pk}
    )
    assert response.status_code == 400
    assert "Välj en ansvarig samordnare som arbetar i en myndighet som deltar i planen" in response.content.decode()


def test_the_service_refuses_a_unit_the_author_does_not_work_in(cast):
    with pytest.raises(ValidationError, match="enheter där du arbetar"):
        services.plan_start(
            child=cast.child,
            user=cast.teacher,
            kind="single_agency",
            reasons="Oro",
            unit=cast.bup,
            via=via(cast.teacher),
        )
    assert not ChildPlan.objects.exists()


def test_the_edit_form_names_a_lead_from_no_authority_taking_part(client, cast):
    plan = services.plan_start(
        child=cast.child,
        user=cast.teacher,
        kind="multi_agency",
        reasons="Oro",
        lead_professional=cast.named_person,
        via=via(cast.teacher),
    )
    address = reverse("plans:edit", kwargs={"child_id": cast.child.pk, "plan_id": plan.pk})
    sign_in(client, cast.teacher)
    assert "Erik Psykolog" not in client.get(address).content.decode()
    data = {
        "version": plan.version,
        "kind": plan.kind,
        "lead_professional": cast.bup_clinician.pk,
        "reasons": plan.reasons,
        "risk_level": plan.risk_level,
        "review_interval_weeks": plan.review_interval_weeks,
    }
    response = client.post(address, data)
    assert response.status_code == 400
    assert "Välj en ansvarig samordnare som arbetar i en myndighet som deltar i planen" in response.content.decode()
    plan.refresh_from_db()
    assert plan.lead_professional == cast.named_person
