"""Small builders the named-person tests share on top of the cast."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model

from organisations.models import Membership, Unit
from people.models import Enrolment
from testsupport.cast import Cast, enrol

User = get_user_model()


def staff(unit: Unit, role: str, username: str, *, since: date = date(2000, 1, 1), until: date | None = None):
    """Create a user with one membership."""
    user = User.objects.create_user(username=username, first_name=username.title(), last_name="Testsson")
    Membership.objects.create(user=user, unit=unit, role=role, valid_from=since, valid_to=until)
    return user


def change_school(cast: Cast, *, days_ago: int = 3) -> Enrolment:
    """Move the cast's child from its school to the other school; return the new enrolment."""
    today = date.today()
    Enrolment.objects.filter(child=cast.child, unit=cast.school).update(end=today - timedelta(days=days_ago + 1))
    return enrol(cast.child, cast.other_school, "school", today - timedelta(days=days_ago))
