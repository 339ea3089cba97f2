"""The demo municipality has a guardian and a child who can sign in to the family view, like the demo staff."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from demo import build as demo
from family.access import family_children
from sharing import policy
from testsupport.module_fixtures import per_module


@per_module()
def output() -> str:
    """The demo municipality, built once for the module; the command's output."""
    out = StringIO()
    call_command("demo_data", "--children", "200", "--seed", "1", "--force", stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("username", "role"),
    [
        ("vardnadshavare", "Vårdnadshavare"),
        ("vardnadshavare2", "Vårdnadshavare"),
        ("barn", "Barn"),
        ("ung", "Ung vuxen"),
    ],
)
def test_the_demo_family_logins_sign_in_like_staff_and_see_a_child(output, username, role):
    user = User.objects.get(username=username)
    assert user.check_password(demo.DEMO_PASSWORD)
    assert not policy.memberships(user).exists()
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(bytes.fromhex(demo.DEMO_TOTP_KEY_HEX), device.step, device.t0, device.digits)
    assert device.verify_token(f"{totp.token():06d}")
    assert family_children(user).count() >= 1
    assert username in output and role in output


def test_the_demo_guardian_s_child_has_a_named_person(output):
    child = family_children(User.objects.get(username="vardnadshavare")).first()
    assert child.named_persons.filter(end__isnull=True).exists()


def test_the_demo_guardians_have_custody_of_minors_and_the_young_adult_sees_themself(output):
    today = policy.today()
    for username in ("vardnadshavare", "vardnadshavare2"):
        ages = [
            policy.age_on(child.birth_date, today) for child in family_children(User.objects.get(username=username))
        ]
        assert ages and all(age < policy.AGE_OF_MAJORITY for age in ages)
    youngest, oldest = demo.FAMILY_CHILD_AGES
    assert youngest <= policy.age_on(demo.family_guardianship(today).child.birth_date, today) <= oldest
    user = User.objects.get(username="ung")
    (me,) = family_children(user)
    assert me.user == user and policy.age_on(me.birth_date, today) >= policy.AGE_OF_MAJORITY
    assert policy.family_basis(me, user) == policy.Basis.CHILD_SELF
