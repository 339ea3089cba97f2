"""Fixtures for the API tests: bearer headers for any persona, the URLs of the routes, and a world to act on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import api_token_create
from catalogue.models import Referral, SupportRequest
from catalogue.tests.setup import referral_of, request_of
from indicators.models import Indicator
from meetings.tests.helpers import meeting_world
from plans.models import ChildPlan
from plans.tests.setup import bup_relation, start
from programmes.models import EventSession, GrantCall
from programmes.tests.setup import make_call, make_event
from sharing.models import Block, Consent, EmergencyAccess
from sharing.tests.consent_setup import ask
from testsupport.cast import Cast
from testsupport.module_fixtures import per_module

# Personas of testsupport.cast.build_cast with a current relation to both children of the cast ...
VISIBLE = ["named_person", "teacher", "manager"]
# ... and those without one: other unit or authority, ended relation, roles that never see single children.
UNRELATED = [
    "other_school_teacher",
    "bvc_nurse",
    "midwife",
    "social_worker",
    "bup_clinician",
    "outsider",
    "expired",
    "analyst",
    "administrator",
]


@pytest.fixture
def bearer(cast):
    """Return a function giving `Authorization` headers with a fresh token for a user."""

    def headers(user) -> dict[str, str]:
        _token, raw = api_token_create(user=user, name="Test", days=30)
        return {"Authorization": f"Bearer {raw}"}

    return headers


def child_url(name: str, child) -> str:
    return reverse(f"api:{name}", kwargs={"child_id": child.pk})


def assert_holds_nothing_of(response, child) -> None:
    """Fail if the body names the child, its number (any form) or its id."""
    body = response.content.decode()
    number = child.identity_number
    for secret in (
        child.given_name,
        child.family_name,
        number,
        number[2:],
        f"{number[:8]}-{number[8:]}",
        str(child.pk),
    ):
        assert secret not in body, f"{secret!r} in the response body"


@dataclass
class World:
    """The cast with one of everything an operation acts on: a block, a consent, a plan, an emergency access."""

    cast: Cast
    block: Block
    consent: Consent
    plan: ChildPlan
    emergency: EmergencyAccess
    call: GrantCall
    session: EventSession
    referral: Referral
    request: SupportRequest
    meeting: dict[str, object]  # a team meeting with a case under consent: ids by path parameter

    def path_values(self) -> dict[str, str]:
        """The value of each path parameter of the API, for the cast's unprotected child."""
        return {
            "child_id": str(self.cast.child.pk),
            "block_id": str(self.block.pk),
            "consent_id": str(self.consent.pk),
            "plan_id": str(self.plan.pk),
            "emergency_id": str(self.emergency.pk),
            "programme_id": str(self.call.programme_id),
            "call_id": str(self.call.pk),
            "session_id": str(self.session.pk),
            "referral_id": str(self.referral.pk),
            "request_id": str(self.request.pk),
            "team_id": str(self.meeting["team_id"]),
            "meeting_id": str(self.meeting["meeting_id"]),
            "indicator_id": str(Indicator.objects.order_by("pk").values_list("pk", flat=True).first()),
            "municipality_id": str(self.cast.municipality.pk),
            "pilot_id": "1",
        }


@per_module(needs=("cast",))
def world(cast) -> World:
    """One of everything the API acts on, built once per test module (each test gets its own copy)."""
    started = timezone.now() - timedelta(hours=30)
    bup_relation(cast)  # the BUP clinician sees the child, so may start emergency access to it
    return World(
        cast=cast,
        block=Block.objects.create(
            child=cast.child,
            owner_authority=cast.education,
            category="education",
            ground="child_request",
            reason="Barnet har bett om det",
            created_by=cast.manager,
        ),
        consent=ask(cast),
        plan=start(cast),
        emergency=EmergencyAccess.objects.create(
            child=cast.child,
            user=cast.bup_clinician,
            owner_authority=cast.education,
            reason="Akut läge",
            started_at=started,
            ends_at=started + timedelta(hours=24),
        ),
        call=make_call(cast),
        session=make_event(cast)[1],
        referral=referral_of(cast),
        request=request_of(cast),
        meeting=meeting_world(cast),
    )
