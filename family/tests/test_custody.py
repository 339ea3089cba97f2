"""Custody ends on the 18th birthday: the guardians' family view, consents and answers end that day.

From that day the young person's own login sees their own data and answers for themselves,
whatever the municipality's login age. Every rule is judged at the moment of reading: no
scheduled task has to run first.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from family.access import family_children
from plans import services as plan_services
from plans.tests.setup import add_action, send, start
from plans.tests.setup import family_via as plan_family_via
from sharing import policy
from sharing.models import ConsentParty
from sharing.services import consents as services
from sharing.tests.consent_setup import ask, child_login, family_via, rules, turn
from testsupport.cast import sign_in


def _url(name, child, *args):
    return reverse(f"family:{name}", args=[child.pk, *args])


def test_the_guardians_see_the_child_until_the_day_before_the_18th_birthday(cast):
    turn(cast.child, 18, days=1)  # 18 tomorrow
    assert list(family_children(cast.guardian_user)) == [cast.child]
    turn(cast.child, 18)  # 18 today
    assert not family_children(cast.guardian_user).exists()
    assert not family_children(cast.co_guardian_user).exists()


def test_the_home_page_tells_the_guardian_that_custody_has_ended(client, cast):
    turn(cast.child, 18)
    sign_in(client, cast.guardian_user)
    page = client.get(reverse("family:home")).content.decode()
    assert "Vårdnaden upphör när barnet fyller 18 år." in page and str(cast.child.pk) not in page


@pytest.mark.parametrize("page", ["child", "plan", "consents", "child_log", "child_log_csv"])
def test_a_guardian_of_a_young_adult_gets_404_on_every_family_page(client, cast, page):
    turn(cast.child, 18)
    sign_in(client, cast.guardian_user)
    assert client.get(_url(page, cast.child)).status_code == 404


def test_a_guardian_cannot_answer_a_consent_once_the_child_is_18(client, cast):
    turn(cast.child, 17, days=-30)
    consent = ask(cast)  # asked while the guardians had custody
    turn(cast.child, 18)
    sign_in(client, cast.guardian_user)
    assert client.post(_url("consent_answer", cast.child, consent.pk), {"decision": "given"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.consent_answer(consent=consent, decision="given", via=family_via(cast.co_guardian_user))
    assert not consent.parties.filter(decided_at__isnull=False).exists()


def test_a_guardian_cannot_answer_the_plan_once_the_child_is_18(cast):
    turn(cast.child, 17, days=-30)
    child_login(cast.child)  # from the consent age (15) the child answers too
    plan = start(cast)
    add_action(cast, plan)
    send(cast, plan)  # sent to the family while the guardians had custody
    turn(cast.child, 18)
    with pytest.raises(ValidationError):
        plan_services.plan_answer_by_guardian(
            plan=plan, guardian=cast.guardian, answer="agrees", note="", via=plan_family_via(cast.guardian_user)
        )
    assert not plan.versions.get().agreements.exists()


@pytest.mark.parametrize("login_age", [13, 20])
def test_the_young_adult_sees_their_own_data_whatever_the_login_age(cast, login_age):
    rules(cast, child_login_age=login_age)
    user = child_login(cast.child)
    turn(cast.child, 18, days=1)
    assert family_children(user).exists() == (login_age <= 17)
    turn(cast.child, 18)
    assert list(family_children(user)) == [cast.child]
    assert policy.family_basis(cast.child, user) == policy.Basis.CHILD_SELF


def test_the_young_adult_alone_answers_a_consent_asked_after_the_18th_birthday(cast):
    rules(cast, child_consent="with_guardians")
    turn(cast.child, 18)
    user = child_login(cast.child)
    consent = ask(cast)
    parties = list(consent.parties.all())
    assert [(p.is_child, p.guardian_id, p.decision) for p in parties] == [(True, None, ConsentParty.Decision.PENDING)]
    services.consent_answer(consent=consent, decision="given", via=family_via(user, basis=policy.Basis.CHILD_SELF))
    consent.refresh_from_db()
    assert consent.status == consent.Status.GIVEN


def _sent(cast):
    plan = start(cast)
    add_action(cast, plan)
    send(cast, plan)
    return plan


def test_the_young_adult_answers_the_plan_in_the_family_view(client, cast):
    turn(cast.child, 18)
    sign_in(client, child_login(cast.child))
    plan = _sent(cast)  # no guardian in the plan: custody had ended when it started
    assert 'id="awaiting-answer"' in client.get(_url("plan", cast.child)).content.decode()
    assert client.post(_url("plan_answer", cast.child), {"answer": "agrees"}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == "agreed"
    (row,) = plan.versions.get().agreements.all()
    assert (row.role, row.guardian_id, row.method) == ("child", None, "family_view")


def test_from_the_consent_age_the_child_answers_next_to_the_guardians(client, cast):
    rules(cast, child_consent_age=15, child_consent="with_guardians")
    turn(cast.child, 15)
    user = child_login(cast.child)
    plan = _sent(cast)
    for guardian in (cast.guardian, cast.co_guardian):
        plan_services.plan_answer_by_guardian(
            plan=plan, guardian=guardian, answer="agrees", note="", via=plan_family_via(guardian.user)
        )
    plan.refresh_from_db()
    assert plan.status == "draft"  # the child's own answer is still missing
    sign_in(client, user)
    client.post(_url("plan_answer", cast.child), {"answer": "agrees"})
    plan.refresh_from_db()
    assert plan.status == "agreed"


def test_a_younger_child_reads_the_plan_but_does_not_answer(client, cast):
    rules(cast, child_login_age=13, child_consent_age=15)
    turn(cast.child, 14)
    sign_in(client, child_login(cast.child))
    _sent(cast)
    assert client.get(_url("plan", cast.child)).status_code == 200
    assert client.post(_url("plan_answer", cast.child), {"answer": "agrees"}).status_code == 404
