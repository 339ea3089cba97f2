"""Shared set-up for the consent tests: a second guardian, family logins, ages, and a consent asked for."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from sharing import policy
from sharing.models import Consent, SharingRules
from sharing.services import consents as services
from testsupport.cast import PASSWORD

User = get_user_model()


def staff_via(user, *, surface: str = "page") -> services.Via:
    return services.Via(
        user=user, actor=policy.actor_for(user, session_key="s"), surface=surface, target="test", basis="consent_admin"
    )


def family_via(user, *, basis: str = policy.Basis.GUARDIAN, surface: str = "page") -> services.Via:
    return services.Via(
        user=user, actor=policy.actor_for(user, session_key="s"), surface=surface, target="test", basis=basis
    )


def set_age(child, years: int) -> None:
    """Make the child a given age today."""
    today = date.today()
    child.birth_date = today.replace(year=today.year - years) - timedelta(days=1)
    child.save(update_fields=["birth_date"])


def born_for(years: int, *, days: int = 0) -> date:
    """Return the birth date of someone who turns `years` in `days` days (today; negative: that many days ago)."""
    today = policy.today()
    try:
        birthday = today.replace(year=today.year - years)
    except ValueError:  # today is 29 February
        birthday = today.replace(year=today.year - years, day=28)
    return birthday + timedelta(days=days)


def turn(child, years: int, *, days: int = 0) -> None:
    """Make the child turn `years` in `days` days (today; negative: that many days ago)."""
    child.birth_date = born_for(years, days=days)
    child.save(update_fields=["birth_date"])


def child_login(child, username: str = "alva"):
    user = User.objects.create_user(username=username, password=PASSWORD, first_name=child.given_name)
    child.user = user
    child.save(update_fields=["user"])
    return user


def ask(
    cast,
    *,
    categories=("education",),
    recipients=None,
    to_plan_participants: bool = False,
    teams=(),
    days: int = 90,
    by=None,
) -> Consent:
    """Ask (as the school's named person) for consent to share the school's information with the region."""
    now = timezone.now()
    return services.consent_request(
        child=cast.child,
        owner_authority=cast.education,
        purpose="Samordnat stöd mellan skola och BUP",
        categories=list(categories),
        recipients=recipients if recipients is not None else [cast.region],
        to_plan_participants=to_plan_participants,
        teams=list(teams),
        valid_from=now,
        valid_until=now + timedelta(days=days),
        via=staff_via(by or cast.named_person),
    )


def plan_with(cast, *authorities, owner=None):
    """Give the child an open plan (the school's, unless told otherwise) with staff of the authorities taking part.

    Written directly: the consent tests are about what a plan's rows mean for sharing, not how plans are made.
    """
    from plans.models import ChildPlan, Participant

    plan = ChildPlan.objects.create(
        child=cast.child,
        owner_authority=owner or cast.education,
        kind="multi_agency",
        status="active",
        lead_professional=cast.named_person,
        reasons="Alva är ofta borta från skolan.",
        created_by=cast.named_person,
    )
    staff = {cast.region.pk: cast.bup_clinician, cast.social.pk: cast.social_worker, cast.education.pk: cast.teacher}
    for authority in authorities:
        user = staff[authority.pk]
        Participant.objects.create(
            plan=plan, user=user, name=user.get_full_name(), authority=authority, role="practitioner"
        )
    return plan


def rules(cast, **values) -> SharingRules:
    return SharingRules.objects.update_or_create(municipality=cast.municipality, defaults=values)[0]
