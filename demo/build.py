"""Build the fictitious demo municipality: organisations, staff, families, enrolments and named persons.

Deterministic for a seed and a day: one `random.Random(seed)` makes every choice, and ages are
counted back from `today`. Children are generated family by family and written in chunks of 5 000
(COPY on PostgreSQL, bulk_create elsewhere) with precomputed UUIDs, so 200 000 children need no
per-row queries and little memory.

Personal numbers are fictitious: a valid check digit over serial numbers 980–999 only (the range
Skatteverket's test numbers use); when a birth date's twenty serials are taken the child gets a
samordningsnummer (day + 60) in the same range, and when those are taken too, a neighbouring birth
date. Expected (unborn) children get reserve numbers starting with RDEMO.
"""

from __future__ import annotations

import random
import unicodedata
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.services import DEVICE_NAME
from audit import log as audit
from catalogue.demo import demo_catalogue, demo_one_way_in
from core.personnummer import with_check_digit
from demo import world
from demo.consents import demo_consents
from demo.family import FAMILY_CHILD_AGES, family_guardianship, family_logins
from demo.logins import DEMO_PASSWORD, DEMO_TOTP_KEY_HEX, DEMO_TOTP_SECRET_BASE32, DEMO_USERNAMES
from demo.practice import demo_practice
from demo.rows import insert
from demo.sharing import demo_emergency_accesses, demo_statutory_sharing
from namedperson.models import Assignment, EndReason, StageRules
from namedperson.stages import RELEVANT_KINDS, EnrolmentSpan, Rules, Target, add_years, change_days, expected_target
from organisations.models import Authority, Membership, Municipality, Role, Unit
from people.models import (
    Child,
    ContactDetails,
    Enrolment,
    Guardian,
    Guardianship,
    IdentityKind,
    Protection,
    SiblingLink,
)
from sharing.categories import Category, category_for_unit_type
from teams.models import Team, TeamMember

SERIALS = tuple(range(980, 1000))
RESERVE_PREFIX = "RDEMO"
CHUNK_CHILDREN = 5000
ONE_DAY = timedelta(days=1)
MAX_AGE_DAYS = 19 * 365  # birth dates spread over 0–18 years (up to the last day before 19)
TERM_START = (8, 20)
TERM_END = (6, 12)
# Enrolment end dates further ahead than this are not known yet: the enrolment is open (end empty).
PLANNED_END_HORIZON = timedelta(days=300)

# Mixed kinds of protected identity, sekretessmarkering the more common.
PROTECTION_KINDS = (
    Protection.CONFIDENTIALITY_MARKING,
    Protection.PROTECTED_REGISTRATION,
    Protection.CONFIDENTIALITY_MARKING,
)

Span = tuple[str, int, date, date | None]  # kind, unit id, first day, last day (inclusive) or None


@dataclass
class DemoSummary:
    """What one build made: row counts per table and the demo logins (username, role, unit)."""

    counts: dict[str, int] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    contact_details_limit: int | None = None


def database_has_data() -> bool:
    """Return whether organisations, children or staff already exist."""
    return (
        Municipality.objects.exists()
        or Child.objects.exists()
        or Guardian.objects.exists()
        or User.objects.filter(is_superuser=False).exists()
    )


def _refers_to(model, targets: set) -> bool:
    return any(f.is_relation and f.related_model in targets for f in model._meta.concrete_fields)


def _demo_models() -> list:
    """Return every model whose rows hang off a municipality or a guardian, referencing models first."""
    chosen = {Municipality, Guardian}
    # Automatic many-to-many tables (consent recipients, for example) count too.
    while grown := {m for m in apps.get_models(include_auto_created=True) if m not in chosen and _refers_to(m, chosen)}:
        chosen |= grown
    ordered: list = []
    remaining = set(chosen)
    while remaining:
        # A model's rows can go once no model still waiting refers to it.
        ready = {m for m in remaining if not any(_refers_to(other, {m}) for other in remaining - {m})} or remaining
        ordered += sorted(ready, key=lambda m: m._meta.label)
        remaining -= ready
    return ordered


@transaction.atomic
def demo_data_clear() -> None:
    """Delete organisations, children, families and staff (superusers other than demo logins stay; audit rows stay)."""
    models = _demo_models()
    if connection.vendor == "postgresql":
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
        with connection.cursor() as cursor:
            # TRUNCATE refuses tables with deferred foreign-key checks still queued in this transaction.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {tables}")
    else:
        for model in models:
            model._base_manager.all()._raw_delete(connection.alias)
    User.objects.filter(Q(is_superuser=False) | Q(username__in=DEMO_USERNAMES)).delete()


class _Numbers:
    """Hand out test-range numbers: twenty personnummer and twenty samordningsnummer per birth date."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.used: dict[tuple[date, bool], int] = defaultdict(int)
        self.reserves = 0

    def take(self, born: date, *, coordination_first: bool = False) -> tuple[date, str, str]:
        """Return (birth date, number, kind); the birth date moves a day or more only if both pools are full."""
        for shift in _shifts():
            day = born + timedelta(days=shift)
            if day > self.today:
                continue
            for coordination in (coordination_first, not coordination_first):
                used = self.used[(day, coordination)]
                if used < len(SERIALS):
                    self.used[(day, coordination)] = used + 1
                    kind = IdentityKind.SAMORDNINGSNUMMER if coordination else IdentityKind.PERSONNUMMER
                    return day, with_check_digit(day, SERIALS[used], coordination=coordination), kind
        raise AssertionError("unreachable: some earlier day always has a free serial")

    def reserve(self) -> str:
        self.reserves += 1
        return f"{RESERVE_PREFIX}{self.reserves:06d}"


def _shifts() -> Iterator[int]:
    yield 0
    step = 1
    while True:
        yield -step
        yield step
        step += 1


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _term_start(year: int) -> date:
    return date(year, *TERM_START)


def _term_end(year: int) -> date:
    return date(year, *TERM_END)


@dataclass
class _Adult:
    number: str
    given: str
    family: str
    relation: str
    has_custody: bool
    address: tuple[str, str]
    phone: str
    pk: int | None = None


@dataclass
class _Kid:
    pk: uuid.UUID
    kind: str
    number: str
    given: str
    family: str
    born: date
    expected: bool
    languages: list[str]
    spans: list[Span]
    address: tuple[str, str]
    phone: str


@dataclass
class _Family:
    area: str
    protection: str
    adults: list[_Adult]
    kids: list[_Kid]
    half_sibling_of: uuid.UUID | None = None


class _Builder:
    def __init__(self, *, seed: int, today: date, contact_limit: int | None, progress: Callable[[str], None]):
        self.rng = random.Random(seed)  # noqa: S311 -- reproducible fictitious data, no secrets
        self.today = today
        self.contact_limit = contact_limit
        self.progress = progress
        self.numbers = _Numbers(today)
        # Keys in the order the summary prints them.
        self.counts: dict[str, int] = dict.fromkeys(("barn", "vårdnadshavare"), 0)
        self.children_made = 0
        self.families_made = 0
        self.contacts_for_children = 0
        self.last_first_child: uuid.UUID | None = None

    # Organisation and staff -------------------------------------------------------------------------

    def build_organisation(self, children: int) -> None:
        self.municipality = Municipality.objects.create(name=world.MUNICIPALITY_NAME, code=world.MUNICIPALITY_CODE)
        self.rules: Rules = StageRules.objects.create(municipality=self.municipality)
        authorities = {
            spec.key: Authority(name=spec.name, kind=spec.kind, sector=spec.sector, municipality=self.municipality)
            for spec in world.AUTHORITIES
        }
        Authority.objects.bulk_create(authorities.values())
        self.plans = world.plan_units(children)
        units = {
            plan.key: Unit(
                authority=authorities[plan.kind.authority],
                name=plan.name,
                unit_type=plan.kind.unit_type,
                area=plan.area,
                phone=self._phone(),
            )
            for plan in self.plans
        }
        Unit.objects.bulk_create(units.values())
        self.authorities = authorities
        self.units = units
        self.unit_id = {key: unit.pk for key, unit in units.items()}
        self.unit_by_id = {unit.pk: unit for unit in units.values()}
        # The units of each kind that serve each area: its own, or (none there) one in another area.
        self.serving: dict[str, dict[str, list[int]]] = {}
        for kind in world.UNIT_KINDS:
            plans = [plan for plan in self.plans if plan.kind is kind]
            self.serving[kind.key] = {
                area: [self.unit_id[p.key] for p in plans if p.area == area]
                or [self.unit_id[plans[i % len(plans)].key]]
                for i, area in enumerate(world.AREAS)
            }
        self.counts["myndigheter"] = len(authorities)
        self.counts["enheter"] = len(units)

    def _unit(self, kind: str, area: str) -> int:
        """Return one of the units of the kind that serve the area."""
        return self.rng.choice(self.serving[kind][area])

    def build_staff(self) -> list[tuple[str, str, str]]:
        places = [(plan.key, role, title) for plan in self.plans for role, title in plan.staff()]
        places += world.EXTRA_STAFF
        usernames: dict[int, str] = {}
        for username, role, unit_key in world.DEMO_LOGINS:
            index = next(
                i for i, (key, r, _) in enumerate(places) if key == unit_key and r == role and i not in usernames
            )
            usernames[index] = username
        password = make_password(DEMO_PASSWORD)  # hashed once: Argon2 per user would take seconds
        taken: set[str] = set(usernames.values())
        users: list[User] = []
        for index, (_, role, title) in enumerate(places):
            given = self.rng.choice(world.WOMEN + world.MEN)
            family = self.rng.choice(world.FAMILY_NAMES)
            username = usernames.get(index) or self._username(given, family, taken)
            is_admin = role == Role.ADMINISTRATOR
            users.append(
                User(
                    username=username,
                    first_name=given,
                    last_name=family,
                    email=f"{username}@{world.EMAIL_DOMAIN}",
                    title=title,
                    phone=self._phone(),
                    password=password,
                    is_staff=is_admin,
                    is_superuser=is_admin,
                )
            )
        User.objects.bulk_create(users)
        since = date(self.today.year - 20, 1, 1)  # long enough to have held every past named-person period
        memberships = [
            Membership(user=user, unit=self.units[unit_key], role=role, valid_from=since)
            for user, (unit_key, role, _) in zip(users, places, strict=True)
        ]
        self.staff: dict[tuple[int, str], list[int]] = defaultdict(list)
        for membership in memberships:
            self.staff[(membership.unit.pk, membership.role)].append(membership.user.pk)
        largest, units = self._largest_caseload(password, since, taken)
        users.append(largest)
        memberships += units
        Membership.objects.bulk_create(memberships)
        # As totp_device_create makes them, in one insert: a device per user would take a query each.
        TOTPDevice.objects.bulk_create(
            TOTPDevice(user=user, name=DEVICE_NAME, confirmed=True, key=DEMO_TOTP_KEY_HEX) for user in users
        )
        self.counts["personal"] = len(users)
        self.counts["medlemskap"] = len(memberships)
        by_username = {user.username: user for user in users}
        logins = [
            (username, str(Role(role).label), self.units[unit_key].name)
            for username, role, unit_key in world.DEMO_LOGINS
            if username in by_username
        ]
        area = world.LARGEST_CASELOAD[2]
        logins.append((largest.username, str(Role.HEAD_TEACHER.label), f"{len(units)} skolor i {area}"))
        return logins

    def _largest_caseload(self, password: str, since: date, taken: set[str]) -> tuple[User, list[Membership]]:
        """Create the head teacher over every municipal compulsory school of an area: the worst-case caseload.

        The user is never drawn as a named person (not in `self.staff`): the schools' own head teachers are.
        """
        username, title, area, kinds = world.LARGEST_CASELOAD
        taken.add(username)
        user = User.objects.create(
            username=username,
            first_name=self.rng.choice(world.WOMEN + world.MEN),
            last_name=self.rng.choice(world.FAMILY_NAMES),
            email=f"{username}@{world.EMAIL_DOMAIN}",
            title=title,
            phone=self._phone(),
            password=password,
        )
        schools = [plan for plan in self.plans if plan.kind.key in kinds and plan.area == area]
        return user, [
            Membership(user=user, unit=self.units[plan.key], role=Role.HEAD_TEACHER, valid_from=since)
            for plan in schools
        ]

    def build_teams(self) -> None:
        """Create the demo's multi-agency teams, with members from several authorities, as the chef keeps them."""
        logins = dict(User.objects.filter(username__in=DEMO_USERNAMES).values_list("username", "pk"))
        chef = logins["chef"]
        teams = [
            Team(
                municipality=self.municipality,
                name=spec.name,
                kind=spec.kind,
                description=spec.description,
                created_by_id=chef,
            )
            for spec in world.TEAMS
        ]
        Team.objects.bulk_create(teams)
        joined = self.today - timedelta(days=world.TEAM_AGE_DAYS)
        members = []
        for team, spec in zip(teams, world.TEAMS, strict=True):
            for who, authority_key, role in spec.members:
                # A demo login by username, or the first staff member of a (unit key, role) place.
                user = logins[who] if isinstance(who, str) else self.staff[(self.unit_id[who[0]], who[1])][0]
                members.append(
                    TeamMember(
                        team=team,
                        user_id=user,
                        authority=self.authorities[authority_key],
                        role=role,
                        joined_on=joined,
                        added_by_id=chef,
                    )
                )
        TeamMember.objects.bulk_create(members)
        self.counts["team"] = len(teams)
        self.counts["teammedlemmar"] = len(members)

    def _username(self, given: str, family: str, taken: set[str]) -> str:
        base = f"{_ascii(given)}.{_ascii(family)}"
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}{n}"
        taken.add(candidate)
        return candidate

    def _phone(self) -> str:
        return f"070-174 06 {self.rng.randint(5, 99):02d}"

    # Families ---------------------------------------------------------------------------------------

    def families(self, total: int) -> Iterator[_Family]:
        areas = list(world.AREAS)
        weights = [weight for _, weight in world.AREAS.values()]
        while self.children_made < total:
            family = self._family(self.rng.choices(areas, weights)[0], total - self.children_made)
            self.children_made += len(family.kids)
            yield family

    def _family(self, area: str, room: int) -> _Family:
        rng = self.rng
        language = self._language()
        # Families speaking only another language, and most bilingual ones, carry names from that language.
        names = None
        if language != ["sv"] and ("sv" not in language or rng.random() < 0.6):
            names = world.OTHER_LANGUAGES[language[-1]]
        girls, boys, women, men, families = names or (
            world.GIRLS,
            world.BOYS,
            world.WOMEN,
            world.MEN,
            world.FAMILY_NAMES,
        )
        family_name = rng.choice(families)
        # Every 50th family (about 1 % of children) has protected identity, so even a small run has some.
        protection = Protection.NONE
        if self.families_made % 50 == 7:
            protection = PROTECTION_KINDS[self.families_made // 50 % len(PROTECTION_KINDS)]
        self.families_made += 1
        # Ages: siblings 1–5 years apart, the group placed anywhere in 0–18 years.
        count = min(room, rng.choices((1, 2, 3, 4), (38, 40, 16, 6))[0])
        gaps = [0]
        for _ in range(count - 1):
            gaps.append(gaps[-1] + rng.randint(400, 1800))
        if gaps[-1] >= MAX_AGE_DAYS:
            gaps = [g for g in gaps if g < MAX_AGE_DAYS]
        youngest = rng.randint(0, MAX_AGE_DAYS - 1 - gaps[-1])
        births = [self.today - timedelta(days=youngest + gap) for gap in gaps]
        moved_in = None
        if language != ["sv"] and "sv" not in language and rng.random() < 0.5:
            moved_in = self.today - timedelta(days=rng.randint(30, 5 * 365))
        address = self._address(area)
        adults = self._adults(births[-1], family_name, women, men, families, address)
        kids = [
            self._kid(born, girls, boys, family_name, language, area, address, moved_in, expected=False)
            for born in births
        ]
        if len(kids) < room and youngest > 420 and moved_in is None and rng.random() < 0.06:
            due = self.today + timedelta(days=rng.randint(1, 230))
            kids.insert(0, self._kid(due, girls, boys, family_name, language, area, address, None, expected=True))
        family = _Family(area=area, protection=protection, adults=adults, kids=kids)
        if self.last_first_child is not None and rng.random() < 0.02:
            family.half_sibling_of = self.last_first_child
        self.last_first_child = kids[-1].pk
        return family

    def _language(self) -> list[str]:
        roll = self.rng.random()
        others = list(world.OTHER_LANGUAGES)
        if roll < 0.78:
            return ["sv"]
        if roll < 0.95:
            return ["sv", self.rng.choice(others)]
        return [self.rng.choice(others)]

    def _address(self, area: str) -> tuple[str, str]:
        prefix = world.AREAS[area][0]
        street = f"{self.rng.choice(world.STREETS)} {self.rng.randint(1, 80)}"
        return street, f"{prefix[:-1]}{self.rng.randint(0, 9)}"

    def _adults(self, eldest_born, family_name, women, men, families, address) -> list[_Adult]:
        rng = self.rng
        roll = rng.random()
        if roll < 0.003:
            shapes = [("appointed", True)]
        elif roll < 0.03:
            shapes = [("parent", True)]
        elif roll < 0.10:
            shapes = [("parent", True), ("parent_without_custody", False)]
        else:
            shapes = [("parent", True), ("parent", True)]
        separated = len(shapes) == 2 and (roll < 0.10 or rng.random() < 0.15)
        adults = []
        for index, (relation, custody) in enumerate(shapes):
            born = eldest_born - timedelta(days=rng.randint(20 * 365, 42 * 365))
            given = rng.choice(women if index == 0 else men)
            family = family_name if index == 0 or rng.random() < 0.7 else rng.choice(families)
            _, number, _ = self.numbers.take(born)
            home = self._address(rng.choice(list(world.AREAS))) if separated and index == 1 else address
            adults.append(_Adult(number, given, family, relation, custody, home, self._phone()))
        return adults

    def _kid(self, born, girls, boys, family_name, language, area, address, moved_in, *, expected) -> _Kid:
        rng = self.rng
        pk = uuid.UUID(int=rng.getrandbits(128), version=4)
        given = rng.choice(girls if rng.random() < 0.49 else boys)
        if expected:
            number, kind = self.numbers.reserve(), IdentityKind.RESERVE
        else:
            born, number, kind = self.numbers.take(born, coordination_first=moved_in is not None and rng.random() < 0.3)
        spans = self._life_course(born, area, moved_in=moved_in, expected=expected)
        if not expected:
            spans += self._other_contacts(born, moved_in, area)
        age_years = (self.today - born).days // 365
        phone = self._phone() if age_years >= 12 else ""
        return _Kid(pk, kind, number, given, family_name, born, expected, list(language), spans, address, phone)

    def _life_course(self, born: date, area: str, *, moved_in: date | None, expected: bool) -> list[Span]:
        """Return the enrolments of a child's life so far: maternity care, BVC, preschool, school."""
        rng, unit = self.rng, self._unit
        mother_enrolled = born - timedelta(days=rng.randint(190, 250))
        if expected:
            return [("maternity", unit("bmm", area), min(mother_enrolled, self.today), None)]
        y = born.year
        spans: list[Span] = [
            ("maternity", unit("bmm", area), mother_enrolled, born),
            ("child_health", unit("bvc", area), born, _term_start(y + 6) - ONE_DAY),
        ]
        if rng.random() < 0.93:
            preschool = unit("fsk_ekorren" if rng.random() < 0.06 else "fsk", area)
            started = born + timedelta(days=rng.randint(365, 640))
            spans.append(("preschool", preschool, started, _term_start(y + 6) - ONE_DAY))
        # Preschool class and grades 1–6 at an F–6 school, 7–9 at a 7–9 school; or F–9 at the independent school.
        if rng.random() < 1 - world.MUNICIPAL_SCHOOL:
            stages = [("skola_kompassen", _term_start(y + 7), _term_end(y + 16))]
        else:
            stages = [
                ("skola_f6", _term_start(y + 7), _term_end(y + 13)),
                ("skola_79", _term_start(y + 13), _term_end(y + 16)),
            ]
        schools = [(kind, unit(kind, area), start, end) for kind, start, end in stages]
        spans.append(("preschool_class", schools[0][1], _term_start(y + 6), _term_end(y + 7)))
        if rng.random() < 0.06:
            schools = self._move_school(schools, rng.randint(y + 8, y + 15))
        spans += [("school", school, start, end) for _, school, start, end in schools]
        if rng.random() < 0.92:
            left = _term_end(y + 19)
            if rng.random() < 0.04:
                left = date(y + rng.randint(17, 18), rng.choice((1, 3, 10)), 15)  # left upper secondary early
            spans.append(("upper_secondary", unit("gymnasium", area), _term_start(y + 16), left))
        return self._as_of_today(spans, moved_in)

    def _move_school(self, schools: list[tuple[str, int, date, date]], year: int) -> list[tuple[str, int, date, date]]:
        """Move the child, at the start of the year's autumn term, to another school of the same kind."""
        moved = _term_start(year)
        kept = []
        for kind, school, start, end in schools:
            others = sorted({u for units in self.serving[kind].values() for u in units} - {school})
            if start < moved <= end and others:
                kept += [(kind, school, start, _term_end(year)), (kind, self.rng.choice(others), moved, end)]
            else:
                kept.append((kind, school, start, end))
        return kept

    def _other_contacts(self, born: date, moved_in: date | None, area: str) -> list[Span]:
        rng = self.rng
        age = (self.today - born).days / 365.25
        spans: list[Span] = []
        for kind, share, low, high in world.OTHER_CONTACTS:
            if low <= age < high and rng.random() < share:
                earliest = max(add_years(born, low), self.today - timedelta(days=730), moved_in or date.min)
                start = earliest + timedelta(days=rng.randint(0, max(0, (self.today - earliest).days)))
                end = None
                if rng.random() < 0.3:
                    end = start + timedelta(days=rng.randint(30, 300))
                spans.append(("other", self._unit(kind, area), start, end))
        return self._as_of_today(spans, None)

    def _as_of_today(self, spans: list[Span], moved_in: date | None) -> list[Span]:
        """Keep what is known today: nothing before moving in, nothing not yet begun, far ends still open."""
        kept = []
        for kind, unit_id, start, end in spans:
            if moved_in is not None:
                if end is not None and end < moved_in:
                    continue
                start = max(start, moved_in)
            if start > self.today:
                continue
            if end is not None and end > self.today + PLANNED_END_HORIZON:
                end = None
            kept.append((kind, unit_id, start, end))
        return kept

    # Named persons ----------------------------------------------------------------------------------

    def history(self, kid: _Kid) -> list[tuple[Target, date, date | None, str]]:
        """Return the named-person periods from the stage rules: (target, start, end, end reason)."""
        spans = [EnrolmentSpan(kind, unit_id, start, end) for kind, unit_id, start, end in kid.spans]
        spans = [span for span in spans if span.kind in RELEVANT_KINDS]
        facts = {"birth_date": kid.born, "is_expected": kid.expected, "enrolments": spans, "rules": self.rules}
        days = sorted(
            day for day in change_days(birth_date=kid.born, enrolments=spans, rules=self.rules) if day <= self.today
        )
        if not days:
            return []
        changes: list[tuple[date, Target | None]] = []
        previous = expected_target(**facts, on=days[0] - ONE_DAY)
        for day in days:
            target = expected_target(**facts, on=day)
            if target != previous:
                changes.append((day, target))
                previous = target
        periods = []
        for index, (start, target) in enumerate(changes):
            if target is None or target.unit_id is None:
                continue  # no unit to hold the period (not yet enrolled here, or the service ended)
            if index + 1 < len(changes):
                end, following = changes[index + 1]
                reason = EndReason.SERVICE_ENDED if following is None else EndReason.HANDOVER
                periods.append((target, start, end, reason))
            else:
                periods.append((target, start, None, ""))
        return periods

    # Writing ----------------------------------------------------------------------------------------

    def write(self, families: list[_Family]) -> None:
        """Write a chunk of families with bulk inserts (no per-row queries)."""
        adults = [a for f in families for a in f.adults]
        guardians = [
            {"identity_number": a.number, "given_name": a.given, "family_name": a.family, "protection": f.protection}
            for f in families
            for a in f.adults
        ]
        insert(Guardian, guardians)
        for adult, guardian in zip(adults, guardians, strict=True):
            adult.pk = guardian["id"]
        children = [
            {
                "id": k.pk,
                "identity_kind": k.kind,
                "identity_number": k.number,
                "given_name": k.given,
                "family_name": k.family,
                "birth_date": k.born,
                "is_expected": k.expected,
                "languages": k.languages,
                "protection": f.protection,
                "municipality_id": self.municipality.pk,
            }
            for f in families
            for k in f.kids
        ]
        insert(Child, children)
        self._write_relations(families)
        self.counts["barn"] += len(children)
        self.counts["vårdnadshavare"] += len(guardians)

    def _write_relations(self, families: list[_Family]) -> None:
        guardianships, enrolments, assignments, contacts, links = [], [], [], [], []
        for family in families:
            contacts += self._contacts(family)
            for kid in family.kids:
                since = kid.spans[0][2] if kid.expected else kid.born
                guardianships += [
                    {
                        "child_id": kid.pk,
                        "guardian_id": a.pk,
                        "relation": a.relation,
                        "has_custody": a.has_custody,
                        "valid_from": since,
                    }
                    for a in family.adults
                ]
                enrolments += [self._enrolment(kid.pk, *span) for span in kid.spans]
                assignments += [self._assignment(kid.pk, *period) for period in self.history(kid)]
            if family.half_sibling_of is not None:
                links.append({"child_id": family.kids[-1].pk, "sibling_id": family.half_sibling_of})
        for model, rows, label in (
            (Guardianship, guardianships, "vårdnadsrelationer"),
            (Enrolment, enrolments, "inskrivningar"),
            (Assignment, assignments, "namngivna personer (med historik)"),
            (ContactDetails, contacts, "kontaktuppgifter (krypterade)"),
            (SiblingLink, links, "syskonlänkar"),
        ):
            insert(model, rows)
            self.counts[label] = self.counts.get(label, 0) + len(rows)

    def _contacts(self, family: _Family) -> list[dict]:
        """Return the family's contact details (encrypted on insert), unless the limit of children is reached."""
        if self.contact_limit is not None and self.contacts_for_children >= self.contact_limit:
            return []
        self.contacts_for_children += len(family.kids)
        owners = [("child_id", k.pk, k.address, k.phone) for k in family.kids]
        owners += [("guardian_id", a.pk, a.address, a.phone) for a in family.adults]
        return [
            {owner: pk, "address": street, "postal_code": postal, "city": world.CITY, "phone": phone}
            for owner, pk, (street, postal), phone in owners
        ]

    def _enrolment(self, child_id, kind: str, unit_id: int, start: date, end: date | None) -> dict:
        unit = self.unit_by_id[unit_id]
        return {
            "child_id": child_id,
            "unit_id": unit_id,
            "kind": kind,
            "start": start,
            "end": end,
            "owner_authority_id": unit.authority_id,
            "category": category_for_unit_type(unit.unit_type),
        }

    def _assignment(self, child_id, target: Target, start: date, end: date | None, reason: str) -> dict:
        return {
            "child_id": child_id,
            "person_id": self.rng.choice(self.staff[(target.unit_id, target.role)]),
            "unit_id": target.unit_id,
            "role": target.role,
            "stage": target.stage,
            "start": start,
            "end": end,
            "ended_reason": reason,
            "owner_authority_id": self.unit_by_id[target.unit_id].authority_id,
            "category": Category.NAMED_PERSON,
        }


def demo_data_build(
    *,
    children: int,
    seed: int,
    today: date | None = None,
    contact_limit: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> DemoSummary:
    """Build the demo municipality in an empty database and return what was made."""
    builder = _Builder(
        seed=seed,
        today=today or timezone.localdate(),
        contact_limit=contact_limit,
        progress=progress or (lambda _: None),
    )
    with transaction.atomic():
        builder.build_organisation(children)
        logins = builder.build_staff()
        builder.build_teams()
    chunk: list[_Family] = []
    in_chunk = 0
    for family in builder.families(children):
        chunk.append(family)
        in_chunk += len(family.kids)
        if in_chunk >= CHUNK_CHILDREN:
            _write_chunk(builder, chunk, children)
            chunk, in_chunk = [], 0
    if chunk:
        _write_chunk(builder, chunk, children)
    if connection.vendor == "postgresql":
        # Fresh statistics: the planner would otherwise pick plans for empty tables until autovacuum runs.
        # VACUUM also sets the visibility map, without which a covering index is not read from the index
        # alone (the start page's count of children without a named person: 120 ms before, 43 ms after, for
        # the largest caseload at 20 000 children). VACUUM cannot run inside a transaction (a test's).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
    with transaction.atomic():
        logins += family_logins(builder.today, builder.municipality)
        builder.counts["nödåtkomster"] = demo_emergency_accesses(today=builder.today)
        builder.counts.update(demo_statutory_sharing(today=builder.today))
        builder.counts["samtycken"] = demo_consents(today=builder.today)
        builder.counts.update(demo_practice(seed=seed, today=builder.today))
        builder.counts.update(demo_catalogue(municipality=builder.municipality, today=builder.today))
        one_way_in, intake_login = demo_one_way_in(
            municipality=builder.municipality,
            today=builder.today,
            password=make_password(DEMO_PASSWORD),
            key_hex=DEMO_TOTP_KEY_HEX,
        )
        builder.counts.update(one_way_in)
        logins.append(intake_login)
        # One row for the whole run: the rows are fictitious, and a row per child would only bury real reads.
        audit.record(
            actor=audit.Actor(user_id=None, username="demo_data"),
            action="create",
            surface="task",
            target="demo_data",
            basis="demo_data",
            reason=f"Fiktiva demodata: {builder.counts['barn']} barn, frö {seed}",
        )
    return DemoSummary(counts=dict(builder.counts), logins=logins, contact_details_limit=contact_limit)


def _write_chunk(builder: _Builder, chunk: list[_Family], total: int) -> None:
    # One transaction per chunk: memory and lock queues stay small; an interrupted run is redone with --reset.
    with transaction.atomic():
        builder.write(chunk)
    builder.progress(f"{builder.counts['barn']} av {total} barn skrivna")


__all__ = [
    "DEMO_PASSWORD",
    "DEMO_TOTP_KEY_HEX",
    "DEMO_TOTP_SECRET_BASE32",
    "DEMO_USERNAMES",
    "FAMILY_CHILD_AGES",
    "DemoSummary",
    "database_has_data",
    "demo_data_build",
    "demo_data_clear",
    "family_guardianship",
]
