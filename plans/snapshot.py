"""The plan as agreed, as plain JSON, and a readable difference between two agreed versions.

A snapshot holds display values (names, labels), not only ids: a version must read the same years
later, after people have left and labels have changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from plans.models import Action, ChildPlan, NeedSummary, Participant, StatutoryPlanLink
from wellbeing.labels import Wording, wording_for

# The plan's own fields in a snapshot, in reading order, with their Swedish labels.
FIELD_LABELS = (
    ("kind", _("Typ av plan")),
    ("lead_professional", _("Ansvarig samordnare")),
    ("reasons", _("Skäl till planen")),
    ("risk_level", _("Nuvarande risknivå")),
    ("harmful_behaviour", _("Risk för skadligt beteende")),
    ("risk_triggers", _("Vad utlöser risken")),
    ("risk_effect", _("Hur risken påverkar barnet och andra")),
    ("contingency", _("Beredskapsplan")),
    ("review_arrangements", _("Hur planen följs upp")),
    ("review_interval_weeks", _("Uppföljning var (veckor)")),
)


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _participant(row: Participant) -> dict[str, Any]:
    return {
        "id": row.pk,
        "user_id": row.user_id,
        "name": row.name,
        "role": row.get_role_display(),
        "title": row.title,
        "authority": row.authority.name if row.authority else "",
        "view": row.view,
    }


def _need(row: NeedSummary, wording: Wording) -> dict[str, Any]:
    return {"indicator": wording.label(row.indicator), "summary": row.summary}


def _action(row: Action, wording: Wording) -> dict[str, Any]:
    return {
        "id": row.pk,
        "description": row.description,
        "owner_authority": row.owner_authority.name,
        "owner_person": _person(row.owner_person),
        "resources": row.resources,
        "start": row.start.isoformat(),
        "end": row.end.isoformat(),
        "expected_outcome": row.expected_outcome,
        "indicators": wording.labels(row.indicators),
        "status": row.get_status_display(),
    }


def _link(row: StatutoryPlanLink) -> dict[str, Any]:
    return {"kind": row.get_kind_display(), "reference": row.reference, "held_by": row.held_by}


def plan_snapshot(plan: ChildPlan) -> dict[str, Any]:
    """Return the whole plan (own fields, participants, needs, actions, links) as JSON-ready values.

    Indicators are named in the child's municipality's wording in force (`wellbeing.labels`).
    """
    wording = wording_for(plan.child.municipality_id)
    fields = {
        "kind": plan.get_kind_display(),
        "lead_professional": _person(plan.lead_professional),
        "reasons": plan.reasons,
        "risk_level": plan.get_risk_level_display(),
        "harmful_behaviour": plan.harmful_behaviour,
        "risk_triggers": plan.risk_triggers,
        "risk_effect": plan.risk_effect,
        "contingency": plan.contingency,
        "review_arrangements": plan.review_arrangements,
        "review_interval_weeks": plan.review_interval_weeks,
    }
    return {
        "fields": {name: str(value) for name, value in fields.items()},
        "owner_authority": plan.owner_authority.name,
        "participants": [_participant(row) for row in plan.participants.select_related("authority")],
        "needs": [_need(row, wording) for row in plan.needs.all()],
        "actions": [_action(row, wording) for row in plan.actions.select_related("owner_authority", "owner_person")],
        "links": [_link(row) for row in plan.links.all()],
    }


@dataclass
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class Diff:
    """What changed from one agreed version to another, in words a family can read."""

    fields: list[FieldChange] = field(default_factory=list)
    participants_added: list[dict] = field(default_factory=list)
    participants_removed: list[dict] = field(default_factory=list)
    views_changed: list[FieldChange] = field(default_factory=list)
    actions_added: list[dict] = field(default_factory=list)
    actions_removed: list[dict] = field(default_factory=list)
    actions_changed: list[tuple[str, list[FieldChange]]] = field(default_factory=list)
    needs: list[FieldChange] = field(default_factory=list)
    links_added: list[dict] = field(default_factory=list)
    links_removed: list[dict] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(getattr(self, name) for name in self.__dataclass_fields__)


ACTION_LABELS = (
    ("description", _("Åtgärd")),
    ("owner_authority", _("Ansvarig myndighet")),
    ("owner_person", _("Ansvarig person")),
    ("resources", _("Resurser")),
    ("start", _("Start")),
    ("end", _("Slut")),
    ("expected_outcome", _("Förväntat resultat")),
    ("indicators", _("Indikatorer")),
    ("status", _("Läge")),
)


def _keyed(rows: list[dict], key: str = "id") -> dict:
    return {row[key]: row for row in rows}


def _text(value: Any) -> str:
    return ", ".join(value) if isinstance(value, list) else str(value)


def diff(before: dict[str, Any], after: dict[str, Any]) -> Diff:
    """Compare two snapshots field by field; participants and actions are matched by id."""
    result = Diff()
    for name, label in FIELD_LABELS:
        old, new = before["fields"].get(name, ""), after["fields"].get(name, "")
        if old != new:
            result.fields.append(FieldChange(str(label), old, new))
    old_people, new_people = _keyed(before["participants"]), _keyed(after["participants"])
    result.participants_added = [row for pk, row in new_people.items() if pk not in old_people]
    result.participants_removed = [row for pk, row in old_people.items() if pk not in new_people]
    for pk, row in new_people.items():
        if pk in old_people and old_people[pk]["view"] != row["view"]:
            result.views_changed.append(FieldChange(row["name"], old_people[pk]["view"], row["view"]))
    old_actions, new_actions = _keyed(before["actions"]), _keyed(after["actions"])
    result.actions_added = [row for pk, row in new_actions.items() if pk not in old_actions]
    result.actions_removed = [row for pk, row in old_actions.items() if pk not in new_actions]
    for pk, row in new_actions.items():
        if pk not in old_actions:
            continue
        changes = [
            FieldChange(str(label), _text(old_actions[pk][name]), _text(row[name]))
            for name, label in ACTION_LABELS
            if old_actions[pk][name] != row[name]
        ]
        if changes:
            result.actions_changed.append((row["description"], changes))
    old_needs = {row["indicator"]: row["summary"] for row in before["needs"]}
    new_needs = {row["indicator"]: row["summary"] for row in after["needs"]}
    for indicator in sorted(set(old_needs) | set(new_needs)):
        if old_needs.get(indicator, "") != new_needs.get(indicator, ""):
            result.needs.append(FieldChange(indicator, old_needs.get(indicator, ""), new_needs.get(indicator, "")))
    old_links = {tuple(row.values()) for row in before["links"]}
    new_links = {tuple(row.values()) for row in after["links"]}
    result.links_added = [row for row in after["links"] if tuple(row.values()) not in old_links]
    result.links_removed = [row for row in before["links"] if tuple(row.values()) not in new_links]
    return result
