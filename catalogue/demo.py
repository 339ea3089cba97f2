"""Load the demo catalogue (the Ystad mapping, `demo_catalogue.py`) into the demo municipality."""

from __future__ import annotations

from datetime import date, timedelta

from catalogue.demo_catalogue import ENTRIES, PROVIDERS, colour_for
from catalogue.models import CatalogueSettings, Intervention, InterventionNeed, Provider, Route
from organisations.models import Municipality, Unit

CONTACT_POINTS = (
    "Kommunens kontaktcenter: 0990-100 00, vardagar 8–17\n"
    "Socialtjänsten, barn och familj (mottagning): 0990-101 50, vardagar 8–16.30\n"
    "Socialjouren efter kontorstid: 0990-100 99\n"
    "Första linjen för barn och unga: 0990-102 00, drop-in tisdagar 13–16"
)


def demo_catalogue(*, municipality: Municipality, today: date) -> dict[str, int]:
    """Create the municipality's catalogue settings, providers and interventions; return the counts."""
    CatalogueSettings.objects.create(municipality=municipality, contact_points=CONTACT_POINTS)
    units = {unit.name: unit for unit in Unit.objects.filter(authority__municipality=municipality)}
    providers = {}
    for spec in PROVIDERS:
        unit = units.get(spec.unit)
        providers[spec.key] = Provider.objects.create(
            municipality=municipality,
            name=spec.name,
            unit=unit,
            authority=unit.authority if unit else None,
            phone=unit.phone if unit else "0990-100 00",
            opening_hours=spec.opening_hours,
        )
    interventions = []
    for entry in ENTRIES:
        confirmed = None if entry.confirmed_days_ago is None else today - timedelta(days=entry.confirmed_days_ago)
        interventions.append(
            Intervention(
                provider=providers[entry.provider],
                name=entry.name,
                description=entry.description,
                target_group=entry.target_group,
                min_age=entry.ages[0],
                max_age=entry.ages[1],
                keywords=entry.keywords,
                level=entry.level,
                colour=colour_for(entry.level, entry.route),
                route=entry.route,
                needs_consent=entry.route == Route.REFERRAL,
                needs_decision=entry.route == Route.DECISION,
                waiting_weeks=entry.waiting_weeks,
                waiting_confirmed_on=confirmed,
                contact=providers[entry.provider].phone,
                public=entry.public,
            )
        )
    Intervention.objects.bulk_create(interventions)
    InterventionNeed.objects.bulk_create(
        [
            InterventionNeed(intervention=intervention, indicator=code)
            for intervention, entry in zip(interventions, ENTRIES, strict=True)
            for code in entry.needs
        ]
    )
    return {"utförare i insatskatalogen": len(providers), "insatser i insatskatalogen": len(interventions)}
