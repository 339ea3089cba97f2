"""A consent lifts the secrecy of the authorities that HOLD records of the categories it opens (OSL 12 kap. 2 §).

Each holding authority therefore sees the consents that open its records (read-only: only the asking
authority manages them), and the family and staff pages say in plain words which authorities hold
what the consent opens, and who may read it, today.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit import log as audit
from sharing import consent_selectors as selectors
from sharing import holdings, policy
from sharing.models import Block, Consent, ConsentCategory, ReportOfConcern
from sharing.services import consents as services
from sharing.tests.consent_setup import staff_via
from testsupport.cast import enrol, sign_in


def _access(cast, user):
    with audit.deferred():
        return policy.child_for_user(
            user, cast.child.pk, actor=policy.actor_for(user, session_key="s"), surface="page", target="test"
        )


def _consent(cast, *, categories=("health",), recipients=None, status="given") -> Consent:
    """A consent the school's committee asked for, opening the given categories."""
    now = timezone.now()
    consent = Consent.objects.create(
        child=cast.child,
        owner_authority=cast.education,
        requested_by=cast.named_person,
        purpose="Samordnat stöd kring hälsan",
        valid_from=now - timedelta(hours=1),
        valid_until=now + timedelta(days=30),
        status=status,
    )
    consent.recipients.set(recipients if recipients is not None else [cast.police])
    for category in categories:
        ConsentCategory.objects.create(consent=consent, category=category)
    return consent


@pytest.fixture
def world(cast):
    """The child is listed at the BVC today (the region holds health records) and known to social services."""
    today = policy.today()
    enrol(cast.child, cast.bvc, "child_health", today - timedelta(days=10))
    enrol(cast.child, cast.social_team, "other", today - timedelta(days=10))
    return cast


def test_a_holding_authoritys_staff_see_a_consent_that_opens_its_records(world):
    consent = _consent(world)
    access = _access(world, world.bvc_nurse)
    assert list(policy.consents_for(access)) == [consent]
    # Read-only: only the asking authority records answers and changes it.
    assert not policy.consents_managed_by(access).exists()


def test_an_authority_holding_nothing_opened_and_no_recipient_does_not_see_it(world):
    _consent(world)  # opens health; social services holds social records only, and is no recipient
    assert not policy.consents_for(_access(world, world.social_worker)).exists()


def test_holding_records_of_another_category_shows_nothing(world):
    _consent(world, categories=("social",))  # the region holds health, not social, records
    assert not policy.consents_for(_access(world, world.bvc_nurse)).exists()


def test_an_outsider_never_sees_it(world):
    _consent(world)  # the police are the recipient, but have no relation to the child
    with pytest.raises(Http404):
        _access(world, world.outsider)


@pytest.mark.parametrize("status", ["withdrawn", "expired", "declined", "requested"])
def test_the_holder_sees_the_same_history_as_a_recipient(world, status):
    consent = _consent(world, recipients=[world.social], status=status)
    recipient = policy.consents_for(_access(world, world.social_worker))
    holder = policy.consents_for(_access(world, world.bvc_nurse))
    assert list(holder) == list(recipient) == [consent]


def test_the_list_of_record_kinds_covers_every_child_record_with_an_owner_and_a_category():
    """A new kind of child record must be counted as held, or its holder would miss the consents opening it."""
    carrying = {
        model
        for model in apps.get_models()
        if {"child", "owner_authority", "category"} <= {field.name for field in model._meta.get_fields()}
    }
    # A block is a rule about records (which category stays closed), not a record about the child.
    assert carrying - {Block} == set(holdings.HELD_RECORD_MODELS)


def test_the_family_sees_every_holder_by_authority_in_one_query(world, django_assert_num_queries):
    ReportOfConcern.objects.create(
        child=world.child,
        owner_authority=world.social,
        to_unit=world.social_team,
        reporter=world.teacher,
        reporter_authority=world.education,
        what_happened="Oro för skolfrånvaron.",
    )
    with django_assert_num_queries(1):
        held = holdings.held_by(world.child)
    assert held["health"] == ["Region Test"]
    assert held["social"] == ["Socialnämnden"]
    assert held["education"] == ["Barn- och utbildningsnämnden"]
    assert "police" not in held


def test_staff_see_only_the_holders_whose_records_they_may_read(world):
    ReportOfConcern.objects.create(
        child=world.child,
        owner_authority=world.social,
        to_unit=world.social_team,
        reporter=world.teacher,
        reporter_authority=world.education,
        what_happened="Oro för skolfrånvaron.",
    )
    # That social services holds records of the child is itself social services' secret: the school does not learn it.
    held = holdings.held_by(world.child, access=_access(world, world.teacher))
    assert "social" not in held and held["education"] == ["Barn- och utbildningsnämnden"]


def _url(name, cast, *args):
    return reverse(name, args=[cast.child.pk, *args])


def test_the_holders_consent_page_names_the_holders_and_offers_no_changes(client, world):
    consent = _consent(world, categories=("health", "police"))
    sign_in(client, world.bvc_nurse)
    page = client.get(_url("sharing:consents", world)).content.decode()
    assert "Samordnat stöd kring hälsan" in page
    assert "uppgifter om hälsa och vård som Region Test har" in page
    assert "Begärt av" in page and "Barn- och utbildningsnämnden" in page
    assert "Det får läsas av: Polisen." in page
    assert _url("sharing:consent_withdraw", world, consent.pk) not in page
    assert client.get(_url("sharing:consent_withdraw", world, consent.pk)).status_code == 404


def test_the_family_page_names_the_holders_not_the_asker_as_the_source(client, world):
    consent = services.consent_request(
        child=world.child,
        owner_authority=world.education,
        purpose="Samordnat stöd kring hälsan",
        categories=["health", "police"],
        recipients=[world.social],
        to_plan_participants=False,
        teams=[],
        valid_from=timezone.now(),
        valid_until=timezone.now() + timedelta(days=30),
        via=staff_via(world.named_person),
    )
    sign_in(client, world.guardian_user)
    page = client.get(reverse("family:consents", args=[world.child.pk])).content.decode()
    assert "Från vem" not in page
    assert "uppgifter om hälsa och vård som Region Test har" in page
    assert "uppgifter från polisen: inga uppgifter ännu" in page
    assert "Om samtycket lämnas får det läsas av: Socialnämnden." in page
    assert "Begärt av" in page
    # Authorities, never units: a unit's name can say where a child lives.
    assert "BVC Centrum" not in page and "Barn och familj" not in page
    answer = client.get(reverse("family:consent_answer", args=[world.child.pk, consent.pk])).content.decode()
    assert "uppgifter om hälsa och vård som Region Test har" in answer


def test_the_rows_cost_the_same_whatever_the_number_of_consents(world):
    def queries(count: int) -> int:
        Consent.objects.all().delete()
        for _ in range(count):
            _consent(world)
        access = _access(world, world.bvc_nurse)
        with CaptureQueriesContext(connection) as captured:
            rows = selectors.consent_rows(selectors.with_details(policy.consents_for(access)), access=access)
        assert len(rows) == count and all(row.held for row in rows)
        return len(captured)

    assert queries(1) == queries(3)
