"""Fixtures for the API tests: bearer headers for any persona, and the URLs of the routes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.services import api_token_create

# Personas of core.testing.build_cast with a current relation to both children of the cast ...
VISIBLE = ["named_person", "teacher", "manager"]
# ... and those without one: other unit or authority, ended relation, roles that never see single children.
UNRELATED = [
    "other_school_teacher",
    "bvc_nurse",
    "midwife",
    "social_worker",
    "bup_clinician",
    "outsider",
    "expired",
    "analyst",
    "administrator",
]


@pytest.fixture
def bearer(cast):
    """Return a function giving `Authorization` headers with a fresh token for a user."""

    def headers(user) -> dict[str, str]:
        _token, raw = api_token_create(user=user, name="Test", days=30)
        return {"Authorization": f"Bearer {raw}"}

    return headers


def child_url(name: str, child) -> str:
    return reverse(f"api:{name}", kwargs={"child_id": child.pk})


def assert_holds_nothing_of(response, child) -> None:
    """Fail if the body names the child, its number (any form) or its id."""
    body = response.content.decode()
    number = child.identity_number
    for secret in (
        child.given_name,
        child.family_name,
        number,
        number[2:],
        f"{number[:8]}-{number[8:]}",
        str(child.pk),
    ):
        assert secret not in body, f"{secret!r} in the response body"
