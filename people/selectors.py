"""Reads for the staff pages about children: the list, and the parts of one child's overview.

Children are found only through `sharing.policy`; these functions add the joins and the
protected-identity annotations the pages need. The overview runs a number of queries that does not
grow with the child's history, and none whose cost grows with the user's caseload.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.core import signing

from core.batch import Batch, at_once
from namedperson.models import Assignment
from people.models import Child, ContactDetails, Enrolment, Guardianship, SiblingLink
from sharing import policy
from sharing.access_relation import search_terms as fold_terms
from sharing.policy import ChildAccess

# The list's sort orders as the URL names them: (key, descending).
SORTS = {"namn": ("name", False), "namn_omvand": ("name", True), "fodd": ("born", False), "fodd_omvand": ("born", True)}
MAX_SEARCH_TERMS = 5
CURSOR_SALT = "people.child_list.cursor"


@dataclass(frozen=True)
class ChildListPage:
    """One page of the child list: the children in order, with `basis` and `identity_shown`, and its neighbours."""

    children: list[Child]
    count: int
    count_capped: bool  # more than `policy.COUNT_CAP` children match
    next_cursor: str | None
    previous_cursor: str | None


def sign_cursor(cursor: policy.Cursor, sort: str, search: str) -> str:
    """Return the cursor as an opaque signed token: the child's id only, never its name or birth date."""
    return signing.dumps([cursor.child_id.hex, cursor.masked, cursor.before], salt=f"{CURSOR_SALT}:{sort}:{search}")


def read_cursor(token: str, sort: str, search: str) -> policy.Cursor | None:
    """Return the cursor a token signed for this sort and search, or None (a bad token starts from the top)."""
    try:
        child, masked, before = signing.loads(token, salt=f"{CURSOR_SALT}:{sort}:{search}")
        return policy.Cursor(UUID(child), bool(masked), bool(before))
    except (signing.BadSignature, ValueError, TypeError):
        return None


def children_for_list(user, *, on: date, search: str = "", sort: str = "namn", cursor: str = "") -> ChildListPage:
    """Return one page of the children the user may see, searched by name and sorted, masked children last.

    The page is found over the precomputed access relation (`policy.visible_page`), so its cost does
    not grow with the user's caseload; the page's children are then loaded with their basis and
    identity, each checked on its own (`policy.checked_children`).
    """
    key, descending = SORTS[sort]
    terms = fold_terms(search)[:MAX_SEARCH_TERMS]
    page = policy.visible_page(
        user,
        on=on,
        sort=key,
        descending=descending,
        terms=terms,
        cursor=read_cursor(cursor, sort, search) if cursor else None,
    )
    loaded = {child.pk: child for child in policy.checked_children(user, page.child_ids, on=on)}
    children = [loaded[pk] for pk in page.child_ids if pk in loaded]

    def token(child: Child, *, before: bool) -> str:
        return sign_cursor(policy.Cursor(child.pk, child.pk in page.masked, before), sort, search)

    return ChildListPage(
        children=children,
        count=page.count,
        count_capped=page.count_capped,
        next_cursor=token(children[-1], before=False) if page.has_next and children else None,
        previous_cursor=token(children[0], before=True) if page.has_previous and children else None,
    )


@dataclass
class Overview:
    """Everything the child overview page shows, already filtered and masked for the user."""

    access: ChildAccess
    contact: ContactDetails | None
    guardianships: list[Guardianship]
    siblings: list[Child]
    enrolments: list[Enrolment]
    named_persons: list[Assignment]


def sibling_candidates(access: ChildAccess):
    """Return the ids of the children sharing a guardian with the child, or linked to it as siblings (with itself)."""
    child = access.child
    guardians = Guardianship.objects.filter(child=child).values("guardian")
    return (
        Guardianship.objects.filter(guardian__in=guardians)
        .values_list("child", flat=True)
        .union(SiblingLink.objects.filter(child=child).values_list("sibling", flat=True))
        .union(SiblingLink.objects.filter(sibling=child).values_list("child", flat=True))
    )


def siblings_for(user, access: ChildAccess, candidates=None) -> list[Child]:
    """Return the child's siblings (shared guardian or recorded link) that the user may see in their own right.

    The few candidate siblings are found first, through the child's own guardians and links (or given,
    already read as `sibling_candidates`); only they are then checked against the policy, each on its own
    (`policy.checked_children`, the rules of `visible_children(among=...)`), so the cost does not grow
    with the user's caseload. They are few, so they are sorted here: identifiable siblings by birth date,
    then masked ones by id, as `children_for_list` sorts.
    """
    child = access.child
    candidates = candidates if candidates is not None else sibling_candidates(access)
    candidate_ids = [pk for pk in candidates if pk != child.pk]
    if not candidate_ids:
        return []  # an only child: nothing for the policy to check
    siblings = policy.checked_children(user, candidate_ids, on=access.on, mine=access.memberships)
    return sorted(siblings, key=_sibling_order)


def _sibling_order(sibling: Child) -> tuple:
    """Sort key: identifiable first, by birth date (unknown last), then masked, by id alone."""
    born = sibling.birth_date if sibling.identity_shown else None
    return (not sibling.identity_shown, born is None, born or date.min, sibling.pk)


def enrolment_rows(access: ChildAccess):
    """Return the enrolments the user may see (own authority's records), newest first, as a queryset."""
    queryset = Enrolment.objects.select_related("unit", "unit__authority").order_by("-start", "-pk")
    return policy.records_for_user(access, queryset)


def named_person_rows(access: ChildAccess):
    """Return the named-person history, newest first (open to every relation by its category), as a queryset."""
    queryset = Assignment.objects.select_related("person", "unit").order_by("-start", "-pk")
    return policy.records_for_user(access, queryset)


def enrolments_for(access: ChildAccess) -> list[Enrolment]:
    """Return the enrolments the user may see (own authority's records), newest first."""
    return list(enrolment_rows(access))


def named_persons_for(access: ChildAccess) -> list[Assignment]:
    """Return the named-person history, newest first (open to every relation by its category)."""
    return list(named_person_rows(access))


def overview_reads(user, access: ChildAccess, batch: Batch) -> Callable[[], Overview]:
    """Add the overview's own reads to a batch; return what builds the `Overview` once the batch has run.

    The address (when the user may see it), the guardians, the sibling candidates, the enrolments and the
    named persons are read with the page's other panels in one statement; only candidate siblings, if
    there are any, are then checked against the policy (one more query).
    """
    rows = policy.contact_details_rows(access)
    contact = batch.first(rows) if rows is not None else None
    guardianships = batch.add(policy.guardianship_rows(access))
    candidates = batch.add(sibling_candidates(access))
    enrolments = batch.add(enrolment_rows(access))
    named_persons = batch.add(named_person_rows(access))

    def finish() -> Overview:
        return Overview(
            access=access,
            contact=contact.value if contact is not None else None,
            guardianships=guardianships.value,
            siblings=siblings_for(user, access, candidates=candidates.value),
            enrolments=enrolments.value,
            named_persons=named_persons.value,
        )

    return finish


def child_overview(user, access: ChildAccess) -> Overview:
    """Load the overview of a child the policy has already let the user see."""
    return at_once(lambda batch: overview_reads(user, access, batch))
