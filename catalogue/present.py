"""What the catalogue pages show of an intervention, in words: ages, needs, levels, waiting time and its age."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from catalogue import selectors
from catalogue.models import PREGNANCY, CatalogueSettings, Colour, Intervention
from catalogue.selectors import PyramidLevel
from wellbeing.indicators import Indicator


def ages(low: int, high: int) -> str:
    """Return an age range in words: "Graviditet–6 år", "7–12 år", "13 år"."""
    low_text = _("Graviditet") if low == PREGNANCY else str(low)
    if low == high:
        return _("Under graviditeten") if low == PREGNANCY else _("%(age)d år") % {"age": low}
    return _("%(low)s–%(high)d år") % {"low": low_text, "high": high}


def waiting(weeks: int | None) -> str:
    if weeks is None:
        return _("Okänd")
    if weeks == 0:
        return _("Ingen väntetid")
    return ngettext("%(weeks)d vecka", "%(weeks)d veckor", weeks) % {"weeks": weeks}


def colours(settings: CatalogueSettings) -> dict[str, str]:
    """Return the municipality's words for the four intake levels, by code."""
    return {code: settings.colour_label(code) for code in Colour.values}


@dataclass(frozen=True)
class Row:
    intervention: Intervention
    ages: str
    needs: list[str]
    level: str
    colour: str
    route: str
    waiting: str
    stale: bool


def row(intervention: Intervention, *, on: date, settings: CatalogueSettings | None = None) -> Row:
    settings = settings or selectors.settings_for(intervention.provider.municipality)
    confirmed = intervention.waiting_confirmed_on
    return Row(
        intervention=intervention,
        ages=ages(intervention.min_age, intervention.max_age),
        needs=[str(Indicator(need.indicator).label) for need in intervention.needs.all()],
        level=intervention.get_level_display(),
        colour=settings.colour_label(intervention.colour),
        route=intervention.get_route_display(),
        waiting=waiting(intervention.waiting_weeks),
        stale=confirmed is None or confirmed < selectors.stale_before(settings, on),
    )


def rows(interventions, *, on: date) -> list[Row]:
    """Return the rows of a page of interventions, reading each municipality's settings once."""
    settings: dict[int, CatalogueSettings] = {}
    result = []
    for intervention in interventions:
        municipality = intervention.provider.municipality_id
        if municipality not in settings:
            settings[municipality] = selectors.settings_for(intervention.provider.municipality)
        result.append(row(intervention, on=on, settings=settings[municipality]))
    return result


def query_without_page(params) -> str:
    """Return the query string of the current filters, without the page number, for the pagination links."""
    return urlencode([(key, value) for key, value in params.items() if key != "sida" and value])


@dataclass(frozen=True)
class Shape:
    """One band of the drawn pyramid: a trapezoid's points and where its words go."""

    points: str
    label: str
    text_y: int


BAND_HEIGHT = 80
WIDTH = 600


def pyramid_shapes(levels: list[PyramidLevel]) -> list[Shape]:
    """Return the three bands of the pyramid drawing, top (indicated) to bottom (universal)."""
    shapes = []
    bands = len(levels)
    for index, level in enumerate(levels):
        top, bottom = index * BAND_HEIGHT, (index + 1) * BAND_HEIGHT
        top_half = WIDTH / 2 * index / bands
        bottom_half = WIDTH / 2 * (index + 1) / bands
        centre = WIDTH / 2
        points = (
            f"{centre - top_half:.0f},{top} {centre + top_half:.0f},{top} "
            f"{centre + bottom_half:.0f},{bottom} {centre - bottom_half:.0f},{bottom}"
        )
        label = ngettext("%(level)s: %(count)d insats", "%(level)s: %(count)d insatser", level.count) % {
            "level": level.label,
            "count": level.count,
        }
        shapes.append(Shape(points=points, label=label, text_y=bottom - BAND_HEIGHT // 3))
    return shapes


@dataclass(frozen=True)
class PublicEntry:
    name: str
    provider: str
    description: str
    target_group: str
    ages: str
    how: str
    waiting: str
    contact: str
    phone: str
    opening_hours: str
    website: str


HOW = {
    "self": gettext_lazy("Ni kan själva ta kontakt."),
    "referral": gettext_lazy("Personal, till exempel i skolan eller på BVC, hjälper er att ta kontakt."),
    "decision": gettext_lazy("Socialtjänsten beslutar om insatsen. Kontakta socialtjänsten."),
}


def public_entry(intervention: Intervention, *, language: str) -> PublicEntry:
    """Return what the public guide shows of an entry: plain words and how to get in touch."""
    provider = intervention.provider
    description = (
        intervention.description_en if language == "en" and intervention.description_en else intervention.description
    )
    return PublicEntry(
        name=intervention.name,
        provider=provider.name,
        description=description,
        target_group=intervention.target_group,
        ages=ages(intervention.min_age, intervention.max_age),
        how=str(HOW[intervention.route]),
        waiting=waiting(intervention.waiting_weeks),
        contact=intervention.contact,
        phone=provider.phone,
        opening_hours=intervention.opening_hours or provider.opening_hours,
        website=provider.website,
    )
