"""The demo pilot: like Hässelby-Vällingby's, one area of about a tenth of the children against the rest."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q

from evaluation.models import Pilot
from evaluation.scope import Period
from organisations.models import Municipality
from people.models import Enrolment


def demo_pilot_build(*, today: date) -> int:
    """Create one pilot per demo municipality in the area nearest a tenth of its enrolled children; return how many."""
    made = 0
    current = Q(end__isnull=True) | Q(end__gte=today)
    for municipality in Municipality.objects.all():
        areas = list(
            Enrolment.objects.filter(current, child__municipality=municipality, start__lte=today)
            .exclude(unit__area="")
            .values_list("unit__area")
            .annotate(children=Count("child", distinct=True))
        )
        if len(areas) < 2:
            continue  # a pilot needs a control group in another area
        total = sum(children for _area, children in areas)
        area = min(areas, key=lambda row: abs(row[1] - total / 10))[0]
        start = Period(today, today).shifted_back(6).start
        _pilot, created = Pilot.objects.get_or_create(
            municipality=municipality,
            name=f"Barnens plan i {area}",
            defaults={"area": area, "start": start, "months": 12},
        )
        made += created
    return made
