"""The test catalogue on the cast's municipality, shared by the catalogue tests and the browser tests."""

from __future__ import annotations

from django.utils import timezone

from audit import log as audit
from catalogue.models import CatalogueSettings, Intervention, InterventionNeed, Provider, Referral, SupportRequest
from organisations.models import Unit
from sharing import policy
from wellbeing import services
from wellbeing.tests.helpers import via


def make_intervention(provider: Provider, name: str, **fields) -> Intervention:
    needs = fields.pop("needs", ())
    defaults = {
        "description": f"Beskrivning av {name}.",
        "target_group": "Barn och föräldrar",
        "min_age": 0,
        "max_age": 18,
        "level": "selective",
        "route": "self",
        "public": True,
        "waiting_weeks": 2,
        "waiting_confirmed_on": policy.today(),
    }
    intervention = Intervention.objects.create(provider=provider, name=name, **(defaults | fields))
    InterventionNeed.objects.bulk_create([InterventionNeed(intervention=intervention, indicator=n) for n in needs])
    return intervention


def build(cast):
    """Two providers of the cast's municipality (the BVC unit, an outside organisation) and four interventions."""
    CatalogueSettings.objects.create(municipality=cast.municipality, contact_points="Kontaktcenter: 0990-100 00")
    bvc = Provider.objects.create(
        municipality=cast.municipality, name="Barnhälsovården", unit=cast.bvc, authority=cast.region, phone="0990-1"
    )
    outside = Provider.objects.create(municipality=cast.municipality, name="Föreningen Stöd", phone="0990-2")
    cast.provider = bvc
    cast.outside_provider = outside
    cast.cool_kids = make_intervention(
        bvc, "Cool Kids", min_age=6, max_age=18, level="indicated", needs=["healthy"], keywords="ångest, oro"
    )
    cast.home_visits = make_intervention(bvc, "Hembesök", min_age=0, max_age=0, level="universal", needs=["nurtured"])
    cast.internal = make_intervention(
        bvc, "Utvecklingsbedömning", min_age=0, max_age=6, level="indicated", public=False, needs=["achieving"]
    )
    cast.group = make_intervention(outside, "Skilda världar", min_age=7, max_age=12, needs=["nurtured", "safe"])
    return cast


def rate(cast, **scores) -> None:
    """Record a practitioner's wellbeing wheel for the cast's child, as the teacher, today."""
    with audit.deferred():
        services.wheel_assessment_record(
            child=cast.child,
            owner=services.author_for(cast.teacher),
            rater_kind="practitioner",
            rated_by=cast.teacher,
            assessed_on=policy.today(),
            ratings={code: (score, "") for code, score in scores.items()},
            via=via(cast.teacher),
        )


def referral_of(cast) -> Referral:
    """A referral of the cast's child, by the teacher, to an intervention of a BVC provider."""
    provider = Provider.objects.create(
        municipality=cast.municipality, name="BVC-gruppen", unit=cast.bvc, authority=cast.region
    )
    return Referral.objects.create(
        child=cast.child,
        intervention=make_intervention(provider, "Föräldragrupp"),
        owner_authority=cast.education,
        referred_by=cast.teacher,
        reason="Föräldrarna vill ha stöd.",
        requested_on=policy.today(),
    )


def request_of(cast) -> SupportRequest:
    """A request for support about the cast's child to an intake unit none of the personas works at."""
    unit = Unit.objects.create(authority=cast.social, name="Mottagningen Syd", unit_type="social_services_team")
    return SupportRequest.objects.create(
        child=cast.child,
        intake_unit=unit,
        owner_authority=cast.education,
        source=SupportRequest.Source.PRACTITIONER,
        requested_by=cast.teacher,
        concern="Barnet verkar oroligt.",
        received_at=timezone.now(),
    )
