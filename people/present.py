"""Turn loaded child records into what the pages show, with the protected-identity masks applied.

Every masking decision is made here, in Python, so templates only print what they are given:
a value of None means "hidden", and the template says so in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from namedperson.models import Assignment, EndReason, Stage
from people.models import Child, ContactDetails, Enrolment, Guardianship, IdentityKind
from sharing import policy
from sharing.display import MASKED, Display, display_for
from sharing.policy import ChildAccess

MASK = "XXXX"


def identity_number(child: Child, *, shown: bool) -> str:
    """Return the number as people write it (YYYYMMDD-NNNN), or with its last four digits hidden."""
    number = child.identity_number
    if child.identity_kind == IdentityKind.RESERVE:
        return number if shown else _("Reservnummer (dolt)")
    return f"{number[:8]}-{number[8:] if shown else MASK}"


@dataclass(frozen=True)
class Contact:
    address: str
    postal_code: str
    city: str
    phone: str


def contact(details: ContactDetails | None) -> Contact | None:
    if details is None:
        return None
    return Contact(details.address, details.postal_code, details.city, details.phone)


@dataclass(frozen=True)
class ListedChild:
    """A child in a list; name and birth date are None when the identity is masked."""

    id: UUID
    name: str | None
    birth_date: date | None
    is_expected: bool
    protected: bool
    basis_label: str


def listed_child(child: Child) -> ListedChild:
    """Return a list row; `child` carries the `identity_shown` and `basis` annotations of people.selectors."""
    shown = child.identity_shown
    return ListedChild(
        id=child.pk,
        name=f"{child.family_name}, {child.given_name}" if shown else None,
        birth_date=child.birth_date if shown else None,
        is_expected=child.is_expected and shown,
        protected=child.is_protected,
        basis_label=str(policy.basis_label(child.basis, own=True)),
    )


@dataclass(frozen=True)
class GuardianRow:
    name: str
    relation: str
    has_custody: bool
    protected: bool
    contact: Contact | None
    contact_note: str


def guardian_row(access: ChildAccess, guardianship: Guardianship) -> GuardianRow:
    """Return a guardian; contact details are hidden when the guardian is protected, or the child is and
    the user lacks the need."""
    guardian = guardianship.guardian
    details = getattr(guardian, "contact", None)
    note = ""
    if guardian.is_protected:
        details, note = None, _("Dolda: vårdnadshavaren har skyddade personuppgifter.")
    elif not access.sees_protected_details:
        details, note = None, _("Dolda: barnet har skyddade personuppgifter.")
    elif details is None:
        note = _("Inga kontaktuppgifter registrerade.")
    return GuardianRow(
        name=f"{guardian.given_name} {guardian.family_name}",
        relation=guardianship.get_relation_display(),
        has_custody=guardianship.has_custody,
        protected=guardian.is_protected,
        contact=contact(details),
        contact_note=note,
    )


@dataclass(frozen=True)
class EnrolmentRow:
    kind: str
    unit: str | None
    authority: str | None
    start: date
    end: date | None


def enrolment_row(access: ChildAccess, row: Enrolment) -> EnrolmentRow:
    hidden = display_for(access).hides_unit(row.unit_id)
    return EnrolmentRow(
        kind=row.get_kind_display(),
        unit=None if hidden else row.unit.name,
        authority=None if hidden else row.unit.authority.name,
        start=row.start,
        end=row.end,
    )


@dataclass(frozen=True)
class NamedPersonRow:
    stage: str
    person: str | None
    title: str | None
    phone: str | None
    unit: str | None
    start: date
    end: date | None
    ended_reason: str
    current: bool


def named_person_row(access: ChildAccess, row: Assignment) -> NamedPersonRow:
    # The person names the unit (the head teacher *of* a school), so both are hidden together.
    hidden = display_for(access).hides_unit(row.unit_id)
    person = row.person
    return NamedPersonRow(
        stage=Stage(row.stage).label if row.stage in Stage.values else row.stage,
        person=None if hidden else (person.get_full_name() or person.get_username()),
        title=None if hidden else person.title,
        phone=None if hidden else person.phone,
        unit=None if hidden else row.unit.name,
        start=row.start,
        end=row.end,
        ended_reason=EndReason(row.ended_reason).label if row.ended_reason in EndReason.values else "",
        current=row.start <= access.on and (row.end is None or row.end > access.on),
    )


# The children's languages by their code (ISO 639-1; ISO 639-3 where a language has no shorter code), named in
# Samplan's own catalogue: Django knows too few of them (no Somali, Tigrinya, Kurdish) and writes Swedish
# language names with a capital letter. The national minority languages and the common home languages first.
LANGUAGE_NAMES = {
    "sv": _("svenska"),
    "fi": _("finska"),
    "fit": _("meänkieli"),
    "se": _("nordsamiska"),
    "sma": _("sydsamiska"),
    "smj": _("lulesamiska"),
    "rom": _("romani chib"),
    "yi": _("jiddisch"),
    "swl": _("svenskt teckenspråk"),
    "ar": _("arabiska"),
    "so": _("somaliska"),
    "fa": _("persiska"),
    "prs": _("dari"),
    "ps": _("pashto"),
    "ku": _("kurdiska"),
    "ti": _("tigrinja"),
    "am": _("amhariska"),
    "om": _("oromo"),
    "sw": _("swahili"),
    "tr": _("turkiska"),
    "bs": _("bosniska"),
    "hr": _("kroatiska"),
    "sr": _("serbiska"),
    "sq": _("albanska"),
    "mk": _("makedonska"),
    "pl": _("polska"),
    "uk": _("ukrainska"),
    "ru": _("ryska"),
    "ro": _("rumänska"),
    "hu": _("ungerska"),
    "el": _("grekiska"),
    "et": _("estniska"),
    "lv": _("lettiska"),
    "lt": _("litauiska"),
    "de": _("tyska"),
    "fr": _("franska"),
    "es": _("spanska"),
    "it": _("italienska"),
    "pt": _("portugisiska"),
    "nl": _("nederländska"),
    "en": _("engelska"),
    "no": _("norska"),
    "da": _("danska"),
    "is": _("isländska"),
    "ur": _("urdu"),
    "hi": _("hindi"),
    "bn": _("bengali"),
    "ta": _("tamil"),
    "th": _("thailändska"),
    "vi": _("vietnamesiska"),
    "zh": _("kinesiska"),
    "tl": _("tagalog"),
}


def language_name(code: str) -> str:
    """Name a language in the current interface language; a code nobody knows is shown as stored."""
    key = str(code).strip().lower()
    if key in LANGUAGE_NAMES:
        return str(LANGUAGE_NAMES[key])
    try:
        name = str(get_language_info(key)["name_translated"])
    except KeyError:
        return str(code)
    # Swedish writes language names in lower case; Django's Swedish catalogue capitalises them.
    return name.lower() if (get_language() or "").startswith("sv") else name


def languages(child: Child) -> list[str]:
    """Return the child's languages by name in the current interface language, in the order stored."""
    return [language_name(code) for code in child.languages or []]


def contact_note(access: ChildAccess, details: ContactDetails | None) -> str:
    """Return why no contact details are shown, or an empty string when they are."""
    if not access.sees_protected_details:
        return _("Dolda: barnet har skyddade personuppgifter. De visas bara för den som har ett uttryckligt behov.")
    if details is None:
        return _("Inga kontaktuppgifter registrerade.")
    return ""


# Cells a spreadsheet would run as a formula (CSV injection): such a cell is written as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_safe(value) -> str:
    """Return a cell value that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_header() -> list[str]:
    return [
        str(_("Uppgift")),
        str(_("Beskrivning")),
        str(_("Namngiven person")),
        str(_("Enhet")),
        str(_("Myndighet")),
        str(_("Från")),
        str(_("Till")),
    ]


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def export_rows(access: ChildAccess, enrolments: list[Enrolment], named_persons: list[Assignment], display: Display):
    """Return the CSV lines of a child's export, masked exactly as the overview masks them."""
    hidden = str(MASKED)
    child = access.child
    lines = [
        [
            str(_("Barn")),
            f"{child.given_name} {child.family_name}, {identity_number(child, shown=display.name_shown)}",
            "",
            "",
            "",
            "",
            "",
        ]
    ]
    for row in (enrolment_row(access, enrolment) for enrolment in enrolments):
        lines.append(
            [
                str(_("Inskrivning")),
                row.kind,
                "",
                row.unit or hidden,
                row.authority or hidden,
                _day(row.start),
                _day(row.end),
            ]
        )
    for row in (named_person_row(access, assignment) for assignment in named_persons):
        lines.append(
            [
                str(_("Namngiven person")),
                row.stage,
                row.person or hidden,
                row.unit or hidden,
                "",
                _day(row.start),
                _day(row.end),
            ]
        )
    return [[csv_safe(cell) for cell in line] for line in lines]
