"""Vega-Lite specifications built on the server as plain dicts: only published (unsuppressed) figures go in."""

from __future__ import annotations

from django.utils.translation import gettext as _

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"  # an identifier only: nothing is fetched from it


def figures_bar(title: str, rows: list[dict], *, unit: str) -> dict:
    """A horizontal bar per figure; `rows` are {label, value} with hidden figures left out."""
    axis_title = _("Andel, procent") if unit == "share" else _("Värde")
    return {
        "$schema": SCHEMA,
        "title": title,
        "description": title,
        "width": "container",
        "data": {"values": rows},
        "mark": {"type": "bar"},
        "encoding": {
            "y": {"field": "label", "type": "nominal", "title": None, "sort": None},
            "x": {"field": "value", "type": "quantitative", "title": axis_title},
        },
    }


def pilot_lines(title: str, rows: list[dict], *, unit: str) -> dict:
    """Baseline and pilot period for the pilot area and the control group: two lines, one per group."""
    axis_title = _("Andel, procent") if unit == "share" else _("Medelvärde")
    return {
        "$schema": SCHEMA,
        "title": title,
        "description": title,
        "width": "container",
        "data": {"values": rows},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "period", "type": "ordinal", "title": None, "sort": None},
            "y": {"field": "value", "type": "quantitative", "title": axis_title},
            "color": {"field": "group", "type": "nominal", "title": None},
        },
    }
