from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from testsupport.cast import PASSWORD, make_child


@pytest.fixture
def child_login(cast):
    """Return a factory: a child of the cast's municipality, a given age today, with its own login."""

    def make(age: int, username: str = "tove"):
        born = date(date.today().year - age, 1, 1)  # the birthday has always passed: exactly `age` years old
        child = make_child(cast.municipality, born=born, given="Tove", family="Lund", serial=990)
        child.user = get_user_model().objects.create_user(username=username, password=PASSWORD)
        child.save(update_fields=["user"])
        return child

    return make
