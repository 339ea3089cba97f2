"""Words for import runs: count labels and summary lines for the command and the admin page."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imports.models import ImportRun

COUNT_LABELS = {
    "children_created": gettext_lazy("nya barn"),
    "names_changed": gettext_lazy("ändrade namn"),
    "protection_changed": gettext_lazy("ändrade skyddade personuppgifter"),
    "custody_started": gettext_lazy("nya vårdnadshavare"),
    "guardian_protection_changed": gettext_lazy("vårdnadshavare med ändrade skyddade personuppgifter"),
    "guardian_names_changed": gettext_lazy("vårdnadshavare med ändrat namn"),
    "adults": gettext_lazy("vuxna i filen (läggs inte in som barn)"),
    "custody_changed": gettext_lazy("ändrade vårdnadsperioder"),
    "custody_ended": gettext_lazy("upphörda vårdnader"),
    "moved_out": gettext_lazy("utflyttade barn"),
    "moved_back": gettext_lazy("återinflyttade barn"),
    "deceased": gettext_lazy("avlidna barn"),
    "assignments_ended": gettext_lazy("avslutade uppdrag som namngiven person"),
    "handovers_withdrawn": gettext_lazy("återkallade överlämningar"),
    "rejected": gettext_lazy("avvisade poster"),
    "not_created": gettext_lazy("poster som inte lades in"),
    "not_handled": gettext_lazy("poster att kontrollera"),
    "enrolments_created": gettext_lazy("nya inskrivningar och placeringar"),
    "enrolments_ended": gettext_lazy("avslutade inskrivningar och placeringar"),
    "handovers_proposed": gettext_lazy("nya förslag om överlämning"),
    "memberships_created": gettext_lazy("nya roller för personal"),
    "memberships_ended": gettext_lazy("avslutade roller för personal"),
    "unmapped": gettext_lazy("uppgifter som inte kunde kopplas"),
}


def counted(run: ImportRun) -> list[tuple[str, int]]:
    """Return (label, count) for every non-zero count of the run, in a fixed order."""
    return [(str(label), run.counts[key]) for key, label in COUNT_LABELS.items() if run.counts.get(key)]


def summary_lines(run: ImportRun) -> list[str]:
    """Return the lines a command prints after a run."""
    lines = [
        f"{run.get_kind_display()}: {run.get_status_display()}" + (f" ({_('provkörning')})" if run.dry_run else "")
    ]
    if run.error:
        lines.append(run.error)
    lines += [f"  {label}: {count}" for label, count in counted(run)]
    if not run.counts:
        lines.append("  " + _("inga ändringar"))
    lines += [f"  – {text}" for text in run.unmapped[:50]]
    return lines
