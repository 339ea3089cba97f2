"""Defining, changing and ending a pilot: who may (the municipality's analysts and managers) and the rules."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from audit.models import AuditEvent
from evaluation.models import Pilot
from organisations.models import Authority, Membership, Municipality, Role, Unit
from testsupport.cast import PASSWORD, sign_in


def form_data(cast, **changes) -> dict:
    data = {
        "name": "Tidiga samtal",
        "area": "",
        "units": [cast.school.pk],
        "start": "2026-03-01",
        "months": "12",
        "baseline_start": "2025-03-01",
        "baseline_end": "2026-02-28",
        "control_area": "",
        "control_units": [cast.other_school.pk],
    }
    data.update(changes)
    return data


@pytest.fixture
def other_analyst(db):
    """An analyst of another municipality: follows up their own municipality only."""
    mun = Municipality.objects.create(name="Annanstad", code="9997")
    authority = Authority.objects.create(
        name="Annanstad utbildning", kind="municipal_committee", sector="education", municipality=mun
    )
    unit = Unit.objects.create(authority=authority, name="Annanskolan", unit_type="school", area="Norr")
    user = get_user_model().objects.create_user(username="annananalytiker", password=PASSWORD)
    Membership.objects.create(user=user, unit=unit, role=Role.ANALYST, valid_from=date(2020, 1, 1))
    return user


@pytest.fixture
def pilot(cast):
    made = Pilot.objects.create(
        municipality=cast.municipality, name="Pilot Öster", area="Öster", start=date(2026, 1, 1)
    )
    return made


@pytest.mark.parametrize("who", ["analyst", "manager"])
def test_analysts_and_managers_define_a_pilot_of_units_and_it_is_audited(client, cast, who):
    sign_in(client, getattr(cast, who))
    url = reverse("evaluation:pilot_new", args=[cast.municipality.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(cast))
    made = Pilot.objects.get(name="Tidiga samtal")
    assert response.status_code == 302 and response["Location"] == reverse("evaluation:pilot", args=[made.pk])
    assert list(made.units.all()) == [cast.school] and list(made.control_units.all()) == [cast.other_school]
    assert (made.baseline_start, made.baseline_end, made.start) == (
        date(2025, 3, 1),
        date(2026, 2, 28),
        date(2026, 3, 1),
    )
    event = AuditEvent.objects.get(target="evaluation:pilot_new")
    assert (event.action, event.basis, event.record_id) == ("create", "outcome_follow_up", str(made.pk))
    page = client.get(reverse("evaluation:pilot", args=[made.pk])).content.decode()
    assert "Östra skolan" in page and "Västra skolan" in page and "1 mars 2025" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"units": []}, "Välj ett pilotområde eller minst en enhet."),
        ({"area": "Öster"}, "Välj antingen ett pilotområde eller enheter, inte båda."),
        ({"baseline_end": "2026-03-01"}, "Piloten måste starta efter att baslinjen har slutat."),
        ({"baseline_start": "2026-02-01", "baseline_end": "2026-01-01"}, "Baslinjen måste börja innan den slutar."),
        ({"baseline_end": ""}, "Fyll i både början och slutet av baslinjen"),
        ({"control_units": []}, None),  # no control chosen: the rest of the municipality, allowed
        ({"control_units": [], "control_area": "Öster"}, "Kontrollgruppen får inte innehålla pilotens område"),
        ({"units": [], "area": "Öster", "control_area": "Öster", "control_units": []}, "Kontrollgruppen får inte"),
        ({"control_units": []} | {"units": [], "area": "Väster"} | {"control_units": []}, None),
        ({"name": "Pilot Öster"}, "Kommunen har redan en pilot med det namnet."),
        ({"months": "0"}, "Piloten måste vara minst en månad."),
    ],
)
def test_it_explains_in_swedish_what_is_wrong(client, cast, pilot, changes, message):
    sign_in(client, cast.analyst)
    response = client.post(reverse("evaluation:pilot_new", args=[cast.municipality.pk]), form_data(cast, **changes))
    if message is None:
        assert response.status_code == 302
    else:
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not Pilot.objects.filter(name="Tidiga samtal").exists()


def test_a_unit_of_the_pilot_area_cannot_be_in_the_control_group(client, cast):
    sign_in(client, cast.analyst)
    data = form_data(cast, units=[], area="Öster", control_units=[cast.preschool.pk])  # Solrosen lies in Öster
    response = client.post(reverse("evaluation:pilot_new", args=[cast.municipality.pk]), data)
    assert "Kontrollgruppen får inte innehålla pilotens område eller enheter." in response.content.decode()


def test_a_pilot_is_changed_and_ended_and_each_step_is_audited(client, cast, pilot):
    sign_in(client, cast.manager)
    edit = reverse("evaluation:pilot_edit", args=[pilot.pk])
    assert client.get(edit).status_code == 200
    data = form_data(cast, name="Pilot Öster", units=[], area="Öster", control_units=[], control_area="Väster")
    assert client.post(edit, data).status_code == 302
    pilot.refresh_from_db()
    assert (pilot.control_area, pilot.start) == ("Väster", date(2026, 3, 1))
    end = reverse("evaluation:pilot_end", args=[pilot.pk])
    refused = client.post(end, {"ended_on": "2026-02-01"})
    assert refused.status_code == 400 and "Piloten kan inte sluta innan den har startat." in refused.content.decode()
    assert client.post(end, {"ended_on": "2026-09-30"}).status_code == 302
    pilot.refresh_from_db()
    assert pilot.ended_on == date(2026, 9, 30)
    actions = list(AuditEvent.objects.filter(record_type="Pilot", action="update").values_list("target", flat=True))
    assert sorted(actions) == ["evaluation:pilot_edit", "evaluation:pilot_end"]


@pytest.mark.parametrize("who", ["teacher", "named_person", "social_worker", "outsider", "expired", "administrator"])
def test_practitioners_and_others_cannot_define_change_or_end_a_pilot(client, cast, pilot, who):
    sign_in(client, getattr(cast, who))
    assert client.get(reverse("evaluation:pilot_new", args=[cast.municipality.pk])).status_code == 404
    assert client.post(reverse("evaluation:pilot_new", args=[cast.municipality.pk]), form_data(cast)).status_code == 404
    assert client.post(reverse("evaluation:pilot_edit", args=[pilot.pk]), form_data(cast)).status_code == 404
    assert client.post(reverse("evaluation:pilot_end", args=[pilot.pk]), {"ended_on": "2026-09-30"}).status_code == 404
    assert not Pilot.objects.filter(name="Tidiga samtal").exists()
    pilot.refresh_from_db()
    assert pilot.ended_on is None


def test_another_municipalitys_analyst_cannot_touch_the_pilot(client, cast, pilot, other_analyst):
    sign_in(client, other_analyst)
    assert client.get(reverse("evaluation:pilot_new", args=[cast.municipality.pk])).status_code == 404
    assert client.post(reverse("evaluation:pilot_edit", args=[pilot.pk]), form_data(cast)).status_code == 404
    assert client.post(reverse("evaluation:pilot_end", args=[pilot.pk]), {"ended_on": "2026-09-30"}).status_code == 404
    pilot.refresh_from_db()
    assert (pilot.area, pilot.ended_on) == ("Öster", None)


def test_anonymous_visitors_are_sent_to_sign_in(client, cast, pilot):
    response = client.post(reverse("evaluation:pilot_end", args=[pilot.pk]), {"ended_on": "2026-09-30"})
    assert response.status_code == 302 and "logga-in" in response["Location"]
