"""The plan's forms render people pickers over the same allowed set the form validates."""

from __future__ import annotations

from django.urls import reverse

from plans.tests.setup import start
from testsupport.cast import sign_in


def test_the_plan_edit_page_offers_a_picker_limited_to_the_authorities_taking_part(client, cast):
    plan = start(cast)
    sign_in(client, cast.named_person)
    body = client.get(reverse("plans:edit", kwargs={"child_id": plan.child_id, "plan_id": plan.pk})).content.decode()
    assert "data-people-picker" in body and 'role="combobox"' in body and "js/people-picker.js" in body
    assert cast.social_worker.get_full_name() not in body  # not taking part: neither in the select nor findable


def test_the_action_form_still_refuses_someone_outside_the_allowed_set(client, cast):
    plan = start(cast)
    sign_in(client, cast.named_person)
    url = reverse("plans:actions", kwargs={"child_id": plan.child_id, "plan_id": plan.pk})
    body = client.get(url).content.decode()
    assert 'id="id_owner_person-search"' in body
    response = client.post(url, {"owner_person": cast.analyst.pk, "description": "x", "expected_outcome": "y"})
    assert response.status_code == 400
    assert "Välj ett giltigt alternativ" in response.content.decode() or "giltig" in response.content.decode()
