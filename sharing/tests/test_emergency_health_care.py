"""Nödåtkomst is a health-care rule (PDL 6 kap.): only care-giving staff, only another region's health records."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tests.helpers import code_for
from audit import log as audit
from people.models import Enrolment
from sharing import policy
from sharing.models import EmergencyAccess
from sharing.services import emergency as services
from sharing.tests.emergency_setup import neighbour_region
from testsupport.cast import PASSWORD, enrol, sign_in

REASON = "Barnet är akut sjukt och föräldrarna kan inte nås"


@pytest.fixture
def world(cast):
    """The neighbouring region, a current BVC listing (the nurse's relation) and social and police records."""
    neighbour = neighbour_region(cast)
    enrol(cast.child, cast.bvc, "child_health", policy.today() - timedelta(days=5))
    enrol(cast.child, cast.social_team, "other", policy.today() - timedelta(days=30))  # social services' record
    police = cast.police.units.get()
    enrol(cast.child, police, "other", policy.today() - timedelta(days=30))  # the police's record
    cast.neighbour = neighbour
    return cast


def _client(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def _start(cast, user, owner, *, reauth_seconds=0):
    with audit.deferred():
        return services.emergency_access_start(
            user=user,
            child=cast.child.pk,
            owner_authority=owner,
            reason=REASON,
            reauthenticated_at=timezone.now() - timedelta(seconds=reauth_seconds),
            actor=policy.actor_for(user, session_key="s"),
        )


def _plant(cast, user, owner) -> EmergencyAccess:
    now = timezone.now()
    return EmergencyAccess.objects.create(
        child=cast.child, user=user, owner_authority=owner, reason=REASON, started_at=now, ends_at=now + timedelta(1)
    )


def _opened_owners(cast, user) -> set[str]:
    """Return the names of the other authorities whose records about the child the user reads now."""
    with audit.deferred():
        access = policy.child_for_user(
            user, cast.child.pk, actor=policy.actor_for(user, session_key="s"), surface="page", target="t"
        )
    rows = policy.records_for_user(access, Enrolment.objects.select_related("owner_authority"))
    return {row.owner_authority.name for row in rows if row.owner_authority_id not in access.authority_ids}


@pytest.mark.parametrize("who", ["teacher", "named_person", "social_worker"])
def test_the_service_refuses_anyone_outside_health_care(world, who):
    # Each has a relation to the child (school, named person, social services' record), but none gives care.
    with pytest.raises(ValidationError) as error:
        _start(world, getattr(world, who), world.neighbour.region)
    assert error.value.code == "not_health_care"
    assert not EmergencyAccess.objects.exists()


@pytest.mark.parametrize("who", ["teacher", "named_person"])
def test_a_teacher_or_head_teacher_is_led_to_the_report_of_concern_and_starts_nothing(world, who):
    client = _client(getattr(world, who))
    url = reverse("sharing:emergency_start", args=[world.child.pk])
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200  # guidance on a visit; a post is refused below
    assert "Nödåtkomst är till för hälso- och sjukvården" in body
    assert reverse("sharing:report_new", args=[world.child.pk]) in body
    assert "Gör en orosanmälan" in body
    assert "samtycke behövs inte" in body
    assert "PDL (2008:355)" in body  # the legal basis, cited from the versioned references
    response = client.post(url, {"owner_authority": world.neighbour.region.pk, "reason": REASON})
    assert response.status_code == 403
    assert not EmergencyAccess.objects.exists()


def test_a_deciding_role_is_also_led_to_the_disclosure_decision(world):
    body = _client(world.manager).get(reverse("sharing:emergency_start", args=[world.child.pk])).content.decode()
    assert reverse("sharing:disclosure_new", args=[world.child.pk]) in body
    teacher_page = _client(world.teacher).get(reverse("sharing:emergency_start", args=[world.child.pk]))
    assert reverse("sharing:disclosure_new", args=[world.child.pk]) not in teacher_page.content.decode()


def test_a_bvc_nurse_opens_another_regions_health_records(world):
    nurse = world.bvc_nurse
    assert world.neighbour.region.name not in _opened_owners(world, nurse)
    emergency = _start(world, nurse, world.neighbour.region)
    assert emergency.owner_authority == world.neighbour.region
    assert _opened_owners(world, nurse) == {"Region Grannlänet"}


@pytest.mark.parametrize("owner", ["social", "police", "education"])
def test_a_bvc_nurse_cannot_open_social_services_police_or_school_records(world, owner):
    with pytest.raises(ValidationError) as error:
        _start(world, world.bvc_nurse, getattr(world, owner))
    assert "owner_authority" in error.value.error_dict
    assert not EmergencyAccess.objects.exists()


@pytest.mark.parametrize("owner", ["social", "police", "education"])
def test_a_planted_row_for_a_nurse_opens_no_social_police_or_school_record(world, owner):
    _plant(world, world.bvc_nurse, getattr(world, owner))
    assert _opened_owners(world, world.bvc_nurse) == set()


@pytest.mark.parametrize("owner", ["neighbour", "social", "police"])
def test_a_planted_emergency_row_for_a_teacher_opens_nothing(world, owner):
    authority = world.neighbour.region if owner == "neighbour" else getattr(world, owner)
    _plant(world, world.teacher, authority)
    assert _opened_owners(world, world.teacher) == set()
    body = _client(world.teacher).get(reverse("people:child", args=[world.child.pk])).content.decode()
    assert "Du har pågående nödåtkomst" not in body  # nor does it show as running


def test_a_nurses_access_opens_only_health_records_of_the_region(world):
    # A non-health record the neighbouring region happened to keep stays closed under emergency access.
    row = Enrolment.objects.get(child=world.child, unit=world.neighbour.bvc)
    Enrolment.objects.create(
        child=world.child,
        unit=world.neighbour.bvc,
        kind="other",
        start=row.start,
        owner_authority=world.neighbour.region,
        category="education",
    )
    _plant(world, world.bvc_nurse, world.neighbour.region)
    with audit.deferred():
        access = policy.child_for_user(
            world.bvc_nurse,
            world.child.pk,
            actor=policy.actor_for(world.bvc_nurse, session_key="s"),
            surface="page",
            target="t",
        )
    rows = policy.records_for_user(access, Enrolment.objects.filter(owner_authority=world.neighbour.region))
    assert {row.category for row in rows} == {"health"}


def test_the_start_page_offers_only_other_health_care_providers(world):
    client = _client(world.bvc_nurse)
    response = client.get(reverse("sharing:emergency_start", args=[world.child.pk]))
    assert response.status_code == 200
    offered = {authority.name for authority in response.context["form"].fields["owner_authority"].queryset}
    assert offered == {"Region Grannlänet"}
    body = response.content.decode()
    assert "PDL (2008:355)" in body
    assert reverse("sharing:report_new", args=[world.child.pk]) in body


def test_a_post_naming_social_services_is_refused_and_starts_nothing(world):
    device = TOTPDevice.objects.get_or_create(user=world.bvc_nurse, name="test", defaults={"confirmed": True})[0]
    client = _client(world.bvc_nurse)
    data = {"owner_authority": world.social.pk, "reason": REASON, "password": PASSWORD, "code": code_for(device)}
    response = client.post(reverse("sharing:emergency_start", args=[world.child.pk]), data)
    assert response.status_code == 400
    assert "Välj en av vårdgivarna i listan" in response.content.decode()
    assert not EmergencyAccess.objects.exists()


def test_the_child_page_offers_emergency_access_only_to_health_care_staff(world):
    url = reverse("people:child", args=[world.child.pk])
    start = reverse("sharing:emergency_start", args=[world.child.pk])
    assert start in _client(world.bvc_nurse).get(url).content.decode()
    teacher_page = _client(world.teacher).get(url).content.decode()
    assert start not in teacher_page
    assert reverse("sharing:report_new", args=[world.child.pk]) in teacher_page


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("SAMPLAN_EMERGENCY_ROLES", ["head_teacher"]),
        ("SAMPLAN_EMERGENCY_SECTORS", ["education"]),
        ("SAMPLAN_EMERGENCY_CATEGORIES", ["social"]),
        ("SAMPLAN_EMERGENCY_CATEGORIES", []),
    ],
)
def test_no_configuration_widens_it_beyond_health_care(settings, setting, value):
    setattr(settings, setting, value)
    with pytest.raises(ImproperlyConfigured):
        policy.emergency.emergency_rules()


def test_a_deployment_may_narrow_the_roles(world, settings):
    settings.SAMPLAN_EMERGENCY_ROLES = ["practitioner"]
    with pytest.raises(ValidationError) as error:
        _start(world, world.bvc_nurse, world.neighbour.region)
    assert error.value.code == "not_health_care"
