"""Protected identity on the registration pages: what locates the child only with a recorded secrecy assessment.

The cast's protected child (Vidar) goes to Östra skolan and went to BVC Centrum. A registrar of the
municipality registers him like any other child, but without an assignment carrying a secrecy
assessment sees neither unit, nor who recorded his facts, on any registration page: the child's page,
ending an enrolment, the duplicate check, and merging (the protected child kept, or a protected
duplicate). The registrar's own registrar membership at the school does not count as knowing the
children there. A registrar assigned with a recorded assessment (`assessed_user`) sees all of it.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from organisations.models import Role
from people.models import Child, Protection
from registration import services
from registration.tests.helpers import child_post
from sharing import policy
from testsupport.cast import assessed_user, enrol, make_child, sign_in

pytestmark = pytest.mark.django_db

UNITS = ("Östra skolan", "BVC Centrum", "Förskolan Solrosen", "Västra skolan")
RECORDER = "Gun Gammalregistrator"


@pytest.fixture
def protected(cast, registrar):
    """The protected child, with a preschool placement registered by hand by a named registrar."""
    child = cast.protected_child
    via = services.Via(actor=policy.actor_for(registrar, session_key="s"), name=f"{RECORDER}, Förskolenämnden")
    services.enrolment_add(
        child=child,
        unit=cast.preschool,
        kind="preschool",
        start=child.birth_date + timedelta(days=400),
        end=child.birth_date + timedelta(days=900),
        via=via,
    )
    return child


@pytest.fixture
def assessed_registrar(cast, protected):
    return assessed_user(cast, protected, username="provad_registrator", unit=cast.school, role=Role.REGISTRAR)


@pytest.fixture
def duplicates(cast):
    """Two children without casework, so a merge is not blocked: one protected, one not, each at a school."""
    born = cast.protected_child.birth_date
    plain = make_child(cast.municipality, born=born, given="Vidar", family="Skyddad", serial=300)
    hidden = make_child(
        cast.municipality,
        born=born,
        given="Vidar",
        family="Skyddad",
        serial=310,
        protection=Protection.PROTECTED_REGISTRATION,
    )
    enrol(plain, cast.other_school, "school", born + timedelta(days=2500))
    enrol(hidden, cast.other_school, "school", born + timedelta(days=2500))
    return plain, hidden


def _pages(cast, child: Child, duplicates) -> list[str]:
    enrolment = child.enrolments.filter(end__isnull=True).first()
    plain, hidden = duplicates
    return [
        reverse("registration:child", args=[child.pk]),
        reverse("registration:enrolment_end", args=[child.pk, enrolment.pk]),
        reverse("registration:merge", args=[child.pk, plain.pk]),  # the protected child kept: what moves locates it
        reverse("registration:merge", args=[cast.child.pk, hidden.pk]),  # a protected duplicate's own units
    ]


def _body(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_registrar_without_an_assessment_sees_no_unit_of_the_protected_child(
    client, cast, registrar, protected, duplicates
):
    sign_in(client, registrar)
    for url in _pages(cast, protected, duplicates):
        body = _body(client, url)
        leaks = [secret for secret in (*UNITS, RECORDER, "Öster") if secret in body]
        assert not leaks, f"{url}: {leaks}"
        assert "Skyddade personuppgifter" in body, url  # the one marker where a name was


def test_the_child_page_still_lists_the_enrolments_and_lets_the_registrar_end_them(client, cast, registrar, protected):
    sign_in(client, registrar)
    body = _body(client, reverse("registration:child", args=[protected.pk]))
    assert "Avsluta inskrivningen (grundskola från" in body  # the link is told apart without the unit's name
    assert "Registrerad för hand" in body  # the kind of source stays; who recorded it is masked


def test_the_registrar_with_an_assessment_sees_the_units(client, cast, protected, assessed_registrar, duplicates):
    sign_in(client, assessed_registrar)
    child_page = _body(client, reverse("registration:child", args=[protected.pk]))
    for secret in ("Östra skolan", "BVC Centrum", "Förskolan Solrosen", RECORDER):
        assert secret in child_page, secret
    end, kept, _duplicate = _pages(cast, protected, duplicates)[1:]
    assert "Östra skolan" in _body(client, end)
    assert "Västra skolan" in _body(client, kept)  # the assessment is for the kept child, so what moves to it shows


def test_an_unprotected_childs_units_are_shown_to_every_registrar(client, cast, registrar):
    sign_in(client, registrar)
    body = _body(client, reverse("registration:child", args=[cast.child.pk]))
    assert "Östra skolan" in body
    assert "BVC Centrum" in body


def test_a_registrar_who_also_works_at_the_school_sees_that_school_only(client, cast, registrar, protected):
    # A teacher's membership at the school is a unit the user knows; the preschool and the BVC stay masked.
    from organisations.models import Membership

    Membership.objects.create(user=registrar, unit=cast.school, role=Role.PRACTITIONER, valid_from=date.today())
    sign_in(client, registrar)
    body = _body(client, reverse("registration:child", args=[protected.pk]))
    assert "Östra skolan" in body
    assert "BVC Centrum" not in body
    assert "Förskolan Solrosen" not in body


def test_the_duplicate_check_does_not_name_a_protected_child(client, cast, registrar):
    # Registering a child with the protected child's number finds him; the list shows the marker, not his name.
    sign_in(client, registrar)
    response = client.post(
        reverse("registration:child_new"),
        child_post(number=cast.protected_child.identity_number, given_name="Ny", family_name="Person"),
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Skyddad" not in body.replace("Skyddade personuppgifter", "").replace("Skyddad folkbokföring", "")
    assert reverse("registration:child", args=[cast.protected_child.pk]) in body


def test_an_assessed_registrar_sees_the_protected_duplicate_named(client, cast, protected, assessed_registrar):
    sign_in(client, assessed_registrar)
    response = client.post(
        reverse("registration:child_new"),
        child_post(number=protected.identity_number, given_name="Ny", family_name="Person"),
    )
    assert "Skyddad, Vidar" in response.content.decode()


def test_a_marking_made_by_hand_masks_the_units_at_once(client, cast, registrar):
    # The unprotected child becomes protected: the next page the registrar opens masks the school.
    Child.objects.filter(pk=cast.child.pk).update(protection=Protection.CONFIDENTIALITY_MARKING)
    enrol(
        cast.child,
        cast.preschool,
        "preschool",
        date.today() - timedelta(days=3000),
        date.today() - timedelta(days=2500),
    )
    sign_in(client, registrar)
    body = _body(client, reverse("registration:child", args=[cast.child.pk]))
    for secret in UNITS:
        assert secret not in body, secret
