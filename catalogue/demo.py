"""Load the demo catalogue (the Ystad mapping, `demo_catalogue.py`) into the demo municipality."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from accounts.services import totp_device_create
from catalogue.demo_catalogue import ENTRIES, PROVIDERS, colour_for
from catalogue.models import (
    CatalogueSettings,
    Intervention,
    InterventionNeed,
    Provider,
    Referral,
    Route,
    SupportRequest,
)
from demo.world import EMAIL_DOMAIN
from organisations.models import Membership, Municipality, Role, Unit
from people.models import Child, Protection

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


INTAKE_LOGIN = "mottagning"
INTAKE_UNIT = "Barn och familj, mottagning"
# The one way in as the demo shows it: (days ago received, source login, concern, status, colour, days to support).
REQUESTS = (
    (
        2,
        "larare",
        "Eleven är ofta borta från skolan och säger att hen har ont i magen på morgnarna.",
        "received",
        "",
        None,
    ),
    (6, "bvc", "Föräldrarna berättar om sömnproblem och oro i familjen sedan flytten.", "triaged", "green", None),
    (9, "larare", "Eleven har svårt med kamraterna och har slutat gå ut på rasterna.", "triaged", "blue", None),
    (14, "bvc", "Barnet har vikt sig och föräldrarna är osäkra på hur de ska få hjälp.", "routed", "orange", None),
    (40, "larare", "Eleven har berättat om bråk hemma och vill inte gå hem efter skolan.", "supported", "red", 12),
)
# Referrals from the social services, each to another intervention: (days ago requested, status, days to start).
REFERRALS = (
    (5, "requested", None),
    (18, "accepted", None),
    (35, "waiting", None),
    (60, "started", 21),
    (120, "completed", 14),
    (25, "declined_family", None),
)


def demo_one_way_in(*, municipality: Municipality, today: date, password: str, key_hex: str) -> tuple[dict, tuple]:
    """Add the intake login, requests for support and referrals to a built demo world; return counts and the login.

    Runs after the world is built and draws no random numbers: the children, staff and interventions are
    picked in a fixed order, so the rest of the world is the same for a seed with or without it.
    """
    # One intake unit in a small municipality; a large one has one per area ("… mottagning Centrum"): the first.
    unit = Unit.objects.filter(authority__municipality=municipality, name__startswith=INTAKE_UNIT).earliest("pk")
    user = User.objects.create(
        username=INTAKE_LOGIN,
        first_name="Maria",
        last_name="Lindqvist",
        email=f"{INTAKE_LOGIN}@{EMAIL_DOMAIN}",
        title="Socialsekreterare, mottagningen",
        password=password,
    )
    Membership.objects.create(user=user, unit=unit, role=Role.INTAKE, valid_from=date(today.year - 5, 1, 1))
    totp_device_create(user=user, key_hex=key_hex)
    children = list(
        Child.objects.filter(
            municipality=municipality,
            protection=Protection.NONE,
            is_expected=False,
            birth_date__lte=today - timedelta(days=365 * 4),
        )
        .filter(birth_date__gt=today - timedelta(days=365 * 16))
        .order_by("identity_number")[: len(REQUESTS) + len(REFERRALS)]
    )
    staff = {u.username: u for u in User.objects.filter(username__in=["larare", "bvc", "socialsekreterare"])}
    authority_of = {
        username: Membership.objects.filter(user=staff[username])
        .select_related("unit__authority")
        .first()
        .unit.authority
        for username in staff
    }
    interventions = list(Intervention.objects.filter(provider__municipality=municipality).order_by("name"))
    made_requests = []
    for child, (days, asker, concern, status, colour, to_support) in zip(children, REQUESTS, strict=False):
        received = today - timedelta(days=days)
        made_requests.append(
            SupportRequest(
                child=child,
                intake_unit=unit,
                owner_authority=authority_of[asker],
                source=SupportRequest.Source.PRACTITIONER,
                requested_by=staff[asker],
                concern=concern,
                status=status,
                received_at=_at(received),
                colour=colour,
                triage_reason="Bedömd utifrån det som beskrivs i begäran." if colour else "",
                triaged_by=user if colour else None,
                triaged_at=_at(received + timedelta(days=1)) if colour else None,
                route=SupportRequest.Route.PLAN if status in ("routed", "supported") else "",
                routed_at=_at(received + timedelta(days=2)) if status in ("routed", "supported") else None,
                first_support_on=received + timedelta(days=to_support) if to_support else None,
            )
        )
    SupportRequest.objects.bulk_create(made_requests)
    made_referrals = []
    social = staff["socialsekreterare"]
    for index, (child, (days, status, to_start)) in enumerate(zip(children[len(REQUESTS) :], REFERRALS, strict=False)):
        age = (today - child.birth_date).days // 365
        fitting = [item for item in interventions if item.min_age <= age <= item.max_age and item.route != Route.SELF]
        if not fitting:  # the demo catalogue covers every age from 4 to 15; an edited one may not
            continue
        requested = today - timedelta(days=days)
        accepted = status in ("accepted", "waiting", "started", "completed")
        closed = status in ("completed", "declined_family")
        made_referrals.append(
            Referral(
                child=child,
                intervention=fitting[index % len(fitting)],
                owner_authority=authority_of["socialsekreterare"],
                referred_by=social,
                reason="Familjen vill ha stöd och har gått med på remissen.",
                status=status,
                status_note="Familjen tackade nej efter första samtalet." if status == "declined_family" else "",
                requested_on=requested,
                accepted_on=requested + timedelta(days=4) if accepted else None,
                started_on=requested + timedelta(days=to_start) if to_start else None,
                closed_on=today - timedelta(days=3) if closed else None,
            )
        )
    Referral.objects.bulk_create(made_referrals)
    counts = {"begäran om stöd": len(made_requests), "remisser": len(made_referrals)}
    return counts, (INTAKE_LOGIN, str(Role.INTAKE.label), unit.name)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 0)))
