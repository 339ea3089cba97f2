"""Merging a refused edit of the plan field by field: the user's value, the saved value, and a choice for each.

The edit form carries, for every field, the value it had when the page was opened (Django's hidden
initial). With it a field the user did not touch takes the saved value, a field only the user
changed keeps the user's value, and a field both changed differently waits for the user to choose.
Every differing field is shown, so nothing is overwritten unseen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from plans.forms import PLAN_FIELDS, PlanForm
from plans.models import Kind, RiskLevel

MINE, THEIRS = "mine", "theirs"
CHOICE_LABELS = {"kind": dict(Kind.choices), "risk_level": dict(RiskLevel.choices)}


def _norm(value) -> str:
    return ("" if value is None else str(value)).replace("\r\n", "\n").strip()


def _raw(plan, name: str) -> str:
    """Return a plan field's value as the edit form would submit it."""
    if name == "lead_professional":
        return str(plan.lead_professional_id or "")
    value = getattr(plan, name)
    if isinstance(value, date):
        return value.isoformat()
    return _norm(value)


def _display(name: str, raw: str, people: dict[str, str]) -> str:
    if name == "lead_professional":
        return people.get(raw, "") if raw else ""
    return str(CHOICE_LABELS.get(name, {}).get(raw, raw))


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
    """What the refused save and the saved plan hold, field by field."""

    version: int
    values: dict[str, tuple[str, str]]  # name -> (mine, theirs), raw
    rows: list[Row] = field(default_factory=list)
    saved_by: str = ""
    saved_at: object = None

    @classmethod
    def _rows(cls, values, bases, choices, leads) -> list[Row]:
        people = {str(user.pk): user.get_full_name() or user.get_username() for user in leads}
        rows = []
        for name in PLAN_FIELDS:
            mine, theirs = values[name]
            if _norm(mine) == _norm(theirs):
                continue
            choice = choices.get(name)
            if choice is None and bases is not None:
                base = _norm(bases.get(name))
                choice = THEIRS if _norm(mine) == base else MINE if _norm(theirs) == base else None
            label = str(PlanForm.base_fields[name].label)
            rows.append(
                Row(name, label, mine, theirs, _display(name, mine, people), _display(name, theirs, people), choice)
            )
        return rows

    @classmethod
    def build(cls, form, current, leads) -> Conflict:
        """Compare the refused form with the plan as saved now."""
        values = {name: (_norm(form.data.get(name, "")), _raw(current, name)) for name in PLAN_FIELDS}
        bases = {name: form.data.get(form.add_initial_prefix(name)) for name in PLAN_FIELDS}
        who = current.updated_by
        return cls(
            version=current.version,
            values=values,
            rows=cls._rows(values, bases, {}, leads),
            saved_by=(who.get_full_name() or who.get_username()) if who else "",
            saved_at=current.updated_at,
        )

    @classmethod
    def from_post(cls, post, leads) -> Conflict:
        """Rebuild the merge page from its own submission (when a choice was missing)."""
        values = {name: (post.get(f"{MINE}_{name}", ""), post.get(f"{THEIRS}_{name}", "")) for name in PLAN_FIELDS}
        choices = {name: post.get(f"choice_{name}") for name in PLAN_FIELDS if post.get(f"choice_{name}")}
        return cls(version=int(post.get("version") or 0), values=values, rows=cls._rows(values, None, choices, leads))


def resolve(post) -> tuple[dict[str, str], bool]:
    """Turn the merge page's choices into edit-form data based on the saved values; say if a choice is missing."""
    data = {"version": post.get("version", "")}
    unresolved = False
    for name in PLAN_FIELDS:
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
    return data, unresolved
