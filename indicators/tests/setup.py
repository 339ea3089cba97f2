"""Shared set-up for the indicator tests: the cast plus a few extra people and a service `Via`."""

from __future__ import annotations

from datetime import date, timedelta

from accounts.models import User
from audit import log as audit
from indicators import services
from organisations.models import Authority, Membership, Municipality, Role, Unit


def via(user) -> services.Via:
    return services.Via(
        actor=audit.Actor(user_id=user.pk, username=user.username), surface="page", target="test", user=user
    )


def member(username: str, unit: Unit, role: str) -> User:
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing
    user = User.objects.create_user(username=username, password="x" * 12, first_name=username.title(), last_name="Test")
    Membership.objects.create(user=user, unit=unit, role=role, valid_from=date.today() - timedelta(days=10))
    return user


def region_analyst(cast) -> User:
    """An analyst of another authority (the region) in the same municipality."""
    return member("region_analyst", cast.bup, Role.ANALYST)


def social_analyst(cast) -> User:
    """An analyst of social services: the reporting actor for the social services team's figures."""
    return member("social_analyst", cast.social_team, Role.ANALYST)


def other_municipality_analyst() -> User:
    municipality = Municipality.objects.create(name="Andra kommun", code="9998")
    authority = Authority.objects.create(
        municipality=municipality, name="Andra socialnämnden", kind="municipal_committee", sector="social_services"
    )
    unit = Unit.objects.create(authority=authority, name="Andra IFO", unit_type="social_services_team")
    return member("far_analyst", unit, Role.ANALYST)
