"""Kolada KPI values (API v3): read the JSON shape from a file or from the API, validate, and store revisions.

Shape (docs/indicators.md): {"values": [{"kpi": "N02904", "municipality": "1860", "period": 2023,
"values": [{"gender": "T", "count": 1, "status": "", "value": 12.3}, …]}], "next_page": …}
A KPI is stored as an indicator with the KPI id as its code and source Kolada; values are for the
whole municipality. Nothing here is child data: Kolada publishes aggregates.
"""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from indicators import services
from indicators.models import Indicator, IndicatorValue
from organisations.models import Municipality

API = "https://api.kolada.se/v3"
KPI_ID = re.compile(r"^[A-Z]\d{5}$")
MUNICIPALITY_CODE = re.compile(r"^\d{4}$")
GENDERS = {"T", "K", "M"}


class KoladaRefused(Exception):
    """The document is not Kolada's JSON shape; nothing was saved."""


@dataclass
class KoladaReport:
    points: int = 0
    created: int = 0
    revised: int = 0
    unchanged: int = 0
    skipped_missing: int = 0  # Kolada publishes a null value where the figure is missing or suppressed
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def parse(content: bytes | str) -> list[dict]:
    """Return the data points of a Kolada response (its "values" list)."""
    try:
        document = json.loads(content)
    except (ValueError, UnicodeDecodeError) as exc:
        raise KoladaRefused(_("Filen är inte JSON från Kolada.")) from exc
    if not isinstance(document, dict) or not isinstance(document.get("values"), list):
        raise KoladaRefused(_("Filen saknar listan values som Koladas svar har."))
    return document["values"]


def _indicator(kpi: str) -> Indicator:
    indicator, _created = Indicator.objects.get_or_create(
        code=kpi,
        defaults=dict(
            title_sv=_("Kolada %(kpi)s") % {"kpi": kpi},
            reporter_kind=Indicator.Reporter.OUTSIDE,
            reporter_name="Kolada (RKA)",
            level=Indicator.Level.NONE,
            measure=Indicator.Measure.SHARE if kpi.startswith("N0") else Indicator.Measure.COUNT,
            by_gender=True,
            counts_children=False,
            source=Indicator.Source.KOLADA,
            origin="Källa: Kolada",
        ),
    )
    return indicator


def store(*, via: services.Via, points: list[dict], municipalities: set[str] | None = None) -> KoladaReport:
    """Store Kolada data points as revisions; any bad point refuses the whole document with reasons."""
    report = KoladaReport(points=len(points))
    known = {m.code: m for m in Municipality.objects.all()}
    try:
        with transaction.atomic():
            for number, point in enumerate(points, start=1):
                try:
                    _store_point(via=via, point=point, known=known, only=municipalities, report=report)
                except ValidationError as exc:
                    report.errors.append((number, " ".join(exc.messages)))
            if report.errors:
                raise services._Rollback
            services.log(via=via, action="create", record_type="KoladaImport", record_id=str(report.points))
    except services._Rollback:
        report.created = report.revised = report.unchanged = 0
    return report


def _key(point) -> tuple[str, str, str]:
    """Return (kpi, municipality code, period) of a data point, or refuse it with a reason."""
    if not isinstance(point, dict):
        raise ValidationError(_("Posten är inte ett objekt."))
    kpi, code, period = (str(point.get(name, "")) for name in ("kpi", "municipality", "period"))
    if not KPI_ID.match(kpi):
        raise ValidationError(
            _("Nyckeltalet %(kpi)s är inget Kolada-id (en bokstav och fem siffror).") % {"kpi": kpi[:12]}
        )
    if not MUNICIPALITY_CODE.match(code):
        raise ValidationError(_("Kommunkoden %(code)s ska vara fyra siffror.") % {"code": code[:12]})
    if not re.match(r"^(19|20)\d\d$", period):
        raise ValidationError(_("Perioden %(period)s ska vara ett årtal.") % {"period": period[:12]})
    return kpi, code, period


def _store_point(*, via, point, known, only, report) -> None:
    kpi, code, period = _key(point)
    if only is not None and code not in only:
        return
    municipality = known.get(code)
    if municipality is None:
        raise ValidationError(_("Kommunkoden %(code)s finns inte i Samplan.") % {"code": code})
    indicator = _indicator(kpi)
    for entry in point.get("values") or []:
        gender = str(entry.get("gender", ""))
        if gender not in GENDERS:
            raise ValidationError(_("Kön %(gender)s ska vara T, K eller M.") % {"gender": gender[:3]})
        if entry.get("value") is None:
            report.skipped_missing += 1
            continue
        row = services._record(
            via=via,
            indicator=indicator,
            municipality=municipality,
            unit=None,
            period=period,
            gender=gender,
            age_band="",
            value=Decimal(str(entry["value"])).quantize(Decimal("0.01")),
            origin=IndicatorValue.Origin.KOLADA,
        )
        if row is None:
            report.unchanged += 1
        elif row.revision == 1:
            report.created += 1
        else:
            report.revised += 1


def data_url(*, kpis: list[str], municipalities: list[str], from_date: str | None = None, page: int = 1) -> str:
    """Return the v3 data URL for KPIs × municipalities (all years), optionally changed since a day."""
    for kpi in kpis:
        if not KPI_ID.match(kpi):
            raise ValueError(_("Nyckeltalet %(kpi)s är inget Kolada-id (en bokstav och fem siffror).") % {"kpi": kpi})
    for code in municipalities:
        if not MUNICIPALITY_CODE.match(code):
            raise ValueError(_("Kommunkoden %(code)s ska vara fyra siffror.") % {"code": code})
    query = {"per_page": 5000, "page": page}
    if from_date:
        query["from_date"] = from_date
    return f"{API}/data/kpi/{','.join(kpis)}/municipality/{','.join(municipalities)}?{urllib.parse.urlencode(query)}"


def fetch(url: str, *, opener=urllib.request.urlopen, timeout: int = 30) -> bytes:
    """Fetch one page from Kolada (the opener is replaced in tests by recorded responses)."""
    if not url.startswith(API + "/"):
        raise ValueError("Only Kolada's API is fetched.")
    with opener(urllib.request.Request(url, headers={"Accept": "application/json"}), timeout=timeout) as response:  # noqa: S310 (https only, checked above)
        return response.read()


def fetch_all(first_url: str, *, opener=urllib.request.urlopen, limit: int = 50) -> list[dict]:
    """Follow next_page from the first URL and return every data point."""
    points, url, pages = [], first_url, 0
    while url and pages < limit:
        body = fetch(url, opener=opener)
        points.extend(parse(body))
        url = json.loads(body).get("next_page") or None
        pages += 1
    return points
