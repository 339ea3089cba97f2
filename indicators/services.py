"""Writes for indicators: a figure's next revision, file imports and Kolada values, each with its audit row."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import log as audit
from indicators import selectors
from indicators.models import Gender, Indicator, IndicatorValue, ReportingRound
from organisations.models import Municipality, Unit
from sharing import policy

BASIS = policy.Basis.INDICATOR_WORK
AGE_BAND = re.compile(r"^\d{1,2}-\d{1,2}$")
PERIODS = {
    Indicator.PeriodType.YEAR: (re.compile(r"^(19|20)\d\d$"), "2024"),
    Indicator.PeriodType.TERM: (re.compile(r"^(19|20)\d\d-(VT|HT)$"), "2024-VT"),
    Indicator.PeriodType.MONTH: (re.compile(r"^(19|20)\d\d-(0[1-9]|1[0-2])$"), "2024-03"),
}


@dataclass(frozen=True)
class Via:
    """Who acts and where: what every audit row needs."""

    actor: audit.Actor
    surface: str
    target: str
    user: object = None  # the signed-in user, kept on the revision; None for a scheduled sync


def log(*, via: Via, action: str, record_type: str, record_id: str = "") -> None:
    audit.record(
        actor=via.actor,
        action=action,
        surface=via.surface,
        target=via.target,
        basis=BASIS,
        record_type=record_type,
        record_id=record_id,
    )


def check_period(indicator: Indicator, period: str) -> None:
    pattern, example = PERIODS[indicator.period_type]
    if not pattern.match(period):
        raise ValidationError(
            {
                "period": _("Perioden ska skrivas som %(example)s för indikatorer som rapporteras per %(type)s.")
                % {"example": example, "type": indicator.get_period_type_display().lower()}
            }
        )


def check_split(indicator: Indicator, gender: str, age_band: str) -> None:
    if gender not in Gender.values:
        raise ValidationError({"gender": _("Kön ska vara T (totalt), K (flickor) eller M (pojkar).")})
    if gender != Gender.TOTAL and not indicator.by_gender:
        raise ValidationError({"gender": _("Indikatorn delas inte på kön: rapportera totalen (T).")})
    if age_band and not indicator.by_age:
        raise ValidationError({"age_band": _("Indikatorn delas inte på ålder: lämna åldersgruppen tom.")})
    if age_band and not AGE_BAND.match(age_band):
        raise ValidationError({"age_band": _("Åldersgruppen ska skrivas som 0-5 eller 13-17.")})


def check_value(indicator: Indicator, value: Decimal) -> None:
    if value < 0:
        raise ValidationError({"value": _("Värdet kan inte vara negativt.")})
    if indicator.measure == Indicator.Measure.SHARE and value > 100:
        raise ValidationError({"value": _("En andel är högst 100 procent.")})
    if indicator.measure == Indicator.Measure.COUNT and value != value.to_integral_value():
        raise ValidationError({"value": _("Ett antal är ett heltal.")})


def _record(
    *,
    via: Via,
    indicator: Indicator,
    municipality: Municipality,
    unit: Unit | None,
    period: str,
    gender: str,
    age_band: str,
    value: Decimal,
    origin: str,
    note: str = "",
) -> IndicatorValue | None:
    check_period(indicator, period)
    check_split(indicator, gender, age_band)
    check_value(indicator, value)
    if unit is not None and unit.authority.municipality_id != municipality.pk:
        raise ValidationError({"unit": _("Enheten hör inte till kommunen.")})
    key = dict(
        indicator=indicator, municipality=municipality, unit=unit, period=period, gender=gender, age_band=age_band
    )
    current = selectors.latest(**key)
    if current is not None and current.value == value:
        return None  # the same figure again: nothing to revise
    row = IndicatorValue(
        **key,
        revision=(current.revision + 1) if current else 1,
        value=value,
        origin=origin,
        note=note,
        recorded_by=via.user,
        recorded_at=timezone.now(),
    )
    row.full_clean()
    row.save()
    log(via=via, action="update" if current else "create", record_type="IndicatorValue", record_id=str(row.pk))
    return row


@transaction.atomic
def value_record(
    *,
    via: Via,
    indicator: Indicator,
    municipality: Municipality,
    unit: Unit | None,
    period: str,
    gender: str = Gender.TOTAL,
    age_band: str = "",
    value: Decimal,
    note: str = "",
) -> IndicatorValue | None:
    """Record a figure the reporting actor enters; a changed figure becomes the next revision."""
    if not selectors.may_enter(via.user, municipality=municipality, unit=unit):
        raise PermissionError
    return _record(
        via=via,
        indicator=indicator,
        municipality=municipality,
        unit=unit,
        period=period,
        gender=gender,
        age_band=age_band,
        value=value,
        origin=IndicatorValue.Origin.ENTERED,
        note=note,
    )


# --- Files ---

COLUMNS = ("indikator", "kommunkod", "enhet", "period", "kön", "åldersgrupp", "värde", "kommentar")
REQUIRED = ("indikator", "kommunkod", "period", "värde")


class ImportRefused(Exception):
    """The file could not be read at all (wrong type, missing columns); nothing was saved."""


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    revised: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row number in the file, Swedish reason)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_table(name: str, content: bytes) -> list[dict[str, str]]:
    """Read a CSV (comma or semicolon, UTF-8) or XLSX file into rows keyed by lower-case column name."""
    lower = name.lower()
    if lower.endswith(".xlsx"):
        rows = _xlsx_rows(content)
    elif lower.endswith(".csv"):
        rows = _csv_rows(content)
    else:
        raise ImportRefused(_("Filen ska vara en CSV- eller XLSX-fil."))
    if not rows:
        raise ImportRefused(_("Filen är tom."))
    header = [str(cell or "").strip().lower() for cell in rows[0]]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise ImportRefused(
            _("Kolumner saknas: %(missing)s. Första raden ska innehålla %(columns)s.")
            % {"missing": ", ".join(missing), "columns": ", ".join(COLUMNS)}
        )
    return [
        {column: str(row[i] if i < len(row) and row[i] is not None else "").strip() for i, column in enumerate(header)}
        for row in rows[1:]
        if any(str(cell or "").strip() for cell in row)
    ]


def _csv_rows(content: bytes) -> list[list[str]]:
    import csv
    import io

    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(_("CSV-filen ska vara sparad som UTF-8.")) from exc
    first = text.splitlines()[0] if text else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _xlsx_rows(content: bytes) -> list[list[object]]:
    import io
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportRefused(_("XLSX-filen går inte att läsa. Spara den på nytt från kalkylprogrammet.")) from exc
    sheet = workbook.worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text.replace(" ", "").replace("\u00a0", "").replace(",", "."))
    except InvalidOperation as exc:
        raise ValidationError(_("Värdet %(value)s är inget tal.") % {"value": text[:20]}) from exc


def _messages(exc: ValidationError) -> str:
    return (
        " ".join(message for messages in exc.message_dict.values() for message in messages)
        if hasattr(exc, "error_dict")
        else " ".join(exc.messages)
    )


class _Rollback(Exception):
    pass


def values_import(*, via: Via, rows: list[dict[str, str]]) -> ImportReport:
    """Import rows of figures: all of them, or — when any row is wrong — none, with a reason per bad row."""
    report = ImportReport(rows=len(rows))
    indicators = {i.code.upper(): i for i in Indicator.objects.all()}
    municipalities = {m.code: m for m in Municipality.objects.all()}
    seen: dict[tuple, int] = {}  # a figure's key -> the file row that first gave it
    try:
        with transaction.atomic():
            for number, row in enumerate(rows, start=2):  # row 1 is the header
                try:
                    _import_row(
                        via=via,
                        row=row,
                        number=number,
                        indicators=indicators,
                        municipalities=municipalities,
                        seen=seen,
                        report=report,
                    )
                except ValidationError as exc:
                    report.errors.append((number, _messages(exc)))
            if report.errors:
                raise _Rollback
            log(via=via, action="create", record_type="IndicatorImport", record_id=str(report.rows))
    except _Rollback:
        report.created = report.revised = report.unchanged = 0
    return report


def _import_row(*, via, row, number, indicators, municipalities, seen, report) -> None:
    indicator = indicators.get(row.get("indikator", "").upper())
    if indicator is None:
        raise ValidationError(_("Okänd indikator %(code)s.") % {"code": row.get("indikator", "")[:20] or "–"})
    municipality = municipalities.get(row.get("kommunkod", "").zfill(4))
    if municipality is None:
        raise ValidationError(_("Okänd kommunkod %(code)s.") % {"code": row.get("kommunkod", "")[:10] or "–"})
    unit = None
    if row.get("enhet"):
        unit = Unit.objects.filter(authority__municipality=municipality, name=row["enhet"]).first()
        if unit is None:
            raise ValidationError(_("Kommunen har ingen enhet som heter %(name)s.") % {"name": row["enhet"][:60]})
    if not selectors.may_enter(via.user, municipality=municipality, unit=unit):
        raise ValidationError(_("Du rapporterar inte för %(who)s.") % {"who": unit.name if unit else municipality.name})
    if not row.get("värde"):
        raise ValidationError(_("Värde saknas."))
    period = row.get("period", "")
    gender = (row.get("kön") or Gender.TOTAL).upper()
    age_band = row.get("åldersgrupp", "")
    value = _decimal(row["värde"])
    check_period(indicator, period)
    check_split(indicator, gender, age_band)
    check_value(indicator, value)
    # The same figure twice in one file: which one is meant is a guess, so the file is refused.
    key = (indicator.pk, municipality.pk, unit.pk if unit else None, period, gender, age_band)
    if key in seen:
        raise ValidationError(
            _(
                "Samma indikator, enhet, period, kön och åldersgrupp finns redan på rad %(first)s i filen. "
                "Ta bort den ena raden."
            )
            % {"first": seen[key]}
        )
    seen[key] = number
    created = _record(
        via=via,
        indicator=indicator,
        municipality=municipality,
        unit=unit,
        period=period,
        gender=gender,
        age_band=age_band,
        value=value,
        origin=IndicatorValue.Origin.IMPORTED,
        note=row.get("kommentar", "")[:300],
    )
    if created is None:
        report.unchanged += 1
    elif created.revision == 1:
        report.created += 1
    else:
        report.revised += 1


# --- Reporting rounds ---


@transaction.atomic
def round_open(*, via: Via, municipality: Municipality, year: int, due_on) -> ReportingRound:
    if not selectors.reportable_municipalities(via.user).filter(pk=municipality.pk).exists():
        raise PermissionError
    if ReportingRound.objects.filter(municipality=municipality, year=year).exists():
        raise ValidationError({"year": _("Det finns redan en rapporteringsomgång för %(year)s.") % {"year": year}})
    reporting_round = ReportingRound(municipality=municipality, year=year, due_on=due_on)
    reporting_round.full_clean()
    reporting_round.save()
    log(via=via, action="create", record_type="ReportingRound", record_id=str(reporting_round.pk))
    return reporting_round
