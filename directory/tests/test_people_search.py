"""The people picker's search: only the staff the form allows, at most 20, from two letters, for signed-in staff."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse

from directory import selectors
from organisations.models import Membership, Role
from sharing import policy
from testsupport.cast import sign_in

URL = reverse("directory:people_search")


def _search(client, q: str, authorities=None):
    return client.get(URL, {"q": q, "scope": selectors.scope_sign(authorities), "picker": "id_lead"})


def test_it_refuses_an_anonymous_visitor(client, cast):
    response = _search(client, "Hanna")
    assert response.status_code == 302 and "logga-in" in response["Location"]


def test_it_finds_allowed_staff_with_title_unit_and_authority(client, cast):
    cast.named_person.title = "Rektor"
    cast.named_person.save(update_fields=["title"])
    sign_in(client, cast.teacher)
    body = _search(client, "hanna rek", [cast.education.pk]).content.decode()
    assert 'role="option"' in body and f'data-value="{cast.named_person.pk}"' in body
    assert "Hanna Rektorsson" in body and "Rektor" in body and "Östra skolan (Barn- och utbildningsnämnden)" in body
    assert "1 träff." in body


def test_it_does_not_offer_another_authoritys_staff_when_the_plans_rule_excludes_them(client, cast):
    sign_in(client, cast.named_person)
    body = _search(client, "Sofia", [cast.education.pk]).content.decode()
    assert cast.social_worker.get_full_name() not in body  # social services take no part in the plan
    assert "Ingen som kan väljas här heter så." in body
    assert cast.social_worker.get_full_name() in _search(client, "Sofia", [cast.social.pk]).content.decode()


def test_it_never_offers_analysts_administrators_or_former_staff(client, cast):
    sign_in(client, cast.named_person)
    Membership.objects.filter(user=cast.teacher).update(valid_to=policy.today() - timedelta(days=1))
    for name in ("Anders", "Ada", "Lars"):  # analyst, administrator, a teacher who has left
        assert 'role="option"' not in _search(client, name).content.decode()
    assert set(selectors.allowed_staff()).isdisjoint({cast.analyst, cast.administrator, cast.teacher})


def test_it_needs_two_letters_and_answers_at_most_twenty(client, cast):
    sign_in(client, cast.named_person)
    assert "Skriv minst två bokstäver." in _search(client, "H").content.decode()
    for number in range(25):
        user = type(cast.teacher).objects.create_user(
            username=f"extra{number}", first_name="Extra", last_name=f"Lärare{number}"
        )
        Membership.objects.create(user=user, unit=cast.school, role=Role.PRACTITIONER, valid_from="2020-01-01")
    body = _search(client, "extra").content.decode()
    assert body.count('role="option"') == selectors.MAX_RESULTS
    assert "De 20 första träffarna visas." in body


def test_it_refuses_a_scope_it_did_not_sign(client, cast):
    sign_in(client, cast.named_person)
    response = client.get(URL, {"q": "Sofia", "scope": "[1,2,3]"})
    assert response.status_code == 400
