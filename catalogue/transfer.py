"""CSV and Excel export and import of the catalogue, with tablib (and openpyxl underneath).

The columns are Swedish words, and so are the values (levels, routes, needs, yes/no): the file is
read by people and comes back the same way. An import is all or nothing: every row is checked
first, and one bad row (or a bad file) leaves the catalogue untouched with a report of each reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from catalogue import services
from catalogue.models import OLDEST, PREGNANCY, Colour, Intervention, Level, Provider, Route
from wellbeing.indicators import Indicator

COLUMNS = (
    "Utförare",
    "Namn",
    "Beskrivning",
    "Beskrivning på engelska",
    "Målgrupp",
    "Från ålder",
    "Till ålder",
    "Behov",
    "Nyckelord",
    "Nivå",
    "Färgnivå",
    "Hur man får insatsen",
    "Kräver samtycke",
    "Kräver beslut",
    "Kapacitet",
    "Väntetid i veckor",
    "Väntetid bekräftad",
    "Kunskapsunderlag",
    "Kontakt",
    "Öppettider",
    "Visas för allmänheten",
)
REQUIRED = ("Utförare", "Namn", "Beskrivning", "Målgrupp", "Från ålder", "Till ålder", "Nivå", "Hur man får insatsen")
PREGNANCY_WORD = "graviditet"
YES, NO = "ja", "nej"
MAX_ROWS = 2000


def _words(choices) -> dict[str, str]:
    """Map each choice's Swedish words (lower case) to its code."""
    return {str(label).lower(): value for value, label in choices}


def _age_text(age: int) -> str:
    return PREGNANCY_WORD if age == PREGNANCY else str(age)


def dataset_for(interventions: QuerySet[Intervention]) -> tablib.Dataset:
    """Return the interventions as a dataset with Swedish headers and words."""
    data = tablib.Dataset(headers=list(COLUMNS), title="Insatser")
    with translation.override("sv"):
        for item in interventions.select_related("provider").prefetch_related("needs"):
            needs = ", ".join(sorted(str(Indicator(need.indicator).label) for need in item.needs.all()))
            data.append(
                [
                    item.provider.name,
                    item.name,
                    item.description,
                    item.description_en,
                    item.target_group,
                    _age_text(item.min_age),
                    _age_text(item.max_age),
                    needs,
                    item.keywords,
                    item.get_level_display(),
                    item.get_colour_display() if item.colour else "",
                    item.get_route_display(),
                    YES if item.needs_consent else NO,
                    YES if item.needs_decision else NO,
                    item.capacity,
                    "" if item.waiting_weeks is None else item.waiting_weeks,
                    item.waiting_confirmed_on.isoformat() if item.waiting_confirmed_on else "",
                    item.evidence,
                    item.contact,
                    item.opening_hours,
                    YES if item.public else NO,
                ]
            )
    return data


@dataclass
class Report:
    """What an import found: the problems by row (0 for the file itself), and what it did."""

    problems: list[tuple[int, str]] = field(default_factory=list)
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, row: int, message: str) -> None:
        self.problems.append((row, message))


def load(content: bytes, filename: str) -> tablib.Dataset:
    """Read a CSV or Excel file; raise ValueError with a Swedish message when it is neither."""
    name = filename.lower()
    try:
        if name.endswith(".xlsx"):
            return tablib.Dataset().load(content, format="xlsx")
        if name.endswith(".csv"):
            return tablib.Dataset().load(content.decode("utf-8-sig"), format="csv")
    except Exception as exc:  # tablib raises many kinds for a broken file; each means the same to the user
        raise ValueError(
            _("Filen kunde inte läsas. Spara den som CSV (UTF-8) eller Excel (.xlsx) och försök igen.")
        ) from exc
    raise ValueError(_("Filen måste vara en CSV-fil eller en Excel-fil (.xlsx)."))


def _text(row: dict, column: str) -> str:
    value = row.get(column)
    return "" if value is None else str(value).strip()


class _RowError(Exception):
    pass


def _whole(text: str) -> int | None:
    """Return a whole number written as text ("7", or "7.0" from a spreadsheet cell), or None."""
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def _age(text: str, column: str) -> int:
    if text.lower() == PREGNANCY_WORD:
        return PREGNANCY
    age = _whole(text)
    if age is None or not PREGNANCY <= age <= OLDEST:
        raise _RowError(
            _("%(column)s ska vara ett helt antal år mellan 0 och %(oldest)d, eller ”graviditet”, inte ”%(value)s”.")
            % {"column": column, "oldest": OLDEST, "value": text}
        )
    return age


def _choice(text: str, column: str, words: dict[str, str], *, blank_ok: bool = False) -> str:
    if not text and blank_ok:
        return ""
    code = words.get(text.lower())
    if code is None:
        raise _RowError(
            _("%(column)s ”%(value)s” finns inte. Välj en av: %(choices)s.")
            % {"column": column, "value": text, "choices": ", ".join(words)}
        )
    return code


def _yes(text: str, column: str) -> bool:
    if text.lower() not in {YES, NO, ""}:
        raise _RowError(_("%(column)s ska vara ”ja” eller ”nej”.") % {"column": column})
    return text.lower() == YES


def _weeks(text: str) -> int | None:
    if not text:
        return None
    weeks = _whole(text)
    if weeks is None or not 0 <= weeks <= 104:
        raise _RowError(_("Väntetid i veckor ska vara ett helt antal veckor mellan 0 och 104."))
    return weeks


def _confirmed(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise _RowError(_("Väntetid bekräftad ska vara ett datum som 2026-03-01.")) from None


def _needs(text: str) -> list[str]:
    words = _words(Indicator.choices)
    codes = []
    for word in filter(None, (part.strip() for part in text.split(","))):
        codes.append(_choice(word, "Behov", words))
    return codes


def _intervention(row: dict, provider: Provider, existing: Intervention | None) -> tuple[Intervention, list[str]]:
    item = existing or Intervention(provider=provider, name=_text(row, "Namn"))
    item.description = _text(row, "Beskrivning")
    item.description_en = _text(row, "Beskrivning på engelska")
    item.target_group = _text(row, "Målgrupp")
    item.min_age = _age(_text(row, "Från ålder"), "Från ålder")
    item.max_age = _age(_text(row, "Till ålder"), "Till ålder")
    if item.min_age > item.max_age:
        raise _RowError(_("Till ålder kan inte vara lägre än Från ålder."))
    item.keywords = _text(row, "Nyckelord")
    item.level = _choice(_text(row, "Nivå"), "Nivå", _words(Level.choices))
    item.colour = _choice(_text(row, "Färgnivå"), "Färgnivå", _words(Colour.choices), blank_ok=True)
    item.route = _choice(_text(row, "Hur man får insatsen"), "Hur man får insatsen", _words(Route.choices))
    item.needs_consent = _yes(_text(row, "Kräver samtycke"), "Kräver samtycke")
    item.needs_decision = _yes(_text(row, "Kräver beslut"), "Kräver beslut")
    item.capacity = _text(row, "Kapacitet")
    item.waiting_weeks = _weeks(_text(row, "Väntetid i veckor"))
    item.waiting_confirmed_on = _confirmed(_text(row, "Väntetid bekräftad"))
    item.evidence = _text(row, "Kunskapsunderlag")
    item.contact = _text(row, "Kontakt")
    item.opening_hours = _text(row, "Öppettider")
    item.public = _yes(_text(row, "Visas för allmänheten"), "Visas för allmänheten")
    needs = _needs(_text(row, "Behov"))
    try:
        item.full_clean(validate_unique=False)
    except ValidationError as exc:
        raise _RowError(" ".join(exc.messages)) from None
    return item, needs


def _check_columns(data: tablib.Dataset, report: Report) -> bool:
    headers = [str(header or "").strip() for header in (data.headers or [])]
    missing = [column for column in REQUIRED if column not in headers]
    unknown = [header for header in headers if header and header not in COLUMNS]
    if missing:
        report.add(0, _("Kolumner saknas: %(columns)s.") % {"columns": ", ".join(missing)})
    if unknown:
        report.add(0, _("Okända kolumner: %(columns)s.") % {"columns": ", ".join(unknown)})
    if not data.height:
        report.add(0, _("Filen innehåller inga rader."))
    if data.height > MAX_ROWS:
        report.add(0, _("Filen har fler än %(max)d rader. Dela upp den.") % {"max": MAX_ROWS})
    return report.ok


def interventions_import(*, data: tablib.Dataset, providers: QuerySet[Provider], via: services.Via) -> Report:
    """Check every row, then create or update all of them in one transaction, or nothing at all."""
    report = Report()
    with translation.override("sv"):
        if not _check_columns(data, report):
            return report
        by_name = {provider.name.lower(): provider for provider in providers}
        seen: dict[tuple[int, str], int] = {}
        ready: list[tuple[Intervention, list[str]]] = []
        for number, row in enumerate(data.dict, start=2):  # row 1 holds the headers
            try:
                provider = by_name.get(_text(row, "Utförare").lower())
                if provider is None:
                    raise _RowError(
                        _("Utföraren ”%(name)s” finns inte bland de utförare du håller i katalogen.")
                        % {"name": _text(row, "Utförare")}
                    )
                key = (provider.pk, _text(row, "Namn").lower())
                if key in seen:
                    raise _RowError(_("Samma insats finns redan på rad %(row)d.") % {"row": seen[key]})
                seen[key] = number
                existing = provider.interventions.filter(name__iexact=key[1]).first()
                ready.append(_intervention(row, provider, existing))
            except _RowError as exc:
                report.add(number, str(exc))
        if not report.ok:
            return report
        with transaction.atomic():
            for item, needs in ready:
                if item.pk:
                    report.updated += 1
                else:
                    report.created += 1
                services.intervention_save(intervention=item, needs=needs, via=via)
    return report
