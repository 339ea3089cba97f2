"""Test helpers shared by every app's tests: a fixed cast of personas and a verified sign-in."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.middleware import LOGIN_AT_KEY
from core.personnummer import with_check_digit
from namedperson.models import Assignment, Stage
from organisations.models import Authority, Membership, Municipality, Role, Unit
from people.models import (
    Child,
    ContactDetails,
    Enrolment,
    Guardian,
    Guardianship,
    IdentityKind,
    Protection,
)
from sharing.categories import category_for_unit_type
from sharing.models import AccessAssignment

User = get_user_model()
PASSWORD = "Testlösenord-för-samplan-1"


def sign_in(client, user) -> None:
    """Sign a test client in as the user, with a verified second factor."""
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[LOGIN_AT_KEY] = time.time()
    session.save()


_serials = iter(range(980, 1000))


def make_child(
    municipality: Municipality,
    *,
    born: date,
    given: str,
    family: str,
    serial: int = 980,
    protection: str = Protection.NONE,
) -> Child:
    return Child.objects.create(
        identity_kind=IdentityKind.PERSONNUMMER,
        identity_number=with_check_digit(born, serial),
        given_name=given,
        family_name=family,
        birth_date=born,
        protection=protection,
        municipality=municipality,
    )


def enrol(child: Child, unit: Unit, kind: str, start: date, end: date | None = None) -> Enrolment:
    return Enrolment.objects.create(
        child=child,
        unit=unit,
        kind=kind,
        start=start,
        end=end,
        owner_authority=unit.authority,
        category=category_for_unit_type(unit.unit_type),
    )


@dataclass
class Cast:
    """The fixed personas every view and API test uses (see CONVENTIONS.md)."""

    municipality: Municipality
    education: Authority
    social: Authority
    region: Authority
    police: Authority
    school: Unit
    other_school: Unit
    preschool: Unit
    bvc: Unit
    bmm: Unit
    social_team: Unit
    bup: Unit
    child: Child
    protected_child: Child
    named_person: User
    teacher: User
    other_school_teacher: User
    bvc_nurse: User
    midwife: User
    social_worker: User
    bup_clinician: User
    outsider: User
    expired: User
    manager: User
    analyst: User
    administrator: User
    guardian: Guardian
    # The family view: cast.guardian and cast.co_guardian share custody of cast.child; the
    # non-custodial parent has no custody.
    guardian_user: User
    co_guardian: Guardian
    co_guardian_user: User
    noncustodial_parent: Guardian
    noncustodial_user: User
    users: dict[str, User] = field(default_factory=dict)


def build_cast() -> Cast:
    """Create the municipality, authorities, units, staff and two children of the test world."""
    today = date.today()
    start = today - timedelta(days=400)
    mun = Municipality.objects.create(name="Testköpings kommun", code="9999")
    education = Authority.objects.create(
        name="Barn- och utbildningsnämnden", kind="municipal_committee", sector="education", municipality=mun
    )
    social = Authority.objects.create(
        name="Socialnämnden", kind="municipal_committee", sector="social_services", municipality=mun
    )
    region = Authority.objects.create(name="Region Test", kind="region", sector="child_health", municipality=mun)
    police = Authority.objects.create(name="Polisen", kind="police", sector="police", municipality=mun)
    units = {
        "school": Unit.objects.create(authority=education, name="Östra skolan", unit_type="school", area="Öster"),
        "other_school": Unit.objects.create(
            authority=education, name="Västra skolan", unit_type="school", area="Väster"
        ),
        "preschool": Unit.objects.create(
            authority=education, name="Förskolan Solrosen", unit_type="preschool", area="Öster"
        ),
        "bvc": Unit.objects.create(authority=region, name="BVC Centrum", unit_type="child_health_centre"),
        "bmm": Unit.objects.create(authority=region, name="Barnmorskemottagningen", unit_type="maternity_clinic"),
        "social_team": Unit.objects.create(authority=social, name="Barn och familj", unit_type="social_services_team"),
        "bup": Unit.objects.create(authority=region, name="BUP Test", unit_type="child_psychiatry"),
        "police": Unit.objects.create(authority=police, name="Lokalpolisområde Test", unit_type="police"),
    }
    people = {
        "named_person": ("Hanna", "Rektorsson", "school", Role.HEAD_TEACHER),
        "teacher": ("Lars", "Lärare", "school", Role.PRACTITIONER),
        "other_school_teacher": ("Eva", "Västerlund", "other_school", Role.PRACTITIONER),
        "bvc_nurse": ("Maria", "Sköterska", "bvc", Role.CHILD_HEALTH_NURSE),
        "midwife": ("Karin", "Barnmorska", "bmm", Role.MIDWIFE),
        "social_worker": ("Sofia", "Socionom", "social_team", Role.SOCIAL_WORKER),
        "bup_clinician": ("Erik", "Psykolog", "bup", Role.PRACTITIONER),
        "outsider": ("Olle", "Polis", "police", Role.PRACTITIONER),
        "expired": ("Ingrid", "Förfluten", "social_team", Role.SOCIAL_WORKER),
        "manager": ("Mona", "Chef", "school", Role.MANAGER),
        "analyst": ("Anders", "Analys", "school", Role.ANALYST),
        "administrator": ("Ada", "Admin", "school", Role.ADMINISTRATOR),
    }
    users = {}
    for key, (given, family, unit_key, role) in people.items():
        user = User.objects.create_user(username=key, password=PASSWORD, first_name=given, last_name=family)
        Membership.objects.create(user=user, unit=units[unit_key], role=role, valid_from=start)
        users[key] = user
    child = make_child(mun, born=date(today.year - 9, 3, 14), given="Alva", family="Andersson", serial=982)
    protected = make_child(
        mun,
        born=date(today.year - 10, 6, 2),
        given="Vidar",
        family="Skyddad",
        serial=984,
        protection=Protection.PROTECTED_REGISTRATION,
    )
    ContactDetails.objects.create(child=protected, address="Hemliga vägen 1", postal_code="99999", city="Hemlig")
    ContactDetails.objects.create(child=child, address="Storgatan 5", postal_code="12345", city="Testköping")
    for kid in (child, protected):
        enrol(kid, units["school"], "school", start)
        enrol(kid, units["bvc"], "child_health", date(today.year - 9, 3, 30), start)
        Assignment.objects.create(
            child=kid,
            person=users["named_person"],
            unit=units["school"],
            role=Role.HEAD_TEACHER,
            stage=Stage.SCHOOL,
            start=start,
            owner_authority=education,
        )
    guardian = Guardian.objects.create(
        identity_number=with_check_digit(date(1985, 5, 5), 986), given_name="Petra", family_name="Andersson"
    )
    Guardianship.objects.create(
        child=child, guardian=guardian, relation="parent", has_custody=True, valid_from=child.birth_date
    )
    family = _build_family(child, guardian)
    AccessAssignment.objects.create(
        child=child,
        user=users["expired"],
        reason="Tidigare utredning",
        valid_from=today - timedelta(days=60),
        valid_to=today - timedelta(days=1),
        granted_by=users["manager"],
    )
    return Cast(
        municipality=mun,
        education=education,
        social=social,
        region=region,
        police=police,
        child=child,
        protected_child=protected,
        guardian=guardian,
        **family,
        users=users,
        **{key: units[key] for key in ("school", "other_school", "preschool", "bvc", "bmm", "social_team", "bup")},
        **users,
    )


def _build_family(child: Child, guardian: Guardian) -> dict:
    """Create the family logins: both custodial guardians and a parent without custody."""
    logins = {
        name: User.objects.create_user(username=name, password=PASSWORD, first_name=given, last_name=family)
        for name, given, family in (
            ("guardian", "Petra", "Andersson"),
            ("co_guardian", "Johan", "Andersson"),
            ("noncustodial", "Nils", "Berg"),
        )
    }
    guardian.user = logins["guardian"]
    guardian.save(update_fields=["user"])
    co_guardian = Guardian.objects.create(
        identity_number=with_check_digit(date(1983, 8, 20), 987),
        given_name="Johan",
        family_name="Andersson",
        user=logins["co_guardian"],
    )
    ContactDetails.objects.create(guardian=co_guardian, address="Lillgatan 2", postal_code="12346", city="Testköping")
    noncustodial = Guardian.objects.create(
        identity_number=with_check_digit(date(1980, 2, 11), 989),
        given_name="Nils",
        family_name="Berg",
        user=logins["noncustodial"],
    )
    for adult, custody, relation in ((co_guardian, True, "parent"), (noncustodial, False, "parent_without_custody")):
        Guardianship.objects.create(
            child=child, guardian=adult, relation=relation, has_custody=custody, valid_from=child.birth_date
        )
    return {
        "guardian_user": logins["guardian"],
        "co_guardian": co_guardian,
        "co_guardian_user": logins["co_guardian"],
        "noncustodial_parent": noncustodial,
        "noncustodial_user": logins["noncustodial"],
    }


def assessed_user(
    cast: Cast, child: Child, *, username: str = "provad", unit: Unit | None = None, role: str = Role.SOCIAL_WORKER
) -> User:
    """Return a user (a social worker unless told otherwise) assigned to the child with a secrecy assessment."""
    today = date.today()
    user = User.objects.create_user(username=username, password=PASSWORD, first_name="Stina", last_name="Prövad")
    Membership.objects.create(user=user, unit=unit or cast.social_team, role=role, valid_from=today)
    AccessAssignment.objects.create(
        child=child,
        user=user,
        reason="Utredning; sekretessprövning gjord",
        sees_protected_details=True,
        valid_from=today,
        valid_to=today + timedelta(days=30),
        granted_by=cast.manager,
    )
    return user
