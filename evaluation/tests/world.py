"""A small hand-built municipality for the KPI tests: four children whose figures are worked out by hand.

Period: 1 July 2025 – 30 June 2026. Children (ages on 30 June 2026; boys have an odd gender digit):
  Alva   born 2015-03-01, 11 years, boy  (serial 981), enrolled in area Väst
  Bo     born 2016-05-01, 10 years, girl (serial 980), enrolled in area Väst
  Cleo   born 2020-02-01,  6 years, boy  (serial 983), enrolled in area Öst
  Dana   born 2010-01-15, 16 years, girl (serial 982), enrolled in area Öst
Not counted: Eje born 2007-01-01 (18 on the last day) and an expected child.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from evaluation.scope import Period, Scope
from namedperson.models import Assignment, Stage
from organisations.models import Authority, Municipality, Role, Unit
from people.models import Child
from plans.models import Action, ChildPlan, Status
from sharing.models import Consent
from testsupport.cast import enrol, make_child
from wellbeing.models import Assessment, Band, ChronologyEntry, Instrument, InstrumentResponse, Rating, Subscale

PERIOD = Period(date(2025, 7, 1), date(2026, 6, 30))


def at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


@dataclass
class World:
    municipality: Municipality
    education: Authority
    social: Authority
    west: Unit
    east: Unit
    user: object
    children: dict

    @property
    def scope(self) -> Scope:
        return Scope(municipality_id=self.municipality.pk)


def build_world() -> World:
    mun = Municipality.objects.create(name="Provkommunen", code="9998")
    education = Authority.objects.create(
        name="Prov utbildning", kind="municipal_committee", sector="education", municipality=mun
    )
    social = Authority.objects.create(
        name="Prov socialtjänst", kind="municipal_committee", sector="social_services", municipality=mun
    )
    west = Unit.objects.create(authority=education, name="Västskolan", unit_type="school", area="Väst")
    east = Unit.objects.create(authority=education, name="Östskolan", unit_type="school", area="Öst")
    user = get_user_model().objects.create_user(username="provlarare", password="x-Provlösen-1")
    kids = {}
    for name, born, serial, unit in (
        ("Alva", date(2015, 3, 1), 981, west),
        ("Bo", date(2016, 5, 1), 980, west),
        ("Cleo", date(2020, 2, 1), 983, east),
        ("Dana", date(2010, 1, 15), 982, east),
        ("Eje", date(2007, 1, 1), 984, east),
    ):
        kids[name] = make_child(mun, born=born, given=name, family="Prov", serial=serial)
        enrol(kids[name], unit, "school", date(2021, 8, 15))
    Child.objects.create(
        identity_kind="reserve",
        identity_number="RES-PROV-1",
        given_name="Väntat",
        family_name="Prov",
        birth_date=date(2026, 9, 1),
        is_expected=True,
        municipality=mun,
    )
    return World(mun, education, social, west, east, user, kids)


def assign(world: World, child: str, stage: str, start: date, end: date | None = None) -> None:
    Assignment.objects.create(
        child=world.children[child],
        person=world.user,
        unit=world.west,
        role=Role.PRACTITIONER,
        stage=stage,
        start=start,
        end=end,
        ended_reason="handover" if end else "",
        owner_authority=world.education,
    )


def concern(world: World, child: str, day: date) -> None:
    ChronologyEntry.objects.create(
        child=world.children[child],
        owner_authority=world.education,
        category="education",
        author=world.user,
        author_unit=world.west,
        kind="concern",
        start_date=day,
        what_happened="Oro",
        source="own",
        impact="negative",
    )


def plan(
    world: World,
    child: str,
    created: date,
    *,
    status: str = Status.ACTIVE,
    closed: date | None = None,
    next_review: date | None = None,
):
    made = ChildPlan.objects.create(
        child=world.children[child],
        owner_authority=world.education,
        kind="single_agency",
        reasons="Oro",
        created_by=world.user,
        status=status,
        next_review_on=next_review,
        closed_at=at(closed) if closed else None,
    )
    ChildPlan.objects.filter(pk=made.pk).update(created_at=at(created))
    return made


def action(world: World, made: ChildPlan, start: date) -> None:
    Action.objects.create(
        plan=made,
        owner_authority=world.education,
        description="Stöd",
        start=start,
        end=date(2027, 1, 1),
        expected_outcome="Bättre",
    )


def wheel(world: World, child: str, day: date, scores: list[int]) -> None:
    assessment = Assessment.objects.create(
        child=world.children[child],
        owner_authority=world.education,
        category="education",
        kind="wheel",
        rater_kind="practitioner",
        rated_by=world.user,
        assessed_on=day,
    )
    codes = ("safe", "healthy", "achieving", "nurtured", "active")
    Rating.objects.bulk_create(
        [Rating(assessment=assessment, indicator=code, score=s) for code, s in zip(codes, scores, strict=False)]
    )


def sdq_bands() -> dict[str, Band]:
    instrument = Instrument.objects.create(code="sdq", version="prov", name="SDQ", licence_note="-")
    total = Subscale.objects.create(instrument=instrument, code="total", name="Totala", max_score=40, min_score=0)
    bands = {}
    for level, low, high in (("normal", 0, 13), ("borderline", 14, 16), ("abnormal", 17, 40)):
        bands[level] = Band.objects.create(
            subscale=total, informant="parent", level=level, label=level, min_score=low, max_score=high
        )
    return bands


def sdq(world: World, child: str, day: date, total: int, band: Band) -> None:
    InstrumentResponse.objects.create(
        child=world.children[child],
        owner_authority=world.education,
        category="education",
        instrument=band.subscale.instrument,
        respondent="parent",
        completed_on=day,
        recorded_by=world.user,
        total=total,
        total_band=band,
    )


def consent(world: World, child: str, recipients: list[Authority], status: str, created: date) -> None:
    made = Consent.objects.create(
        child=world.children[child],
        owner_authority=world.education,
        requested_by=world.user,
        purpose="Samordning",
        valid_from=at(created),
        valid_until=at(date(2027, 1, 1)),
        status=status,
    )
    made.recipients.set(recipients)
    Consent.objects.filter(pk=made.pk).update(created_at=at(created))


__all__ = ["PERIOD", "Stage", "World", "build_world"]


def referral(world: World, child: str, asked: date, started: date | None = None, status: str = "requested") -> None:
    from catalogue.models import Intervention, Provider, Referral

    provider, _made = Provider.objects.get_or_create(municipality=world.municipality, name="Provutföraren")
    intervention = Intervention.objects.filter(provider=provider).first() or Intervention.objects.create(
        provider=provider,
        name="Provinsats",
        description="En insats för prov.",
        target_group="Barn",
        min_age=0,
        max_age=18,
        level="selective",
        route="self",
        waiting_weeks=2,
        waiting_confirmed_on=asked,
    )
    Referral.objects.create(
        child=world.children[child],
        intervention=intervention,
        owner_authority=world.social,
        referred_by=world.user,
        reason="Prov.",
        status=status,
        requested_on=asked,
        started_on=started,
    )


def handover(world: World, child: str, made: date, accepted: date | None = None, status: str = "open") -> None:
    from namedperson.models import HandoverProposal

    proposal = HandoverProposal.objects.create(
        child=world.children[child],
        stage=Stage.SCHOOL,
        to_unit=world.east,
        to_role=Role.HEAD_TEACHER,
        due_date=made,
        status=status,
        decided_at=at(accepted) if accepted else None,
    )
    HandoverProposal.objects.filter(pk=proposal.pk).update(created_at=at(made))  # auto_now_add: set afterwards
