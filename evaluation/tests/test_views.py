"""Who can and cannot see the dashboards and the pilot page: analysts and managers of the municipality only."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from audit.models import AuditEvent
from evaluation.kpis import KPIS
from evaluation.models import Pilot
from organisations.models import Authority, Membership, Municipality, Role, Unit
from testsupport.cast import PASSWORD, sign_in


@pytest.fixture
def pilot(cast):
    cast.school.area = "Väst"
    cast.school.save()
    return Pilot.objects.create(municipality=cast.municipality, name="Pilot Väst", area="Väst", start=date(2026, 1, 1))


@pytest.fixture
def other_manager(db):
    """A manager at another municipality's authority: sees only their own municipality."""
    mun = Municipality.objects.create(name="Annanstad", code="9997")
    authority = Authority.objects.create(
        name="Annanstad utbildning", kind="municipal_committee", sector="education", municipality=mun
    )
    unit = Unit.objects.create(authority=authority, name="Annanskolan", unit_type="school", area="Norr")
    user = get_user_model().objects.create_user(username="annanchef", password=PASSWORD)
    Membership.objects.create(user=user, unit=unit, role=Role.MANAGER, valid_from=date(2020, 1, 1))
    return user


def pages(cast, pilot):
    return [
        reverse("evaluation:home"),
        reverse("evaluation:municipality", args=[cast.municipality.pk]),
        reverse("evaluation:unit", args=[cast.school.pk]),
        reverse("evaluation:pilot", args=[pilot.pk]),
    ]


@pytest.mark.parametrize("who", ["analyst", "manager"])
def test_it_shows_analysts_and_managers_their_municipality(client, cast, pilot, who):
    sign_in(client, getattr(cast, who))
    for url in pages(cast, pilot):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Antal under 5 visas inte" in response.content.decode() or url.endswith("/uppfoljning/")
    body = client.get(reverse("evaluation:municipality", args=[cast.municipality.pk])).content.decode()
    assert "Barn med namngiven person" in body
    assert cast.child.given_name not in body and cast.child.identity_number not in body  # no child here
    assert AuditEvent.objects.filter(basis="outcome_follow_up", target="evaluation:municipality").exists()


@pytest.mark.parametrize("who", ["teacher", "named_person", "social_worker", "outsider", "expired", "administrator"])
def test_it_refuses_everyone_else_with_a_404(client, cast, pilot, who):
    sign_in(client, getattr(cast, who))
    for url in pages(cast, pilot):
        assert client.get(url).status_code == 404, (who, url)


def test_another_municipalitys_manager_sees_only_their_own(client, cast, pilot, other_manager):
    sign_in(client, other_manager)
    home = client.get(reverse("evaluation:home")).content.decode()
    assert "Annanstad" in home and cast.municipality.name not in home
    for url in pages(cast, pilot)[1:]:
        assert client.get(url).status_code == 404, url


def test_it_sends_anonymous_visitors_to_sign_in(client, cast, pilot):
    for url in pages(cast, pilot):
        response = client.get(url)
        assert response.status_code == 302 and "logga-in" in response["Location"]


def test_a_bad_period_is_refused_with_a_clear_message(client, cast):
    sign_in(client, cast.analyst)
    url = reverse("evaluation:municipality", args=[cast.municipality.pk])
    body = client.get(url, {"start": "2026-05-01", "end": "2026-01-01"}).content.decode()
    assert "Startdatumet måste vara före slutdatumet" in body


def test_the_menu_offers_follow_up_to_analysts_only(client, cast):
    sign_in(client, cast.analyst)
    assert "Uppföljning" in client.get("/").content.decode()
    client.logout()
    sign_in(client, cast.teacher)
    assert reverse("evaluation:home") not in client.get("/").content.decode()


def test_cached_figures_keep_the_access_check_the_audit_row_and_the_scope(
    client, cast, pilot, other_manager, settings, django_assert_max_num_queries
):
    """With SAMPLAN_EVALUATION_CACHE_SECONDS the KPI results are reused, but only after the access check, per scope."""
    from django.core.cache import cache

    settings.SAMPLAN_EVALUATION_CACHE_SECONDS = 300
    cache.clear()
    url = reverse("evaluation:municipality", args=[cast.municipality.pk])
    sign_in(client, cast.analyst)
    first = [panel["result"] for panel in client.get(url).context["panels"]]
    audited = AuditEvent.objects.filter(target="evaluation:municipality").count()
    # The second request computes no KPI: fewer statements than the seven KPIs need on their own.
    with django_assert_max_num_queries(20) as captured:
        second = [panel["result"] for panel in client.get(url).context["panels"]]
    assert not any("namedperson_assignment" in q["sql"] for q in captured.captured_queries)
    assert second == first and len(first) == len(KPIS)
    assert AuditEvent.objects.filter(target="evaluation:municipality").count() == audited + 1  # still audited
    # Another scope (girls only) is a different key: its figures are computed, not taken from the cache.
    with django_assert_max_num_queries(60) as captured:
        assert client.get(url, {"gender": "K"}).status_code == 200
    assert any("namedperson_assignment" in q["sql"] for q in captured.captured_queries)
    # A warm cache opens nothing: another municipality's manager and a teacher still get a 404.
    for user in (other_manager, cast.teacher):
        client.logout()
        sign_in(client, user)
        assert client.get(url).status_code == 404


def test_the_start_page_offers_units_to_choose_and_opens_the_chosen_one(client, cast):
    # The units are a list to choose from (not links), and only the user's own municipality's units open.
    sign_in(client, cast.manager)
    page = client.get(reverse("evaluation:home")).content.decode()
    assert f'<option value="{cast.school.pk}">' in page
    response = client.get(reverse("evaluation:home"), {"enhet": cast.school.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation:unit", args=[cast.school.pk])
    assert client.get(reverse("evaluation:home"), {"enhet": "999999"}).status_code == 200
