"""Every page, signed in as a persona who may use it, in Swedish and English: axe-core, one <h1>, styles load."""

from __future__ import annotations

from datetime import timedelta

import pytest

from e2e.helpers import check_page, log_in, switch_language
from plans.tests.setup import add_action, send, start
from sharing import policy
from teams.models import Team, TeamMember


def _sent_plan(cast):
    """A multi-agency draft plan led by the named person, with an action, sent to the guardians to answer."""
    plan = start(cast)
    add_action(cast, plan)
    send(cast, plan)
    return plan


def _plan_agree(cast) -> str:
    """The agreement page, with the version sent to the guardians waiting for their answers."""
    plan = _sent_plan(cast)
    return f"/planer/barn/{cast.child.pk}/{plan.pk}/godkann/"


def _action_edit(cast) -> str:
    plan = _sent_plan(cast)
    return f"/planer/barn/{cast.child.pk}/{plan.pk}/atgarder/{plan.actions.get().pk}/andra/"


def _team(cast) -> Team:
    """A barnombudsteam kept by the manager: the head teacher chairs it, with members from two other authorities."""
    team = Team.objects.create(
        name="Barnombudsteam Öster", municipality=cast.municipality, kind="barnombudsteam", created_by=cast.manager
    )
    joined = policy.today() - timedelta(days=30)
    for user, authority, role in (
        (cast.named_person, cast.education, "chair"),
        (cast.bvc_nurse, cast.region, "member"),
        (cast.social_worker, cast.social, "member"),
    ):
        TeamMember.objects.create(
            team=team, user=user, authority=authority, role=role, joined_on=joined, added_by=cast.manager
        )
    return team


def _team_list(cast) -> str:
    _team(cast)
    return "/team/"


# (page, persona who may open it, how to build its address from the cast)
PAGES = [
    ("home", "teacher", lambda cast: "/"),
    ("child_list", "teacher", lambda cast: "/barn/"),
    ("child_overview", "teacher", lambda cast: f"/barn/{cast.child.pk}/"),
    ("log_extract", "named_person", lambda cast: f"/logg/barn/{cast.child.pk}/"),
    ("lookup", "named_person", lambda cast: "/barn/sok/"),
    ("my_children", "named_person", lambda cast: "/namngiven-person/mina-barn/"),
    ("handovers", "named_person", lambda cast: "/namngiven-person/overlamningar/"),
    ("without_named_person", "manager", lambda cast: "/namngiven-person/saknas/"),
    ("account", "teacher", lambda cast: "/konto/"),
    ("emergency_start", "teacher", lambda cast: f"/delning/barn/{cast.child.pk}/nodatkomst/"),
    ("emergency_review_queue", "manager", lambda cast: "/delning/nodatkomst/granska/"),
    ("my_emergency_accesses", "teacher", lambda cast: "/delning/nodatkomst/mina/"),
    ("plan_agree_and_send", "named_person", _plan_agree),
    ("plan_action_edit", "named_person", _action_edit),
    ("team_list", "manager", _team_list),
    ("team_detail", "manager", lambda cast: f"/team/{_team(cast).pk}/"),
    ("family_plan", "guardian_user", lambda cast: f"/familj/barn/{_sent_plan(cast).child_id}/plan/"),
    ("family_plan_answer", "guardian_user", lambda cast: f"/familj/barn/{_sent_plan(cast).child_id}/plan/svara/"),
]


def test_it_has_an_accessible_login_page_in_both_languages(page, cast):
    check_page(page, "/konto/logga-in/", language="sv")
    switch_language(page, "en")
    check_page(page, "/konto/logga-in/", language="en")


@pytest.mark.parametrize(("name", "persona", "address"), PAGES, ids=[name for name, _, _ in PAGES])
def test_it_has_accessible_pages_in_both_languages(page, cast, name, persona, address):
    log_in(page, getattr(cast, persona))
    url = address(cast)

    check_page(page, url, language="sv")
    switch_language(page, "en")
    check_page(page, url, language="en")
