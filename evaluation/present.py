"""KPI results and pilot comparisons as rows for tables, charts and the API, with suppression applied."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core import disclosure
from evaluation import charts
from evaluation.kpis import Figure, Result
from evaluation.pilot import Comparison


def shown_count(count: int | None) -> str:
    if count is None:
        return "–"
    return _("färre än %(n)s") % {"n": disclosure.threshold()} if disclosure.is_small(count) else str(count)


def shown_value(figure: Figure) -> str:
    if figure.shown is None:
        return "–"
    text = number_format(figure.shown, decimal_pos=2 if figure.unit == "points" else 1, use_l10n=True)
    return f"{text} %" if figure.unit == "share" else text


def figure_dict(figure: Figure) -> dict:
    """One figure for the API: the value only when it may be published; the count only when it is not small."""
    return {
        "label": figure.label,
        "value": figure.shown,
        "unit": figure.unit,
        "n": None if disclosure.is_small(figure.n) else figure.n,
        "suppressed": figure.hidden,
    }


def table_dict(result: Result) -> dict | None:
    table = result.table
    if table is None:
        return None
    return {
        "rows": [
            {
                "label": result.row_labels.get(row, str(row)),
                "cells": [table.cell(row, column) for column in table.columns],
                "total": table.row_total(row),
            }
            for row in table.rows
        ],
        "columns": [result.column_labels.get(column, str(column)) for column in table.columns],
        "column_totals": [table.column_total(column) for column in table.columns],
        "total": table.grand_total(),
    }


def result_dict(result: Result) -> dict:
    return {
        "key": result.key,
        "title": result.title,
        "definition": result.definition,
        "figures": [figure_dict(figure) for figure in result.figures],
        "table": table_dict(result),
        "rule": disclosure.rule_text(),
    }


def kpi_panel(result: Result) -> dict:
    """What the page shows for one KPI: a chart spec of the published figures and the same figures as a table."""
    rows = [
        {"label": figure.label, "value": figure.shown}
        for figure in result.figures
        if figure.shown is not None and figure.unit == "share"
    ]
    return {
        "result": result,
        "figures": [
            {"label": f.label, "value": shown_value(f), "n": shown_count(f.n) if f.n else "0"} for f in result.figures
        ],
        "table": table_dict(result),
        "spec": charts.figures_bar(result.title, rows, unit="share") if rows else None,
        "chart_id": f"chart-{result.key}",
    }


def comparison_dict(comparison: Comparison) -> dict:
    """A pilot comparison with each group's mean only when publishable and the estimate only when all are."""
    groups = []
    for key, group in comparison.groups.items():
        groups.append(
            {
                "key": key,
                "label": group.label,
                "start": group.period.start.isoformat(),
                "end": group.period.end.isoformat(),
                "n": None if disclosure.is_small(group.n) else group.n,
                "n_text": shown_count(group.n),
                "mean": None if group.hidden else comparison.scaled(group.mean),
                "suppressed": group.hidden,
            }
        )
    hidden = comparison.hidden
    return {
        "pilot": comparison.pilot.name,
        "outcome": comparison.outcome_key,
        "outcome_title": str(comparison.outcome.title),
        "unit": "percentage_points" if comparison.outcome.unit == "share" else "points",
        "groups": groups,
        "difference_in_differences": None if hidden else comparison.scaled(comparison.estimate),
        "ci95_low": None if hidden else comparison.scaled(comparison.low),
        "ci95_high": None if hidden else comparison.scaled(comparison.high),
        "method": _(
            "Regressionsform: minsta kvadrat med grupp, period och deras samspel, robusta standardfel (HC2); "
            "intervallet är skattningen ± 1,96 standardfel."
        ),
        "rule": disclosure.rule_text(),
    }


def pilot_chart(comparison: Comparison, data: dict) -> dict | None:
    rows = []
    for group in data["groups"]:
        if group["mean"] is None:
            continue
        side = _("Pilotområdet") if group["key"].startswith("pilot") else _("Kontrollgruppen")
        period = _("Före") if group["key"].endswith("before") else _("Under piloten")
        rows.append({"group": side, "period": period, "value": group["mean"]})
    if not rows:
        return None
    return charts.pilot_lines(data["outcome_title"], rows, unit=comparison.outcome.unit)
