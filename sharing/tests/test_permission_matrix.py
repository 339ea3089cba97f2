"""The permission matrix: roles × authorities × consent states × surfaces, each cell proved on its own.

The record under test is the school's (the education authority's) enrolment of cast.child, in
the category "education". Each viewer asks for it through every surface that reads child data:

- page:   the child overview (people:child) shows, or does not show, the school enrolment row;
- api:    GET /api/v1/children/{id}/enrolments lists it, or does not;
- export: the CSV export (people:child_export) holds it, or does not;
- search: the staff child list searched by name (people:child_list?q=), and
- lookup: the look-up by personal number (people:lookup).

Each cell asserts the exact outcome and the audit rows: a record that a consent opened is logged
with "consent:<id>" as its basis; a refused cell writes no row at all. Search and look-up never
depend on consent: only a relation makes a child findable, and finding a child reads no record.

The viewers, each with the relation (or lack of one) that the matrix is about:

- teacher:              owning authority, enrolled at the teacher's school: always sees its own record;
- bup_clinician:        region, related through a BUP listing (an enrolment at cast.bup);
- social_worker:        social services, related through a report of concern received at the team;
- outsider:             police, no relation: never, whatever a consent says (404);
- other_school_teacher: the owning authority, but another school and no relation: 404;
- expired:              social services, whose assignment to the child has ended: 404.

The expired persona works in the same social services team as the social worker, so a relation
given to the team (a report or a listing there) would be theirs too; the report is therefore made
only in the social worker's cells. The consent in each cell names the viewer's own authority, so
that "active" is the strongest case: if a consent could open a child without a relation, it
would open it here.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from itertools import product

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import api_token_create
from audit.models import AuditEvent
from people.models import Enrolment
from sharing import policy
from sharing.models import Consent, ConsentCategory, ReportOfConcern
from sharing.services import consents as services
from sharing.tests.consent_setup import ask, family_via, plan_with, staff_via
from testsupport.cast import enrol, sign_in

SCHOOL = "Östra skolan"
REASON = "Samordning av stöd"

# Viewer → (how the viewer stands to the child, the viewer's authority as a cast attribute).
OWNER, RELATED, NONE = "owner", "related", "none"
VIEWERS = {
    "teacher": (OWNER, "education"),
    "bup_clinician": (RELATED, "region"),
    "social_worker": (RELATED, "social"),
    "outsider": (NONE, "police"),
    "other_school_teacher": (NONE, "education"),
    "expired": (NONE, "social"),
}
# An authority that is not the viewer's, for the consent that does not cover the viewer's authority.
ANOTHER = {"education": "police", "region": "police", "social": "police", "police": "region"}
# The basis of the child read itself, for each viewer with a relation.
CHILD_BASIS = {
    "teacher": policy.Basis.ENROLMENT,
    "bup_clinician": policy.Basis.ENROLMENT,
    "social_worker": policy.Basis.REPORT,
}
# Roles that may look children up by personal number (policy.LOOKUP_ROLES): of these viewers only the social workers.
MAY_LOOK_UP = {"social_worker", "expired"}

NO_CONSENT, ACTIVE, EXPIRED, WITHDRAWN, OTHER_CATEGORY, OTHER_AUTHORITY = (
    "none",
    "active",
    "expired",
    "withdrawn",
    "not_covering_category",
    "not_covering_authority",
)
STATES = [NO_CONSENT, ACTIVE, EXPIRED, WITHDRAWN, OTHER_CATEGORY, OTHER_AUTHORITY]
SURFACES = ["page", "api", "export", "search", "lookup"]


def expected(viewer: str, state: str) -> str:
    """Return what the viewer gets of the school's record: 'own', 'consent', 'hidden' or '404'."""
    standing = VIEWERS[viewer][0]
    if standing == OWNER:
        return "own"  # the owning authority's own record, whatever any consent says
    if standing == NONE:
        return "404"  # no relation: no consent makes the child visible
    return "consent" if state == ACTIVE else "hidden"


@pytest.fixture
def world(cast):
    """The cast with the BUP clinician's relation; the social worker's is added per cell (see the docstring)."""
    enrol(cast.child, cast.bup, "other", policy.today() - timedelta(days=10))
    cast.school_enrolment = Enrolment.objects.get(child=cast.child, unit=cast.school)
    return cast


def relate_social_worker(cast) -> None:
    ReportOfConcern.objects.create(
        child=cast.child,
        owner_authority=cast.social,
        to_unit=cast.social_team,
        reporter=cast.teacher,
        reporter_authority=cast.education,
        what_happened="Barnet har berättat om bråk hemma.",
    )


def make_consent(cast, state: str, authority) -> Consent | None:
    """Create the consent of a state, naming the viewer's authority unless the state says otherwise."""
    if state == NO_CONSENT:
        return None
    now = timezone.now()
    valid_from, valid_until = now - timedelta(days=1), now + timedelta(days=90)
    if state == EXPIRED:
        valid_from, valid_until = now - timedelta(days=90), now - timedelta(seconds=1)
    status = Consent.Status.WITHDRAWN if state == WITHDRAWN else Consent.Status.GIVEN
    consent = Consent.objects.create(
        child=cast.child,
        owner_authority=cast.education,
        requested_by=cast.named_person,
        purpose="Samordnat stöd kring skolgången",
        valid_from=valid_from,
        valid_until=valid_until,
        status=status,
        ended_at=now if state == WITHDRAWN else None,
    )
    recipient = getattr(cast, ANOTHER[authority]) if state == OTHER_AUTHORITY else getattr(cast, authority)
    consent.recipients.set([recipient])
    ConsentCategory.objects.create(consent=consent, category="health" if state == OTHER_CATEGORY else "education")
    return consent


def enrolment_section(body: str) -> str:
    """Return the overview's enrolment section only: the school also appears as the named person's unit."""
    match = re.search(r'id="enrolments-heading".*?</section>', body, re.S)
    assert match, "the overview has no enrolment section"
    return match.group(0)


# --- One request per surface; each returns (status, whether the school's record was in the answer). ---


def via_page(client, cast, user):
    sign_in(client, user)
    response = client.get(reverse("people:child", kwargs={"child_id": cast.child.pk}))
    if response.status_code != 200:
        return response, None
    return response, SCHOOL in enrolment_section(response.content.decode())


def via_api(client, cast, user):
    _token, raw = api_token_create(user=user, name="Matris", days=1)
    response = client.get(
        reverse("api:child_enrolments", kwargs={"child_id": cast.child.pk}), headers={"Authorization": f"Bearer {raw}"}
    )
    if response.status_code != 200:
        return response, None
    return response, any(row["id"] == cast.school_enrolment.pk for row in response.json())


def via_export(client, cast, user):
    sign_in(client, user)
    response = client.get(reverse("people:child_export", kwargs={"child_id": cast.child.pk}))
    if response.status_code != 200:
        return response, None
    rows = csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    # An enrolment line at the school; the school also appears as the named person's unit (open to any relation).
    return response, any(row[0] == "Inskrivning" and row[3] == SCHOOL for row in rows)


SEE = {"page": via_page, "api": via_api, "export": via_export}


def shared_rows(cast, user, surface: str):
    """Return the audit rows of the school's record read by the user through a surface."""
    return AuditEvent.objects.filter(
        user_id=user.pk,
        surface=surface,
        record_type="Enrolment",
        record_id=str(cast.school_enrolment.pk),
    )


def assert_reading_cell(client, cast, viewer, state, surface, consent):
    user = getattr(cast, viewer)
    outcome = expected(viewer, state)
    response, shown = SEE[surface](client, cast, user)
    if outcome == "404":
        assert response.status_code == 404
        body = response.content.decode()
        assert SCHOOL not in body and "Alva" not in body
        assert not AuditEvent.objects.filter(user_id=user.pk).exists()
        return
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert shown is (outcome in ("own", "consent"))
    child_read = AuditEvent.objects.get(user_id=user.pk, surface=surface, record_type="Child")
    assert (child_read.child_id, child_read.basis) == (cast.child.pk, CHILD_BASIS[viewer])
    assert child_read.action == ("export" if surface == "export" else "read")
    rows = shared_rows(cast, user, surface)
    if outcome == "consent":
        # The record another authority owns is read on the consent, and the log names that consent.
        assert [row.basis for row in rows] == [f"consent:{consent.pk}"]
    else:
        # Own records are covered by the read of the child; a hidden record was never read.
        assert not rows.exists()


def assert_search_cell(client, cast, viewer, state):
    user = getattr(cast, viewer)
    sign_in(client, user)
    response = client.get(reverse("people:child_list"), {"q": "Alva"})
    body = response.content.decode()
    child_url = reverse("people:child", kwargs={"child_id": cast.child.pk})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    findable = expected(viewer, state) != "404"
    assert (child_url in body) is findable
    assert ("Andersson, Alva" in body) is findable
    # The result names the child and the user's relation; it reads none of the child's records.
    assert SCHOOL not in body
    logged = AuditEvent.objects.filter(user_id=user.pk)
    assert set(logged.values_list("record_type", flat=True)) == ({"Child"} if findable else set())
    if findable:
        assert logged.get().basis == CHILD_BASIS[viewer]


def assert_lookup_cell(client, cast, viewer, state):
    user = getattr(cast, viewer)
    sign_in(client, user)
    number = cast.child.identity_number
    response = client.post(reverse("people:lookup"), {"number": f"{number[:8]}-{number[8:]}", "reason": REASON})
    logged = AuditEvent.objects.filter(user_id=user.pk)
    if viewer not in MAY_LOOK_UP:
        # Refused for the role before any child data is touched: no look-up, no row.
        assert response.status_code == 403
        assert not logged.exists()
        return
    row = logged.get()
    assert (row.action, row.basis, row.reason) == ("lookup", policy.Basis.LOOKUP, REASON)
    if expected(viewer, state) == "404":
        # The same neutral answer as for a number nobody has: the miss tells nothing.
        assert response.status_code == 200
        assert "Inget barn som du har tillgång till har det numret." in response.content.decode()
        assert row.child_id is None
        return
    # Found: the answer is a redirect to the child's page by id (the page is its own, logged, cell).
    assert response.status_code == 302
    assert response.url == reverse("people:child", kwargs={"child_id": cast.child.pk})
    assert row.child_id == cast.child.pk
    assert response.content == b""


@pytest.mark.parametrize(
    ("viewer", "state", "surface"),
    list(product(VIEWERS, STATES, SURFACES)),
    ids=lambda value: value,
)
def test_cell(client, world, viewer, state, surface):
    cast = world
    if viewer == "social_worker":
        relate_social_worker(cast)
    consent = make_consent(cast, state, VIEWERS[viewer][1])
    if surface == "search":
        assert_search_cell(client, cast, viewer, state)
    elif surface == "lookup":
        assert_lookup_cell(client, cast, viewer, state)
    else:
        assert_reading_cell(client, cast, viewer, state, surface, consent)


def test_the_matrix_has_every_expected_outcome():
    """Guard the table itself: it must hold cells of every kind, or it proves less than it claims."""
    outcomes = {expected(viewer, state) for viewer, state in product(VIEWERS, STATES)}
    assert outcomes == {"own", "consent", "hidden", "404"}
    assert len(list(product(VIEWERS, STATES, SURFACES))) == 180


# --- Withdrawal and expiry take effect at once: the very next request, no task run. ---


def _given(cast) -> Consent:
    """Ask for consent (school to region, education) and let both guardians say yes in the family view."""
    consent = ask(cast)
    for guardian_user in (cast.guardian_user, cast.co_guardian_user):
        services.consent_answer(consent=consent, decision="given", via=family_via(guardian_user))
    consent.refresh_from_db()
    assert consent.status == Consent.Status.GIVEN
    return consent


@pytest.mark.parametrize("surface", ["page", "api", "export"])
def test_withdrawal_ends_access_on_the_next_request(client, world, surface):
    cast = world
    consent = _given(cast)
    response, shown = SEE[surface](client, cast, cast.bup_clinician)
    assert response.status_code == 200 and shown is True
    assert [row.basis for row in shared_rows(cast, cast.bup_clinician, surface)] == [f"consent:{consent.pk}"]

    services.consent_withdraw(consent=consent, via=family_via(cast.guardian_user))

    response, shown = SEE[surface](client, cast, cast.bup_clinician)
    assert response.status_code == 200 and shown is False
    assert shared_rows(cast, cast.bup_clinician, surface).count() == 1  # the earlier read only


@pytest.mark.parametrize("surface", ["page", "api", "export"])
def test_staff_recording_a_withdrawal_ends_access_on_the_next_request(client, world, surface):
    cast = world
    consent = _given(cast)
    assert SEE[surface](client, cast, cast.bup_clinician)[1] is True
    services.consent_withdraw(
        consent=consent,
        party=consent.parties.get(guardian=cast.co_guardian),
        note="Ringde skolan",
        via=staff_via(cast.named_person),
    )
    assert SEE[surface](client, cast, cast.bup_clinician)[1] is False


@pytest.mark.parametrize("surface", ["page", "api", "export"])
def test_expiry_ends_access_at_its_moment_without_any_task(client, world, surface):
    cast = world
    consent = _given(cast)
    assert SEE[surface](client, cast, cast.bup_clinician)[1] is True

    now = timezone.now()
    Consent.objects.filter(pk=consent.pk).update(
        valid_from=now - timedelta(days=30), valid_until=now - timedelta(seconds=1)
    )

    response, shown = SEE[surface](client, cast, cast.bup_clinician)
    assert response.status_code == 200 and shown is False
    consent.refresh_from_db()
    assert consent.status == Consent.Status.GIVEN  # no task has run: the policy checked the moment itself
    assert shared_rows(cast, cast.bup_clinician, surface).count() == 1


def test_withdrawal_never_closes_the_owners_own_record(client, world):
    cast = world
    consent = _given(cast)
    services.consent_withdraw(consent=consent, via=family_via(cast.guardian_user))
    for surface in ("page", "api", "export"):
        response, shown = SEE[surface](client, cast, cast.teacher)
        assert response.status_code == 200 and shown is True


# --- A consent to the participants of the child's plan follows the plan, on every surface. ---


@pytest.mark.parametrize("ending", ["plan_closed", "participant_removed"])
@pytest.mark.parametrize("surface", ["page", "api", "export"])
def test_a_consent_to_the_plans_participants_ends_with_the_participation(client, world, surface, ending):
    cast = world
    consent = make_consent(cast, ACTIVE, "region")
    consent.recipients.clear()
    Consent.objects.filter(pk=consent.pk).update(to_plan_participants=True)
    response, shown = SEE[surface](client, cast, cast.bup_clinician)
    assert response.status_code == 200 and shown is False  # BUP takes no part in a plan yet

    plan = plan_with(cast, cast.region)
    response, shown = SEE[surface](client, cast, cast.bup_clinician)
    assert response.status_code == 200 and shown is True
    assert [row.basis for row in shared_rows(cast, cast.bup_clinician, surface)] == [f"consent:{consent.pk}"]

    if ending == "plan_closed":
        plan.status = "closed"
        plan.save(update_fields=["status"])
    else:
        plan.participants.filter(authority=cast.region).delete()
    response, shown = SEE[surface](client, cast, cast.bup_clinician)
    assert response.status_code == 200 and shown is False
    assert shared_rows(cast, cast.bup_clinician, surface).count() == 1  # the read while it took part only
