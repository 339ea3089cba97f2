"""Reads for the API: the user's visible children with the basis of access and whether identity may be listed."""

from __future__ import annotations

from datetime import date

from django.db.models import Case, CharField, Q, QuerySet, Value, When

from people.models import Child
from sharing import policy

MAX_SEARCH_TERMS = 5


def children_for_api(user, *, on: date, search: str = "") -> QuerySet[Child]:
    """Return the visible children in a stable order, each annotated with `basis` and `identity_shown`.

    Visibility and the annotations are the policy's own (`visible_children`, `with_access`, which
    `child_for_user` uses too), so the basis written to the audit log and the protected-identity
    decision match the child page exactly.
    """
    children = policy.with_access(policy.visible_children(user, on=on), user, on=on).annotate(
        # Masked children sort after the others by id alone, so their place in the list reveals nothing of the name.
        sort_family=Case(When(identity_shown=True, then="family_name"), default=Value(""), output_field=CharField()),
        sort_given=Case(When(identity_shown=True, then="given_name"), default=Value(""), output_field=CharField()),
    )
    for term in search.split()[:MAX_SEARCH_TERMS]:
        # A name search never matches a masked child: a hit would tell the name.
        children = children.filter(
            Q(identity_shown=True) & (Q(given_name__icontains=term) | Q(family_name__icontains=term))
        )
    return children.order_by("-identity_shown", "sort_family", "sort_given", "pk")
