"""Suggest interventions for a child from what the user may already see: the latest wheel, the plan's needs, the age.

The caller hands in the child's access (`sharing.policy.child_for_user`); the wheel and the plan are
read through the policy's selectors, so a user who may not see them gets suggestions from the age
alone. Each suggestion carries its reasons in words.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from catalogue import present, selectors
from catalogue.models import Intervention, Level
from plans.selectors import plans_for
from sharing import policy
from wellbeing.indicators import Indicator
from wellbeing.models import Assessment
from wellbeing.selectors import assessments_for

# Wheel scores (1 very bad – 5 very good) of 3 or lower are needs to suggest support for.
SELECTIVE_AT = 3
# The wheel scores each level of support fits best: indicated for 1–2, selective for 2–3, universal for 3.
FITTING_LEVEL = {Level.INDICATED: {1, 2}, Level.SELECTIVE: {2, 3}, Level.UNIVERSAL: {3}}
MAX_SUGGESTIONS = 10


@dataclass(frozen=True)
class Basis:
    """What the suggestions rest on: the child's age, the latest wheel's scores and the plan's needs."""

    age: int
    scores: dict[str, int]
    assessed_on: object
    plan_needs: list[str]
    rows: list  # records read (for the shared-read log)


@dataclass(frozen=True)
class Suggestion:
    intervention: Intervention
    reasons: list[str]
    score: int


def basis_for(access: policy.ChildAccess) -> Basis:
    """Read the child's age, latest wheel and open plan's needs through the policy."""
    rows: list = []
    latest = assessments_for(access, Assessment.Kind.WHEEL).first()
    scores = {rating.indicator: rating.score for rating in latest.ratings.all()} if latest else {}
    if latest:
        rows.append(latest)
    plan = plans_for(access).prefetch_related("needs").first()
    plan_needs = []
    if plan is not None and plan.is_open:
        rows.append(plan)
        plan_needs = sorted(need.indicator for need in plan.needs.all())
    age = policy.age_on(access.child.birth_date, access.on)
    return Basis(
        age=age, scores=scores, assessed_on=latest.assessed_on if latest else None, plan_needs=plan_needs, rows=rows
    )


def label(code: str) -> str:
    return str(Indicator(code).label)


def suggestions(user, basis: Basis, *, limit: int = MAX_SUGGESTIONS, within=None) -> list[Suggestion]:
    """Rank the interventions of the user's municipalities that fit the child's age and needs, with reasons.

    `within`: a queryset of interventions to choose from instead (the choices of a referral form).
    """
    low = {code: score for code, score in basis.scores.items() if score <= SELECTIVE_AT}
    wanted = set(low) | set(basis.plan_needs)
    offered = selectors.interventions_for(user) if within is None else within
    candidates = offered.filter(min_age__lte=basis.age, max_age__gte=basis.age)
    if wanted:
        candidates = candidates.filter(needs__indicator__in=wanted).distinct()
    found = []
    for item in candidates:
        needs = {need.indicator for need in item.needs.all()}
        reasons, score = [], 0
        for code in sorted(needs & set(low), key=lambda c: low[c]):
            fits = low[code] in FITTING_LEVEL[item.level]
            reasons.append(
                _("%(level)s insats för %(indicator)s (skattat %(score)d av 5)")
                % {"level": item.get_level_display(), "indicator": label(code), "score": low[code]}
            )
            score += (6 - low[code]) * (2 if fits else 1)
        for code in sorted(needs & set(basis.plan_needs)):
            reasons.append(_("möter planens behov under %(indicator)s") % {"indicator": label(code)})
            score += 3
        reasons.append(_("ålder %(age)d passar") % {"age": basis.age})
        reasons.append(_("väntetid %(waiting)s") % {"waiting": present.waiting(item.waiting_weeks).lower()})
        if item.waiting_weeks is not None:
            score -= min(item.waiting_weeks, 12) // 4
        found.append(Suggestion(item, reasons, score))
    found.sort(key=lambda s: (-s.score, s.intervention.waiting_weeks is None, s.intervention.waiting_weeks or 0))
    return found[:limit]
