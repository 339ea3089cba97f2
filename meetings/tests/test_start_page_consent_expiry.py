"""The start page after a consent expires: a child known to a team member only through the consent an identified
case was raised under vanishes from every count and list at once, with no scheduled task run first."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from core import workspace
from sharing import policy
from sharing.models import Consent
from testsupport.cast import sign_in


def _agenda(user) -> int:
    return {task.key: task.count for task in workspace.tasks_for(user)}.get("agenda", 0)


def test_a_case_raised_under_a_consent_stops_counting_the_moment_the_consent_expires(client, cast, team, case):
    # The BUP clinician has no relation to the child: the consent to the team is the only way to the case.
    assert not policy.visible_children(cast.bup_clinician).filter(pk=cast.child.pk).exists()
    assert _agenda(cast.bup_clinician) == 1
    sign_in(client, cast.bup_clinician)
    detail = reverse("meetings:detail", args=[case.meeting_id])
    assert cast.child.given_name in client.get(detail).content.decode()

    Consent.objects.filter(pk=cast.consent.pk).update(valid_until=timezone.now() - timedelta(seconds=1))

    assert _agenda(cast.bup_clinician) == 0  # nothing waits: the case is gone from the count
    home = client.get(reverse("core:home")).content.decode()
    assert cast.child.given_name not in home and cast.child.family_name not in home
    assert cast.child.given_name not in client.get(detail).content.decode()  # and from the meeting's list


def test_a_withdrawn_consent_closes_the_case_on_the_start_page_too(cast, team, case):
    assert _agenda(cast.social_worker) == 1
    Consent.objects.filter(pk=cast.consent.pk).update(status=Consent.Status.WITHDRAWN, ended_at=timezone.now())
    assert _agenda(cast.social_worker) == 0
