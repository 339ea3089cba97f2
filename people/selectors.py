"""Reads for the staff pages about children: the list, and the parts of one child's overview.

Children are found only through `sharing.policy`; these functions add the joins and the
protected-identity annotations the pages need. The overview runs a number of queries that does not
grow with the child's history, and none whose cost grows with the user's caseload.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Case,
    CharField,
    DateField,
    Q,
    QuerySet,
    Value,
    When,
)

from namedperson.models import Assignment
from people.models import Child, ContactDetails, Enrolment, Guardianship, SiblingLink
from sharing import policy
from sharing.policy import ChildAccess

SORTS = ("namn", "fodd")
MAX_SEARCH_TERMS = 5


def with_identity(children: QuerySet[Child], user, *, on: date) -> QuerySet[Child]:
    """Annotate each child with the policy's `basis` and `identity_shown`, plus masked-safe sort keys.

    A protected child the user has no explicit need to recognise is listed without name or birth
    date, and sorts by id alone, so its place in the list tells nothing of name or age.
    """
    return policy.with_access(children, user, on=on).annotate(
        sort_family=Case(When(identity_shown=True, then="family_name"), default=Value(""), output_field=CharField()),
        sort_given=Case(When(identity_shown=True, then="given_name"), default=Value(""), output_field=CharField()),
        sort_born=Case(When(identity_shown=True, then="birth_date"), default=None, output_field=DateField()),
    )


def children_for_list(user, *, on: date, search: str = "", sort: str = "namn") -> QuerySet[Child]:
    """Return the children the user may see, searched by name and sorted, masked children last."""
    children = with_identity(policy.visible_children(user, on=on), user, on=on)
    for term in search.split()[:MAX_SEARCH_TERMS]:
        # A name search never matches a masked child: a hit would tell its name.
        children = children.filter(
            Q(identity_shown=True) & (Q(given_name__icontains=term) | Q(family_name__icontains=term))
        )
    if sort == "fodd":
        return children.order_by("-identity_shown", "sort_born", "sort_family", "sort_given", "pk")
    return children.order_by("-identity_shown", "sort_family", "sort_given", "pk")


@dataclass
class Overview:
    """Everything the child overview page shows, already filtered and masked for the user."""

    access: ChildAccess
    contact: ContactDetails | None
    guardianships: list[Guardianship]
    siblings: list[Child]
    enrolments: list[Enrolment]
    named_persons: list[Assignment]


def siblings_for(user, access: ChildAccess) -> list[Child]:
    """Return the child's siblings (shared guardian or recorded link) that the user may see in their own right.

    The few candidate siblings are found first, through the child's own guardians and links; only
    they are then checked against the policy, each on its own (`policy.checked_children`, the rules of
    `visible_children(among=...)`), so the cost does not grow with the user's caseload. They are few, so
    they are sorted here: identifiable siblings by birth date, then masked ones by id, as
    `children_for_list` sorts.
    """
    child = access.child
    guardians = Guardianship.objects.filter(child=child).values("guardian")
    candidates = (
        Guardianship.objects.filter(guardian__in=guardians)
        .values_list("child", flat=True)
        .union(SiblingLink.objects.filter(child=child).values_list("sibling", flat=True))
        .union(SiblingLink.objects.filter(sibling=child).values_list("child", flat=True))
    )
    candidate_ids = [pk for pk in candidates if pk != child.pk]
    if not candidate_ids:
        return []  # an only child: nothing for the policy to check
    siblings = policy.checked_children(user, candidate_ids, on=access.on, mine=access.memberships)
    return sorted(siblings, key=_sibling_order)


def _sibling_order(sibling: Child) -> tuple:
    """Sort key: identifiable first, by birth date (unknown last), then masked, by id alone."""
    born = sibling.birth_date if sibling.identity_shown else None
    return (not sibling.identity_shown, born is None, born or date.min, sibling.pk)


def enrolments_for(access: ChildAccess) -> list[Enrolment]:
    """Return the enrolments the user may see (own authority's records), newest first."""
    queryset = Enrolment.objects.select_related("unit", "unit__authority").order_by("-start", "-pk")
    return list(policy.records_for_user(access, queryset))


def named_persons_for(access: ChildAccess) -> list[Assignment]:
    """Return the named-person history, newest first (open to every relation by its category)."""
    queryset = Assignment.objects.select_related("person", "unit").order_by("-start", "-pk")
    return list(policy.records_for_user(access, queryset))


def child_overview(user, access: ChildAccess) -> Overview:
    """Load the overview of a child the policy has already let the user see."""
    return Overview(
        access=access,
        contact=policy.contact_details_for(access),
        guardianships=policy.guardianships_for(access),
        siblings=siblings_for(user, access),
        enrolments=enrolments_for(access),
        named_persons=named_persons_for(access),
    )
