"""Every route that reaches a child's data by any id answers 404 to users who may not see that child.

`test_access_rules` sweeps the routes keyed by `child_id`. Routes keyed by a record's own id (a plan,
a consent, a chronology entry, a report, an emergency access …) must hold as well: here every such
id is a real record of the cast's child, so a route that looked the record up without the policy
would answer with it. The routes come from the URLconf, so a new route is swept without touching
this file; a new kind of id fails `test_it_knows_every_id_a_route_takes` until the world below has one.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import resolve
from django.utils import timezone

from accounts.services import api_token_create
from catalogue.tests.setup import referral_of, request_of
from core.tests.test_access_rules import ROUTES, Route, _calls, _child_free, _send
from meetings.tests.helpers import meeting_world
from namedperson.models import HandoverProposal, Stage
from organisations.models import Role, Unit
from plans.models import PlanVersion
from plans.tests.setup import add_action, start
from sharing import policy
from sharing.models import Block, DisclosureDecision, EmergencyAccess, ReportOfConcern
from sharing.tests.consent_setup import ask
from testsupport.cast import sign_in
from wellbeing.models import FiveQuestions
from wellbeing.tests.helpers import write

# Routes whose ids name no child data: the user's own API keys, teams (members and authorities only),
# programmes (grants and lectures; application text is refused when it holds a personal number) and the
# intervention catalogue (what support exists; its own tests sweep other municipalities' users) and the
# indicators (aggregate figures only; indicators/tests sweep other authorities' and municipalities' users).
# The collected picture (aggregate figures, never a child; evaluation/tests and indicators/tests show another
# municipality's users the same 404) and the administrator's import runs (imports/tests/test_views.py).
NOT_CHILD_DATA = {"accounts", "teams", "programmes", "catalogue", "indicators", "evaluation", "imports"}
# Ids that name a child's record wherever a route takes them: the catalogue's referrals and requests for
# support are swept although the rest of the catalogue is not.
CHILD_RECORD_IDS = {"referral_id", "request_id"}
_PLACEHOLDER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


# Ids of programme records in API routes: a programme, a call, a lecture session (programmes/tests and
# api/tests/test_programmes.py show the same 404 to users of another municipality), and an indicator
# of the registry (api/tests/test_indicators.py: values are scoped to the reader's municipalities).
# The evaluation API's municipality, unit and pilot ids name aggregates (api/tests and evaluation/tests: another
# municipality's manager gets 404).
NOT_CHILD_IDS = {"programme_id", "call_id", "session_id", "indicator_id", "municipality_id", "unit_id", "pilot_id"}


def _keyed(route: Route) -> bool:
    ids = route.kwargs - {"child_id"} - NOT_CHILD_IDS
    if ids & CHILD_RECORD_IDS:
        return True
    return bool(ids) and route.namespace.split(":")[-1] not in NOT_CHILD_DATA


KEYED_ROUTES = [route for route in ROUTES if _keyed(route) and any(_calls(route))]


def build_world(cast) -> dict[str, object]:
    """Create one record of every kind a route takes by id, all about the cast's child; return the ids by name."""
    now = timezone.now()
    today = policy.today()
    child = cast.child
    plan = start(cast)
    action = add_action(cast, plan)
    participant = plan.participants.first()
    PlanVersion.objects.create(plan=plan, number=1, agreed_by=cast.named_person, snapshot={})
    consent = ask(cast)
    entry = write(cast.teacher, child)
    five = FiveQuestions.objects.create(
        child=child,
        entry=entry,
        author=cast.teacher,
        owner_authority=cast.education,
        category="education",
        outcome=FiveQuestions.Outcome.HANDLED_HERE,
        follow_up_on=today + timedelta(days=14),
    )
    proposal = HandoverProposal.objects.create(
        child=child, stage=Stage.SCHOOL, to_role=Role.HEAD_TEACHER, to_unit=cast.other_school, due_date=today
    )
    emergency = EmergencyAccess.objects.create(
        child=child,
        user=cast.bvc_nurse,
        owner_authority=cast.social,
        reason="Akut vård",
        started_at=now,
        ends_at=now + timedelta(hours=4),
    )
    # To a unit none of the personas works at: the expired persona works at the cast's social services team.
    intake = Unit.objects.create(authority=cast.social, name="Mottagningen Norr", unit_type="social_services_team")
    report = ReportOfConcern.objects.create(
        child=child,
        owner_authority=cast.social,
        to_unit=intake,
        reporter=cast.teacher,
        reporter_authority=cast.education,
        what_happened="Barnet säger att hen inte vill gå hem.",
    )
    decision = DisclosureDecision.objects.create(
        child=child,
        owner_authority=cast.social,
        outcome=DisclosureDecision.Outcome.DISCLOSE,
        legal_basis="OSL 10 kap. 28 §",
        purpose="Samordning",
        necessary="Behövs",
        relevant="Relevant",
        proportionate="Proportionerligt",
        valid_from=now,
        valid_until=now + timedelta(days=30),
        decided_by=cast.manager,
    )
    block = Block.objects.create(
        child=child,
        owner_authority=cast.education,
        category="education",
        ground="Begäran",
        reason="Vårdnadshavaren begärde spärr.",
        created_by=cast.manager,
    )
    return {
        "plan_id": plan.pk,
        "action_id": action.pk,
        "participant_id": participant.pk,
        "part": "action",
        "part_id": action.pk,
        "number": 1,
        "consent_id": consent.pk,
        "party_id": consent.parties.first().pk,
        "entry_id": entry.pk,
        "follow_up_id": five.pk,
        "proposal_id": proposal.pk,
        "pk": emergency.pk,
        "emergency_id": emergency.pk,
        "report_id": report.pk,
        "decision_id": decision.pk,
        "block_id": block.pk,
        "instrument_id": 1,
        **meeting_world(cast),
        "referral_id": referral_of(cast).pk,
        "request_id": request_of(cast).pk,
        # Registration by hand (registration/): the child's guardian relation and enrolment, and a second child.
        "guardianship_id": child.guardianships.first().pk,
        "enrolment_id": child.enrolments.first().pk,
        "duplicate_id": cast.protected_child.pk,
    }


def _url(route: Route, ids: dict[str, object], child) -> str:
    def fill(match: re.Match) -> str:
        name = match["name"]
        return str(child.pk if name == "child_id" else "action" if name == "part" else ids[name])

    url = "/" + _PLACEHOLDER.sub(fill, route.route)
    assert resolve(url).route == route.route or resolve(url).func is route.callback, f"{url} does not resolve"
    return url


@pytest.mark.django_db
def test_it_knows_every_id_a_route_takes(cast):
    ids = build_world(cast)
    unknown = {name for route in KEYED_ROUTES for name in route.kwargs - {"child_id"}} - set(ids)
    assert not unknown, f"add a record for {unknown} to build_world so the routes that take them are swept"


def test_it_sweeps_the_routes_keyed_by_other_ids():
    names = {f"{route.namespace}:{route.pattern.name}" for route in KEYED_ROUTES}
    assert {"sharing:report_detail", "namedperson:accept", "sharing:emergency_end", "wellbeing:follow_up_done"} <= names
    assert {
        "catalogue:referral_status",
        "catalogue:queue_status",
        "catalogue:intake_triage",
        "catalogue:intake_route",
        "catalogue:intake_support",
    } <= names


@pytest.mark.parametrize("persona", ["outsider", "expired"])
@pytest.mark.parametrize("route", KEYED_ROUTES, ids=str)
def test_it_answers_404_on_every_route_keyed_by_a_record_of_a_hidden_child(client, cast, route, persona):
    ids = build_world(cast)
    user = getattr(cast, persona)  # the police officer of another authority; a social worker whose access ended
    _token, raw = api_token_create(user=user, name="Test", days=1)
    sign_in(client, user)
    for method, kind in _calls(route):
        extra = {"headers": {"Authorization": f"Bearer {raw}"}} if kind == "api" else {}
        response = _send(client, method, _url(route, ids, cast.child), **extra)
        _child_free(response, cast.child)
        if kind == "api" and response.status_code in (400, 422):
            # The body was refused before any look-up: the same answer as for an id that matches nothing.
            unknown = _send(client, method, _url(route, dict.fromkeys(ids, 999999999), cast.child), **extra)
            assert unknown.status_code == response.status_code, f"{method.upper()} {route}: {response.status_code}"
            continue
        assert response.status_code == 404, f"{method.upper()} {route}: {response.status_code}"
