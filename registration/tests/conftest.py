"""The registrars of the test world: one for Testköping (the cast's municipality) and one for another municipality."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model

from organisations.models import Authority, Membership, Municipality, Role, Unit

User = get_user_model()


def _registrar(username: str, unit: Unit) -> User:
    user = User.objects.create_user(username=username, first_name="Rut", last_name="Registrator")
    Membership.objects.create(user=user, unit=unit, role=Role.REGISTRAR, valid_from=date.today() - timedelta(days=30))
    return user


@pytest.fixture
def registrar(cast):
    return _registrar("registrator", cast.school)


@pytest.fixture
def other_registrar(db):
    other = Municipality.objects.create(name="Andraby kommun", code="9998")
    authority = Authority.objects.create(
        name="Andraby barn- och utbildningsnämnd", kind="municipal_committee", sector="education", municipality=other
    )
    unit = Unit.objects.create(authority=authority, name="Andraby skola", unit_type="school")
    return _registrar("andraby", unit)
