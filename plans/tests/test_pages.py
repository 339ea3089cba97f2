"""The plan pages: start, read, edit with refusal and merge, agreement, versions and diff, review, close, decline."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from plans import services
from plans.models import ChildPlan, Participant, PlanVersion, Status
from plans.tests.setup import add_action, agree_all, start, via
from sharing import policy
from testsupport.cast import sign_in


def url(name, plan, **kwargs) -> str:
    return reverse(f"plans:{name}", kwargs={"child_id": plan.child_id, "plan_id": plan.pk, **kwargs})


@pytest.fixture
def plan(cast):
    return start(cast)


def test_it_starts_a_plan_from_the_child(client, cast):
    sign_in(client, cast.named_person)
    address = reverse("plans:start", kwargs={"child_id": cast.child.pk})
    page = client.get(address)
    assert page.status_code == 200
    assert page.content.decode().count("<h1") == 1
    response = client.post(
        address, {"kind": "multi_agency", "reasons": "Alva är ofta borta.", "lead_professional": cast.named_person.pk}
    )
    plan = ChildPlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("plan", plan)
    assert plan.lead_professional == cast.named_person


def test_it_refuses_a_multi_agency_start_without_lead_and_saves_nothing(client, cast):
    sign_in(client, cast.named_person)
    address = reverse("plans:start", kwargs={"child_id": cast.child.pk})
    response = client.post(address, {"kind": "multi_agency", "reasons": "Oro"})
    assert response.status_code == 400
    assert "ansvarig samordnare" in response.content.decode()
    assert not ChildPlan.objects.exists()


def test_it_says_there_already_is_an_open_plan(client, cast, plan):
    sign_in(client, cast.teacher)
    response = client.get(reverse("plans:start", kwargs={"child_id": cast.child.pk}))
    assert "redan en plan" in response.content.decode()
    response = client.post(
        reverse("plans:start", kwargs={"child_id": cast.child.pk}), {"kind": "single_agency", "reasons": "x"}
    )
    assert response.status_code == 400
    assert "redan en plan" in response.content.decode()
    assert ChildPlan.objects.count() == 1


def test_the_plan_page_shows_all_contents(client, cast, plan):
    add_action(cast, plan, description="Läxhjälp två dagar i veckan")
    services.need_set(plan=plan, indicator="achieving", summary="Stöd i matematik", via=via(cast.named_person))
    services.link_add(plan=plan, kind="sip", reference="SIP 2024-17", held_by="Region Test", via=via(cast.named_person))
    sign_in(client, cast.teacher)
    body = client.get(url("plan", plan)).content.decode()
    for text in ("Läxhjälp två dagar i veckan", "Stöd i matematik", "SIP 2024-17", "Petra Andersson", "Alva Andersson"):
        assert text in body
    assert body.count("<h1") == 1


def _edit_data(plan, **changes) -> dict:
    data = {
        "version": plan.version,
        "kind": plan.kind,
        "lead_professional": plan.lead_professional_id or "",
        "reasons": plan.reasons,
        "risk_level": plan.risk_level,
        "harmful_behaviour": plan.harmful_behaviour,
        "risk_triggers": plan.risk_triggers,
        "risk_effect": plan.risk_effect,
        "contingency": plan.contingency,
        "review_arrangements": plan.review_arrangements,
        "review_interval_weeks": plan.review_interval_weeks,
        "next_review_on": "",
    }
    data.update({f"initial-{name}": value for name, value in list(data.items()) if name != "version"})
    data.update(changes)
    return data


def test_it_saves_an_edit(client, cast, plan):
    sign_in(client, cast.teacher)
    response = client.post(url("edit", plan), _edit_data(plan, contingency="Ring mamma"))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.contingency, plan.version) == ("Ring mamma", 2)


def test_a_stale_edit_is_refused_shown_side_by_side_and_merged(client, cast, plan):
    stale = _edit_data(plan, contingency="Ring mamma", reasons="Lars skäl")
    services.plan_update(
        plan=plan,
        version=plan.version,
        values={"reasons": "Hannas skäl", "risk_triggers": "Byte av lärare"},
        user=cast.named_person,
        via=via(cast.named_person),
    )
    sign_in(client, cast.teacher)
    response = client.post(url("edit", plan), stale)
    body = response.content.decode()
    assert response.status_code == 409
    assert "Någon annan sparade planen" in body
    assert "Lars skäl" in body and "Hannas skäl" in body and "Hanna Rektorsson" in body
    plan.refresh_from_db()
    assert (plan.reasons, plan.contingency, plan.version) == ("Hannas skäl", "", 2)
    # Both changed the reasons: no choice is made for the user. Only the teacher changed the contingency,
    # only the other changed the triggers: those are chosen already.
    assert re.search(r'name="choice_reasons"[^>]*value="mine"(?! checked)', body)
    assert re.search(r'id="mine-contingency" value="mine" checked', body)
    assert re.search(r'id="theirs-risk_triggers" value="theirs" checked', body)
    merge = {key: value for key, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', body)}
    missing = client.post(url("edit", plan), {**merge, "choice_contingency": "mine", "choice_risk_triggers": "theirs"})
    assert missing.status_code == 409
    assert "Välj för varje fält" in missing.content.decode()
    done = client.post(
        url("edit", plan),
        {**merge, "choice_reasons": "mine", "choice_contingency": "mine", "choice_risk_triggers": "theirs"},
    )
    assert done.status_code == 302
    plan.refresh_from_db()
    assert (plan.reasons, plan.contingency, plan.risk_triggers, plan.version) == (
        "Lars skäl",
        "Ring mamma",
        "Byte av lärare",
        3,
    )


def test_agreement_versions_and_diff(client, cast, plan):
    add_action(cast, plan, description="Samtal varje vecka")
    sign_in(client, cast.named_person)
    answers = {f"answer_{row.pk}": "agrees" for row in plan.participants.all()}
    response = client.post(url("agree", plan), answers)
    assert response.status_code == 302
    assert PlanVersion.objects.get().number == 1
    # Change the plan and agree again: version 2.
    services.plan_activate(plan=plan, via=via(cast.named_person))
    add_action(cast, plan, description="Läxhjälp på fritids", authority=cast.education)
    services.participant_add(plan=plan, role="other", name="Morfar Sven", via=via(cast.named_person))
    plan.refresh_from_db()
    services.plan_update(
        plan=plan,
        version=plan.version,
        values={"risk_level": "low"},
        user=cast.named_person,
        via=via(cast.named_person),
    )
    client.post(url("agree", plan), {f"answer_{row.pk}": "agrees" for row in plan.participants.all()})
    assert PlanVersion.objects.count() == 2
    body = client.get(url("compare", plan) + "?fran=1&till=2").content.decode()
    assert "Ny åtgärd: Läxhjälp på fritids" in body
    assert "Ny deltagare: Morfar Sven" in body
    assert "Nuvarande risknivå" in body and "Ingen känd risk" in body and "Låg" in body
    assert "Samtal varje vecka" not in body  # unchanged actions are not listed
    assert client.get(url("versions", plan)).status_code == 200
    assert "Instämmer" in client.get(url("version", plan, number=1)).content.decode()
    assert client.get(url("compare", plan) + "?fran=9").status_code == 404


def test_review_close_and_the_named_person_back_in_charge(client, cast, plan):
    add_action(cast, plan)
    agree_all(cast, plan)
    sign_in(client, cast.named_person)
    assert client.post(url("review", plan)).status_code == 302
    data = {
        "held_on": policy.today().isoformat(),
        "improved": "Alva går till skolan",
        "aims_met": "Delvis",
        "score_achieving": "4",
    }
    assert client.post(url("review", plan), data).status_code == 302
    review = plan.reviews.get()
    assert review.assessment.ratings.get().score == 4
    refused = client.post(url("close", plan), {"reason": "Oron är borta"})
    assert refused.status_code == 400
    assert client.post(url("close", plan), {"reason": "Oron är borta", "confirm": "on"}).status_code == 302
    body = client.get(url("plan", plan)).content.decode()
    assert "Hanna Rektorsson, har åter ansvaret" in body
    overview = client.get(reverse("people:child", kwargs={"child_id": cast.child.pk})).content.decode()
    assert "1 tidigare plan" in overview


def test_the_family_declines_without_penalty(client, cast, plan):
    sign_in(client, cast.named_person)
    assert client.post(url("decline", plan), {"note": "Vi vill inte"}).status_code == 400
    assert client.post(url("decline", plan), {"note": "Vi vill inte", "confirm": "on"}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == Status.DECLINED
    assert "familjens rätt" in client.get(url("plan", plan)).content.decode()


def test_participants_needs_actions_links_pages(client, cast, plan):
    sign_in(client, cast.named_person)
    assert client.post(url("participants", plan), {"role": "guardian"}).status_code == 400
    client.post(url("participants", plan), {"role": "other", "name": "Morfar Sven", "view": "Jag hjälper gärna"})
    sven = Participant.objects.get(name="Morfar Sven")
    client.post(url("participant_view", plan, participant_id=sven.pk), {"view": "Jag kan hämta på fredagar"})
    sven.refresh_from_db()
    assert sven.view == "Jag kan hämta på fredagar"
    client.post(url("needs", plan), {"indicator": "safe", "summary": "Trygg väg till skolan"})
    today = policy.today()
    response = client.post(
        url("actions", plan),
        {
            "description": "Följa till skolan",
            "owner_authority": cast.education.pk,
            "start": today.isoformat(),
            "end": (today - timedelta(days=1)).isoformat(),
            "expected_outcome": "Kommer i tid",
        },
    )
    assert response.status_code == 400 and "före startdatumet" in response.content.decode()
    client.post(
        url("actions", plan),
        {
            "description": "Följa till skolan",
            "owner_authority": cast.education.pk,
            "start": today.isoformat(),
            "end": (today + timedelta(days=30)).isoformat(),
            "expected_outcome": "Kommer i tid",
            "indicators": ["safe"],
        },
    )
    client.post(url("links", plan), {"kind": "atgardsprogram", "reference": "ÅP 12", "held_by": "Östra skolan"})
    for name in ("participants", "needs", "actions", "links"):
        page = client.get(url(name, plan))
        assert page.status_code == 200 and page.content.decode().count("<h1") == 1
    action = plan.actions.get()
    assert client.get(url("remove", plan, part="action", part_id=action.pk)).status_code == 200
    assert client.post(url("remove", plan, part="action", part_id=action.pk)).status_code == 302
    assert not plan.actions.exists()
    assert client.get(url("remove", plan, part="plan", part_id=plan.pk)).status_code == 404


def test_the_pdf_link_answers(client, cast, plan):
    sign_in(client, cast.named_person)
    response = client.get(url("pdf", plan))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
