"""The protected-identity sweep: nothing that locates a protected child reaches anyone without a recorded need.

A child with skyddad folkbokföring goes to a school, has a named person there (and had one at the
BVC before), a plan with participants, a chronology entry by a teacher, a follow-up, a report of
concern, an open handover, a consent in force opening the school's records to social services and
one that was withdrawn. Every persona without an explicit need then opens every page, API route,
PDF and CSV that takes the child's (or its plan's, consent's, entry's …) id, and every list a staff
user has, and the answer must name no unit, school, area, staff member or address that locates the
child, nor (where the name is masked) the child itself. The routes come from the URLconf, so a new
route is swept without anyone remembering to add it; routes that are not child data are listed with
the reason. A social worker whose assignment carries a recorded secrecy assessment sees all of it
(the positive control: the sweep cannot pass because nothing is shown at all).

What a persona already knows is not a leak: staff see their own unit and their colleagues there,
and the named person knows the child (DOMAIN.md B5; docs/access-model.md, "Protected identity").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.services import api_token_create
from namedperson.models import Assignment, HandoverProposal, Stage
from organisations.models import Membership, Role
from people.models import ContactDetails
from plans import services as plan_services
from plans.models import Participant
from plans.tests.setup import via as plan_via
from sharing import policy
from sharing.models import AccessAssignment, Consent, ConsentCategory, ConsentEvent
from sharing.services.reports import report_of_concern_file
from testsupport.cast import enrol, sign_in
from wellbeing import services as wellbeing_services

User = get_user_model()

# Route names (namespace:name) that take an id but hold no child data a persona reads with GET, and why.
NOT_CHILD_DATA = {
    "accounts:api_token_revoke": "the user's own API key",
    "teams:member_add": "a form about a team's members, no child",
    "teams:member_end": "ends a team membership; POST only",
    "imports:detail": "an import run's report: places in the file and counts, never a child's name or number",
}
# Path prefixes outside the staff child pages: the admin (no child models registered), language, account.
OUTSIDE = ("admin/", "i18n/", "konto/", "api/v1/openapi.json", "api/v1/docs", "halsa/")


@dataclass
class World:
    child: object
    plan: object
    consent: Consent
    withdrawn: Consent
    entry: object
    five: object
    report: object
    handover: HandoverProposal
    personas: dict
    assessed: object


def _user(username: str, given: str, family: str, unit, role: str):
    user = User.objects.create_user(username=username, first_name=given, last_name=family)
    Membership.objects.create(user=user, unit=unit, role=role, valid_from=date.today() - timedelta(days=400))
    return user


def _consent(cast, child, *, status: str) -> Consent:
    now = timezone.now()
    consent = Consent.objects.create(
        child=child,
        owner_authority=cast.education,
        requested_by=cast.named_person,
        purpose="Samordnat stöd mellan skola och socialtjänst",
        valid_from=now - timedelta(days=1),
        valid_until=now + timedelta(days=60),
        status=status,
    )
    consent.recipients.set([cast.social])
    for category in ("education", "plan"):
        ConsentCategory.objects.create(consent=consent, category=category)
    # Its history, as the consent services write it: "Begärt (the requester)", then the answer.
    ConsentEvent.objects.create(consent=consent, kind="requested", at=now - timedelta(days=2), by=cast.named_person)
    ConsentEvent.objects.create(consent=consent, kind=status, at=now - timedelta(days=1), by=cast.named_person)
    return consent


@pytest.fixture
def world(cast) -> World:
    today = policy.today()
    child = cast.protected_child
    ContactDetails.objects.filter(child=child).update(phone="0701-999980")
    cast.school.name = "Österlidsskolan F–9"
    cast.school.save(update_fields=["name"])
    # Before school the child had a named person at the BVC and went to a preschool: both locate it too.
    school_start = Assignment.objects.get(child=child).start
    Assignment.objects.create(
        child=child,
        person=cast.bvc_nurse,
        unit=cast.bvc,
        role=Role.CHILD_HEALTH_NURSE,
        stage=Stage.CHILD_HEALTH,
        start=child.birth_date + timedelta(days=11),
        end=school_start,
        owner_authority=cast.region,
    )
    enrol(child, cast.preschool, "preschool", child.birth_date + timedelta(days=400), school_start)
    head = _user("biträdande", "Bodil", "Biträdande", cast.school, Role.HEAD_TEACHER)
    receiving = _user("mottagare", "Rut", "Mottagare", cast.other_school, Role.HEAD_TEACHER)
    assessed = _user("prövad", "Stina", "Sekretessprövad", cast.social_team, Role.SOCIAL_WORKER)
    # A registrar of the municipality, whose registrar role sits at the child's school (registration/).
    registrar = _user("registrator", "Rut", "Registrator", cast.school, Role.REGISTRAR)
    for user, seen in ((cast.social_worker, False), (assessed, True)):
        AccessAssignment.objects.create(
            child=child,
            user=user,
            reason="Utredning; sekretessprövning 2026-03-01" if seen else "Utredning",
            sees_protected_details=seen,
            valid_from=today - timedelta(days=5),
            valid_to=today + timedelta(days=60),
            granted_by=cast.manager,
        )
    plan = plan_services.plan_start(
        child=child,
        user=cast.named_person,
        kind="multi_agency",
        reasons="Barnet behöver samordnat stöd.",
        lead_professional=cast.named_person,
        via=plan_via(cast.named_person),
    )
    for user, authority in ((cast.teacher, cast.education), (cast.social_worker, cast.social)):
        plan_services.participant_add(
            plan=plan,
            role=Participant.Role.PRACTITIONER,
            user=user,
            authority=authority,
            via=plan_via(cast.named_person),
        )
    consent = _consent(cast, child, status=Consent.Status.GIVEN)
    withdrawn = _consent(cast, child, status=Consent.Status.WITHDRAWN)
    actor = policy.actor_for(cast.teacher, session_key="s")
    access = policy.child_for_user(cast.teacher, child.pk, actor=actor, surface="page", target="test")
    w_via = wellbeing_services.Via(actor=actor, surface="page", target="test", basis="test")
    entry = wellbeing_services.chronology_entry_create(
        access=access,
        author=cast.teacher,
        kind="concern",
        start_date=today - timedelta(days=2),
        what_happened="Barnet var ledsen på rasten.",
        source="Egen iakttagelse",
        indicators=["safe"],
        impact="negative",
        via=w_via,
    )
    five = wellbeing_services.five_questions_answer(
        access=access,
        entry=entry,
        author=cast.teacher,
        in_the_way="Oro hemma",
        information="Ja",
        i_can_do="Samtal",
        agency_can_do="Elevhälsan",
        others_needed="Inget ännu",
        suspects_harm="no",
        outcome="handled_here",
        action="Samtal med barnet",
        follow_up_on=today + timedelta(days=7),
        via=w_via,
    )
    report = report_of_concern_file(
        access=access,
        reporter=cast.teacher,
        to_unit=cast.social_team,
        what_happened="Barnet berättade att han är rädd.",
        guardians_informed=False,
        not_informed_reason="Det kan skada barnet.",
        actor=actor,
        surface="page",
        target="test",
    )
    handover = HandoverProposal.objects.create(
        child=child, stage=Stage.SCHOOL, to_unit=cast.other_school, to_role=Role.HEAD_TEACHER, due_date=today
    )
    personas = {
        "social_worker": cast.social_worker,
        "teacher": cast.teacher,
        "head_teacher": head,
        "manager": cast.manager,
        "bvc_nurse": cast.bvc_nurse,
        "outsider": cast.outsider,
        "receiving_head_teacher": receiving,
        "named_person": cast.named_person,
        "registrar": registrar,
    }
    return World(child, plan, consent, withdrawn, entry, five, report, handover, personas, assessed)


def _names(user) -> list[str]:
    return [user.get_full_name(), f"{user.last_name}, {user.first_name}"]


def _locating(cast, world: World, persona: str) -> list[str]:
    """Return what locates the child and the persona does not already know."""
    user = world.personas[persona]
    # A registrar registers every child of the municipality from that role's unit: not a unit they know children at.
    own_units = {m.unit_id for m in Membership.objects.filter(user=user).exclude(role=Role.REGISTRAR)}
    address = ["Hemliga vägen", "99999", "Hemlig", "0701-999980"]
    places = [
        (cast.school, [cast.named_person, cast.teacher, world.personas["head_teacher"], cast.manager]),
        (cast.preschool, []),
        (cast.bvc, [cast.bvc_nurse]),
    ]
    secrets = list(address)
    for unit, staff in places:
        if unit.pk in own_units:
            continue  # the persona works there: its name and colleagues are not news
        secrets += [unit.name, "Österlid"] if unit == cast.school else [unit.name]
        secrets += [name for person in staff for name in _names(person)]
    if not own_units & {cast.school.pk, cast.preschool.pk}:
        secrets += ["Öster"]  # the area of the school and preschool
    return secrets


def _kwargs(world: World, cast) -> dict:
    participant = world.plan.participants.filter(user=cast.teacher).get()
    return {
        "child_id": world.child.pk,
        "plan_id": world.plan.pk,
        "consent_id": world.consent.pk,
        "entry_id": world.entry.pk,
        "participant_id": participant.pk,
        "party_id": world.consent.parties.first().pk if world.consent.parties.exists() else 1,
        "follow_up_id": world.five.pk,
        "report_id": world.report.pk,
        "proposal_id": world.handover.pk,
        "number": 1,
        "part": "deltagare",
        "action_id": 1,
        "part_id": 1,
        "block_id": 1,
        "decision_id": 1,
        "pk": 1,
        "emergency_id": 1,
        "team_id": 1,
        "member_id": 1,
        "instrument_id": 1,
        # Team meetings, the catalogue's referrals and requests, and programmes: any id; a record of another
        # child or none at all must answer without naming the protected child.
        "meeting_id": 1,
        "case_id": 1,
        "outcome_id": 1,
        "kind": "anonym",
        "token": "okand",
        "referral_id": 1,
        "request_id": 1,
        "intervention_id": 1,
        "fmt": "csv",
        "programme_id": 1,
        "sub_project_id": 1,
        "event_id": 1,
        "session_id": 1,
        "call_id": 1,
        "application_id": 1,
        "attachment_id": 1,
        # The collected picture: aggregate pages of the cast's municipality and of the protected child's school,
        # an indicator, a pilot and an import run: none may name the child or locate it.
        "indicator_id": 1,
        "municipality_id": cast.municipality.pk,
        "unit_id": cast.school.pk,
        "pilot_id": 1,
        "run_id": 1,
        "round_id": 1,
        # Registration: the protected child's own custody and enrolment, and itself as a "duplicate".
        "guardianship_id": world.child.guardianships.values_list("pk", flat=True).first() or 1,
        "enrolment_id": world.child.enrolments.values_list("pk", flat=True).first() or 1,
        "duplicate_id": world.child.pk,
        "registration_id": 1,
    }


def _routes(prefix: str = "", namespace: str = "", resolver=None):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(prefix + str(pattern.pattern), inner, pattern)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + str(pattern.pattern), f"{namespace}{pattern.name}", pattern


# A page opened by one child's (or its record's) id names the child: opening it is a deliberate, logged
# act. Everywhere else (lists, queues, counts) a protected child is named only to those with a need.
ONE_CHILD = {"child_id", "plan_id", "entry_id", "consent_id", "report_id", "proposal_id", "pk", "emergency_id"}


def swept_urls(world: World, cast) -> list[tuple[str, bool]]:
    """Every GET address a staff persona can open, derived from the URLconf, and whether it lists children.

    Fails on a route it cannot fill, so a new route is either swept or listed here with a reason.
    """
    values = _kwargs(world, cast)
    urls = []
    for route, name, pattern in _routes():
        if route.startswith(OUTSIDE) or name in NOT_CHILD_DATA:
            continue
        wanted = set(pattern.pattern.converters)
        missing = wanted - set(values)
        assert not missing, f"{name} takes {missing}: give the sweep a value or list it in NOT_CHILD_DATA"
        urls.append((reverse(name, kwargs={key: values[key] for key in wanted}), not wanted & ONE_CHILD))
    return sorted(set(urls))


# A form's staff picker lists every member of the authorities that may take part (a staff directory): being
# listed there says nothing about the child, so the sweep reads the page without its <select> menus.
PICKERS = re.compile(r"<select\b.*?</select>", re.DOTALL)


def _bodies(client, user, urls: list[tuple[str, bool]]):
    sign_in(client, user)
    _token, raw = api_token_create(user=user, name="Svep", days=1)
    headers = {"Authorization": f"Bearer {raw}"}
    for url, is_list in urls:
        response = client.get(url, headers=headers) if url.startswith("/api/") else client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if response.get("Content-Type", "").startswith("application/pdf"):
            body = _pdf_text(body)
        text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
        yield url, is_list, response.status_code, PICKERS.sub("", text)


def _pdf_text(data: bytes) -> str:
    """Return the text of a PDF (WeasyPrint compresses its streams)."""
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


PERSONAS = [
    "social_worker",
    "teacher",
    "head_teacher",
    "manager",
    "bvc_nurse",
    "outsider",
    "receiving_head_teacher",
    "named_person",
    "registrar",
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_persona_without_a_need_sees_what_locates_the_protected_child(client, cast, world, persona):
    user = world.personas[persona]
    secrets = _locating(cast, world, persona)
    leaks = []
    for url, is_list, status, body in _bodies(client, user, swept_urls(world, cast)):
        assert status < 500, f"{url} failed with {status}"
        # Only the named person (and an assessed user) may see the child's name in a list.
        masked = ["Vidar"] if is_list and persona != "named_person" else []
        leaks += [f"{url}: {secret!r}" for secret in secrets + masked if secret in body]
    assert not leaks, "\n".join(leaks)


def test_the_assessed_social_worker_sees_what_locates_the_child(client, cast, world):
    # The positive control: with a recorded secrecy assessment the same pages show all of it.
    seen = {url: body for url, _is_list, _status, body in _bodies(client, world.assessed, swept_urls(world, cast))}
    child_page = seen[reverse("people:child", kwargs={"child_id": world.child.pk})]
    for secret in ("Vidar", "Hemliga vägen", "Österlidsskolan F–9", "Hanna Rektorsson", "BVC Centrum"):
        assert secret in child_page, secret
    plan_page = seen[reverse("plans:plan", kwargs={"child_id": world.child.pk, "plan_id": world.plan.pk})]
    assert "Hanna Rektorsson" in plan_page
    entry_page = seen[reverse("wellbeing:entry", kwargs={"child_id": world.child.pk, "entry_id": world.entry.pk})]
    assert "Lars Lärare" in entry_page
    assert "Österlidsskolan F–9" in entry_page
    assert "Hanna Rektorsson" in seen[reverse("api:child_plan", kwargs={"child_id": world.child.pk})]
    assert "Hanna Rektorsson" in seen[reverse("sharing:consents", kwargs={"child_id": world.child.pk})]


def test_a_protected_child_is_never_found_by_its_name(client, cast, world):
    # Searching by the name must not find (and so reveal) the child for a user who may not see the name.
    sign_in(client, cast.teacher)
    body = client.get(reverse("people:child_list"), {"q": "Vidar"}).content.decode()
    assert str(world.child.pk) not in body
