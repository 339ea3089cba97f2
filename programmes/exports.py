"""CSV and XLSX downloads of programme tables (tablib with openpyxl); words, never codes."""

from __future__ import annotations

import tablib
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from programmes.models import FollowUp
from programmes.selectors import BudgetRow

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def respond(dataset: tablib.Dataset, *, name: str, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    body = dataset.export(fmt)
    if fmt == "csv":
        body = "\ufeff" + body  # a byte-order mark so spreadsheet programs read å, ä and ö
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _answer(follow_up: FollowUp, name: str) -> str:
    return str(getattr(follow_up, f"get_{name}_display")()) if getattr(follow_up, name) else ""


def follow_up_dataset(follow_ups) -> tablib.Dataset:
    dataset = tablib.Dataset(
        headers=[
            _("Utlysning"),
            _("Bidragstagare"),
            _("Idé"),
            _("Beviljat (kr)"),
            _("Använt stimulansbidrag enligt ansökan"),
            _("Uppnått förväntat resultat"),
            _("Fått ytterligare kunskap"),
            _("Fortsätter arbetet"),
            _("Använt belopp (kr)"),
            _("Inlämnad"),
        ],
        title=_("Uppföljning"),
    )
    for follow_up in follow_ups:
        application = follow_up.application
        dataset.append(
            [
                application.call.title,
                application.organisation,
                application.title,
                application.decision.amount,
                _answer(follow_up, "used_as_applied"),
                _answer(follow_up, "achieved_result"),
                _answer(follow_up, "gained_knowledge"),
                _answer(follow_up, "continues"),
                follow_up.money_used if follow_up.money_used is not None else "",
                _("Ja") if follow_up.submitted_at else _("Svar saknas"),
            ]
        )
    return dataset


def budget_dataset(rows: list[BudgetRow]) -> tablib.Dataset:
    dataset = tablib.Dataset(
        headers=[_("År"), _("Del"), _("Avsatt (kr)"), _("Beslutat (kr)"), _("Använt (kr)"), _("Ej beslutat (kr)")],
        title=_("Budget"),
    )
    for row in rows:
        part = row.line.sub_project.name if row.line.sub_project else _("Hela programmet")
        dataset.append([row.line.year, part, row.allocated, row.committed, row.used, row.uncommitted])
    return dataset
