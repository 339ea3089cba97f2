"""Words for import runs: count labels and summary lines for the command and the admin page."""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imports import ss12000
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


# What an SS12000 sync is doing, step by step (`ss12000.STEPS`), for the progress line of a running sync.
STEP_LABELS = {
    "organisations": gettext_lazy("Läser skolenheterna"),
    "persons": gettext_lazy("Läser elever, personal och inskrivningar"),
    "placements": gettext_lazy("Läser placeringar i förskolan"),
    "duties": gettext_lazy("Läser personalens tjänstgöringar"),
    "deleted": gettext_lazy("Läser det som har tagits bort"),
    "handovers": gettext_lazy("Föreslår överlämningar till ny namngiven person"),
}


def step(run: ImportRun) -> str:
    """Return, for a running SS12000 sync, what it is doing now in words ("" for anything else)."""
    if run.kind != ImportRun.Kind.SS12000 or run.status != ImportRun.Status.RUNNING:
        return ""
    if run.dry_run:
        # A dry run holds every step in one transaction, rolled back, so its progress is not written as it goes.
        return _("Provkörningen pågår. Rapporten visas när den är klar.")
    current = ss12000.STEPS[min(run.processed, len(ss12000.STEPS) - 1)]
    return _("%(step)s (steg %(number)d av %(total)d)") % {
        "step": STEP_LABELS[current],
        "number": min(run.processed + 1, len(ss12000.STEPS)),
        "total": len(ss12000.STEPS),
    }


def scope(run: ImportRun) -> str:
    """Return what an SS12000 sync read, in words: everything, or the changes after a moment ("" for Navet)."""
    if run.kind != ImportRun.Kind.SS12000:
        return ""
    if run.modified_after is not None:
        moment = formats.date_format(timezone.localtime(run.modified_after), "Y-m-d H:i")
        return _("Ändringar sedan %(moment)s (förra körningen)") % {"moment": moment}
    if run.full:
        return _("Allt, från början")
    return _("Ändringar sedan förra körningen")


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
