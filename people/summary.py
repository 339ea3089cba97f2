"""The summary header of a child's working pages (overview and plan): who, how old, who holds the child, what next.

Everything it names goes through `sharing.display` (the one masking decision); the template prints it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from people.models import Child
from sharing import display as display_module


@dataclass(frozen=True)
class Summary:
    name: str
    protected: bool
    age: str
    named_person: str | None  # None: masked (it would locate the child)
    has_named_person: bool
    lead_professional: str | None
    has_lead: bool
    plan_status: str | Promise | None
    plan_url: str | None
    next_review: date | None
    review_overdue: bool
    consents_in_force: int
    consents_waiting: int
    shows_consents: bool


def age_text(child: Child, on: date) -> str | Promise:
    """The child's age in words: years, or months under two, or "expected" before birth."""
    if child.birth_date > on:
        return _("Väntat barn")
    months = (on.year - child.birth_date.year) * 12 + on.month - child.birth_date.month
    if on.day < child.birth_date.day:
        months -= 1
    if months < 24:
        return ngettext("%(n)d månad", "%(n)d månader", months) % {"n": months}
    return ngettext("%(n)d år", "%(n)d år", months // 12) % {"n": months // 12}


def summary_for(
    access, shown: display_module.Display, *, plan, named_person: tuple[bool, str | None], consents=None, plan_url=None
) -> Summary:
    """Return the header for a child loaded by the policy.

    `plan` is the plan in force (or None); `named_person` says whether the child has one and their name as the
    display decision allows it (None: masked); `consents` is the overview's consent summary, if the page has one.
    """
    child = access.child
    lead = None
    if plan is not None and plan.lead_professional_id:
        person = plan.lead_professional
        lead = shown.staff(person.pk, person.get_full_name() or person.get_username())
    review = plan.next_review_on if plan is not None else None
    return Summary(
        name=display_module.page_name(child),
        protected=shown.protected,
        age=age_text(child, access.on),
        named_person=named_person[1],
        has_named_person=named_person[0],
        lead_professional=lead,
        has_lead=plan is not None and plan.lead_professional_id is not None,
        plan_status=plan.get_status_display() if plan is not None else None,
        plan_url=plan_url,
        next_review=review,
        review_overdue=review is not None and review < access.on and plan.is_open,
        consents_in_force=len(consents.active) if consents is not None else 0,
        consents_waiting=consents.waiting if consents is not None else 0,
        shows_consents=consents is not None,
    )
