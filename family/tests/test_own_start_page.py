"""The start page of a young person signed in as themselves: what waits for their own answer, as for a guardian.

The plan sent to the family waits for the young person's answer where it counts (from the municipality's consent
age, alone from 18) and a consent request waits where they are a party with no answer yet. A younger child with
a login reads the plan but has nothing waiting for an answer.
"""

from __future__ import annotations

from django.urls import reverse

from plans.tests.setup import add_action, send, start
from sharing import policy
from sharing.services import consents as services
from sharing.tests.consent_setup import ask, child_login, family_via, rules, turn
from testsupport.cast import sign_in

PLAN_WAITS = "Planen väntar på ditt svar"


def _sent(cast):
    plan = start(cast)
    add_action(cast, plan)
    send(cast, plan)
    return plan


def _home(client) -> str:
    response = client.get(reverse("family:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_young_adult_sees_the_plan_and_the_consent_request_waiting_for_their_answer(client, cast):
    turn(cast.child, 18)
    user = child_login(cast.child)
    sign_in(client, user)
    assert PLAN_WAITS not in _home(client) and "samtycke väntar" not in _home(client)
    _sent(cast)
    consent = ask(cast)
    page = _home(client)
    assert PLAN_WAITS in page and reverse("family:plan_answer", args=[cast.child.pk]) in page
    assert "1 fråga om samtycke väntar på ditt svar" in page
    # Answered: nothing waits any more.
    assert client.post(reverse("family:plan_answer", args=[cast.child.pk]), {"answer": "agrees"}).status_code == 302
    services.consent_answer(consent=consent, decision="given", via=family_via(user, basis=policy.Basis.CHILD_SELF))
    page = _home(client)
    assert PLAN_WAITS not in page and "samtycke väntar" not in page


def test_from_the_consent_age_the_plan_waits_for_the_child_and_each_guardian_separately(client, cast):
    rules(cast, child_consent_age=15, child_login_age=13, child_consent="with_guardians")
    turn(cast.child, 15)
    user = child_login(cast.child)
    _sent(cast)
    sign_in(client, user)
    assert PLAN_WAITS in _home(client)
    client.post(reverse("family:plan_answer", args=[cast.child.pk]), {"answer": "agrees"})
    assert PLAN_WAITS not in _home(client)
    sign_in(client, cast.guardian_user)
    assert PLAN_WAITS in _home(client)  # the child's answer is not the guardian's


def test_a_younger_child_reads_the_plan_but_nothing_waits_for_their_answer(client, cast):
    rules(cast, child_login_age=13, child_consent_age=15)
    turn(cast.child, 14)
    sign_in(client, child_login(cast.child))
    _sent(cast)
    page = _home(client)
    assert reverse("family:child", args=[cast.child.pk]) in page
    assert PLAN_WAITS not in page
