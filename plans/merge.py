"""Merging a refused edit of the plan, or of one of its actions, field by field: the user's value, the saved value.

The edit form carries, for every field, the value it had when the page was opened (Django's hidden
initial). With it a field the user did not touch takes the saved value, a field only the user
changed keeps the user's value, and a field both changed differently waits for the user to choose.
Every differing field is shown, so nothing is overwritten unseen. A `Spec` says which fields an
edit has and how to read and show them; the plan and the action each have one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from plans.forms import ACTION_FIELDS, PLAN_FIELDS, ActionEditForm, PlanForm
from plans.models import Action, Kind, RiskLevel

MINE, THEIRS = "mine", "theirs"
CHOICE_LABELS = {
    "kind": dict(Kind.choices),
    "risk_level": dict(RiskLevel.choices),
    "status": dict(Action.State.choices),
}
# A field of several values (checkboxes) travels through the merge page as one comma-separated value.
SEPARATOR = ","


def _norm(value) -> str:
    return ("" if value is None else str(value)).replace("\r\n", "\n").strip()


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


@dataclass(frozen=True)
class Spec:
    """What one kind of edit holds: its fields and labels, how the saved object reads, how a value is shown."""

    fields: list[str]
    labels: dict[str, str]
    raw: Callable[[object, str], str]
    shown: Callable[[str, str], str]
    multi: frozenset[str] = frozenset()

    def posted(self, data, name: str) -> str:
        """Return a field's submitted value as one string (several values joined, in a fixed order)."""
        if name in self.multi:
            values = data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []
            return SEPARATOR.join(sorted(values))
        return data.get(name)


def _plan_raw(plan, name: str) -> str:
    """Return a plan field's value as the edit form would submit it."""
    if name == "lead_professional":
        return str(plan.lead_professional_id or "")
    value = getattr(plan, name)
    if isinstance(value, date):
        return value.isoformat()
    return _norm(value)


def plan_spec(leads) -> Spec:
    """Return the spec of the plan's own fields; `leads` names the people a lead value may be."""
    people = {str(user.pk): _name(user) for user in leads}

    def shown(name: str, raw: str) -> str:
        if name == "lead_professional":
            return people.get(raw, "") if raw else ""
        return str(CHOICE_LABELS.get(name, {}).get(raw, raw))

    labels = {name: str(PlanForm.base_fields[name].label) for name in PLAN_FIELDS}
    return Spec(fields=PLAN_FIELDS, labels=labels, raw=_plan_raw, shown=shown)


def _action_raw(action, name: str) -> str:
    """Return an action field's value as the edit form would submit it."""
    if name in ("owner_authority", "owner_person"):
        return str(getattr(action, f"{name}_id") or "")
    value = getattr(action, name)
    if name == "indicators":
        return SEPARATOR.join(sorted(value or []))
    if isinstance(value, date):
        return value.isoformat()
    return _norm(value)


def action_spec(authorities, people, indicators: dict[str, str]) -> Spec:
    """Return the spec of an action's fields; `authorities` and `people` name the ids an owner value may be.

    `indicators` names the indicator codes in the child's municipality's wording (`wellbeing.labels`).
    """
    names = {
        "owner_authority": {str(row.pk): row.name for row in authorities},
        "owner_person": {str(user.pk): _name(user) for user in people},
    }

    def shown(name: str, raw: str) -> str:
        if name in names:
            return names[name].get(raw, "") if raw else ""
        if name == "indicators":
            return ", ".join(str(indicators.get(code, code)) for code in raw.split(SEPARATOR) if code)
        return str(CHOICE_LABELS.get(name, {}).get(raw, raw))

    labels = {name: str(ActionEditForm.base_fields[name].label) for name in ACTION_FIELDS}
    return Spec(fields=ACTION_FIELDS, labels=labels, raw=_action_raw, shown=shown, multi=frozenset({"indicators"}))


@dataclass
class Row:
    name: str
    label: str
    mine: str
    theirs: str
    mine_shown: str
    theirs_shown: str
    choice: str | None  # MINE, THEIRS, or None when the user must choose


@dataclass
class Conflict:
    """What the refused save and the saved object hold, field by field."""

    version: int
    values: dict[str, tuple[str, str]]  # name -> (mine, theirs), raw
    rows: list[Row] = field(default_factory=list)
    saved_by: str = ""
    saved_at: object = None

    @classmethod
    def _rows(cls, spec: Spec, values, bases, choices) -> list[Row]:
        rows = []
        for name in spec.fields:
            mine, theirs = values[name]
            if _norm(mine) == _norm(theirs):
                continue
            choice = choices.get(name)
            if choice is None and bases is not None:
                base = _norm(bases.get(name))
                choice = THEIRS if _norm(mine) == base else MINE if _norm(theirs) == base else None
            rows.append(
                Row(name, spec.labels[name], mine, theirs, spec.shown(name, mine), spec.shown(name, theirs), choice)
            )
        return rows

    @classmethod
    def build(cls, form, current, spec: Spec) -> Conflict:
        """Compare the refused form with the object as saved now."""
        values = {name: (_norm(spec.posted(form.data, name)), spec.raw(current, name)) for name in spec.fields}
        bases = {name: spec.posted(form.data, form.add_initial_prefix(name)) for name in spec.fields}
        who = getattr(current, "updated_by", None)
        return cls(
            version=current.version,
            values=values,
            rows=cls._rows(spec, values, bases, {}),
            saved_by=_name(who) if who else "",
            saved_at=getattr(current, "updated_at", None),
        )

    @classmethod
    def from_post(cls, post, spec: Spec) -> Conflict:
        """Rebuild the merge page from its own submission (when a choice was missing)."""
        values = {name: (post.get(f"{MINE}_{name}", ""), post.get(f"{THEIRS}_{name}", "")) for name in spec.fields}
        choices = {name: post.get(f"choice_{name}") for name in spec.fields if post.get(f"choice_{name}")}
        return cls(version=int(post.get("version") or 0), values=values, rows=cls._rows(spec, values, None, choices))


def resolve(post, spec: Spec) -> tuple[dict, bool]:
    """Turn the merge page's choices into edit-form data based on the saved values; say if a choice is missing."""
    data: dict = {"version": post.get("version", "")}
    unresolved = False
    for name in spec.fields:
        mine, theirs = post.get(f"{MINE}_{name}", ""), post.get(f"{THEIRS}_{name}", "")
        choice = post.get(f"choice_{name}")
        if _norm(mine) == _norm(theirs):
            data[name] = mine
        elif choice in (MINE, THEIRS):
            data[name] = mine if choice == MINE else theirs
        else:
            unresolved = True
        # The saved values are the base of this save: if it is refused again, the next merge starts from them.
        data[f"initial-{name}"] = theirs
        if name in spec.multi:
            for key in (name, f"initial-{name}"):
                data[key] = [code for code in data.get(key, "").split(SEPARATOR) if code]
    return data, unresolved
