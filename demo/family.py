"""The family view's demo logins: a guardian (and the child's other guardians), a child and a young adult."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.hashers import make_password
from django.db.models import Exists, OuterRef, Q

from accounts.models import User
from accounts.services import totp_device_create
from demo import world
from demo.logins import DEMO_PASSWORD, DEMO_TOTP_KEY_HEX
from namedperson.models import Assignment
from namedperson.stages import add_years
from organisations.models import Municipality
from people.models import Child, Guardianship, Protection
from sharing import policy
from sharing.services.consents import custodians


def _named(today: date):
    return Assignment.objects.filter(Q(end__isnull=True) | Q(end__gt=today), start__lte=today)


# The ages of the demo guardians' child: at school, and below the default consent age (15), so the
# guardians decide and the child's view is asked. Custody ends at 18, so never an adult's "guardians".
FAMILY_CHILD_AGES = (9, 14)


def family_guardianship(today: date) -> Guardianship | None:
    """Return the custody whose guardian gets the demo login `vardnadshavare`, and whose child the login is about.

    `demo.practice` gives this child the plan waiting for the guardians' answers. The child is
    9 to 14 years old when the run has one, else the youngest minor (custody ends at 18).
    """
    youngest, oldest = FAMILY_CHILD_AGES
    custody = (
        Guardianship.objects.filter(
            policy.custody_in_force(today),
            guardian__protection=Protection.NONE,
            child__protection=Protection.NONE,
            child__is_expected=False,
        )
        .annotate(
            has_named_person=Exists(_named(today).filter(child=OuterRef("child"))),
            shared=Exists(
                Guardianship.objects.filter(policy.custody_in_force(today), child=OuterRef("child")).exclude(
                    guardian=OuterRef("guardian")
                )
            ),
        )
        .select_related("guardian", "child")
    )
    in_ages = custody.filter(
        child__birth_date__lte=add_years(today, -youngest), child__birth_date__gt=add_years(today, -oldest - 1)
    )
    # A child with a named person shows the most, and two guardians with custody show each answering for
    # themselves; then the oldest in the ages, so a younger sibling may follow.
    return (
        in_ages.order_by("-has_named_person", "-shared", "child__birth_date", "pk").first()
        or custody.order_by("-has_named_person", "-shared", "-child__birth_date", "pk").first()
    )


def _young_adult(today: date) -> Child | None:
    """Return a young adult (18 or older) for the login `ung`: custody has ended, they see and answer for themselves."""
    return (
        Child.objects.filter(
            birth_date__lte=policy.majority_cutoff(today), protection=Protection.NONE, is_expected=False
        )
        .annotate(has_named_person=Exists(_named(today).filter(child=OuterRef("pk"))))
        .order_by("-has_named_person", "-birth_date", "pk")
        .first()
    )


def family_logins(today: date, municipality: Municipality) -> list[tuple[str, str, str]]:
    """Give one guardian, one child of the login age and one young adult a demo login, with the staff's TOTP key.

    The child's other guardians with custody get a login too (`vardnadshavare2`): each guardian
    answers the child's plan for themselves, and a plan is sent to the family only when every
    guardian in it can answer in Samplan.
    """
    named = _named(today)
    plain = {"protection": Protection.NONE, "is_expected": False}
    guardianship = family_guardianship(today)
    old_enough = add_years(today, -policy.child_login_age(municipality.pk))
    child = (
        Child.objects.filter(birth_date__lte=old_enough, birth_date__gt=policy.majority_cutoff(today), **plain)
        .annotate(has_named_person=Exists(named.filter(child=OuterRef("pk"))))
        .order_by("-has_named_person", "-birth_date", "pk")
        .first()
    )
    people = []
    if guardianship is not None:
        people.append((world.FAMILY_LOGIN, guardianship.guardian, "Vårdnadshavare", guardianship.child))
        others = custodians(guardianship.child, today).exclude(pk=guardianship.guardian_id).order_by("pk")
        for number, other in enumerate(others, start=2):
            people.append((f"{world.FAMILY_LOGIN}{number}", other, "Vårdnadshavare", guardianship.child))
    if child is not None:  # a small run may have no child old enough
        people.append(("barn", child, "Barn", child))
    adult = _young_adult(today)
    if adult is not None:  # a small run may have no one of 18 or older
        people.append(("ung", adult, "Ung vuxen", adult))
    password = make_password(DEMO_PASSWORD)
    logins = []
    for username, person, role, about in people:
        user = User.objects.create(
            username=username, first_name=person.given_name, last_name=person.family_name, password=password
        )
        totp_device_create(user=user, key_hex=DEMO_TOTP_KEY_HEX)
        person.user = user
        person.save(update_fields=["user"])
        logins.append((username, role, f"{about.given_name} {about.family_name}"))
    return logins
