"""Swedish personal identity numbers: parse, validate, normalise, format.

The one home for personnummer, samordningsnummer and reserve numbers. Numbers are stored
normalised as 12 digits (YYYYMMDDNNNC); they are never logged or put in URLs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PERSONNUMMER = "personnummer"
SAMORDNINGSNUMMER = "samordningsnummer"
RESERVE = "reserve"
OLDEST_BIRTH_YEAR = 1800

# ASCII only: in Python's re, \d also matches other scripts' digits (Arabic-Indic, Devanagari ...),
# which int() accepts and which would then be stored as a "normalised" number.
_PATTERN = re.compile(r"^(?P<century>\d{2})?(?P<yymmdd>\d{6})(?P<sep>[-+]?)(?P<serial>\d{3})(?P<check>\d)$", re.ASCII)
_RESERVE_PATTERN = re.compile(r"^R[0-9A-Z]{6,14}$")
# A number as people write it inside a sentence: 10 or 12 digits, perhaps with '-', '+' or a space before the last four.
_IN_TEXT = re.compile(r"(?<![0-9])(?:[0-9]{2})?[0-9]{6}[-+ ]?[0-9]{4}(?![0-9])", re.ASCII)


@dataclass(frozen=True)
class IdentityNumber:
    kind: str
    normalised: str
    birth_date: date | None

    def formatted(self) -> str:
        """Return the number as people write it: YYYYMMDD-NNNN."""
        if self.kind == RESERVE:
            return self.normalised
        return f"{self.normalised[:8]}-{self.normalised[8:]}"

    def masked(self) -> str:
        """Return the number with its last four digits hidden."""
        if self.kind == RESERVE:
            return self.normalised[:3] + "…"
        return f"{self.normalised[:8]}-XXXX"


def luhn_check_digit(nine_digits: str) -> int:
    """Return the Luhn check digit over the nine digits YYMMDDNNN."""
    total = 0
    for index, char in enumerate(nine_digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def _resolve_century(yymmdd: str, sep: str, today: date) -> int:
    """Pick the century for a 10-digit number from the year of birth alone.

    The separator is '-' until the year the person turns 100 and '+' from that year on, so the date
    within the year does not matter: 'YYMMDD-' is the latest such year not after this year.
    """
    yy = int(yymmdd[:2])
    century = today.year // 100 * 100
    year = century + yy
    if year > today.year:
        year -= 100
    if sep == "+":
        year -= 100
    return year // 100 * 100


def parse(value: str, *, today: date | None = None) -> IdentityNumber:
    """Parse a personnummer, samordningsnummer or reserve number, or raise ValidationError."""
    today = today or timezone.localdate()
    raw = (value or "").strip().upper().replace(" ", "")
    if _RESERVE_PATTERN.match(raw):
        return IdentityNumber(kind=RESERVE, normalised=raw, birth_date=None)
    match = _PATTERN.match(raw)
    if not match:
        raise ValidationError(
            _("Ange personnumret som ÅÅÅÅMMDD-NNNN (12 siffror) eller ÅÅMMDD-NNNN."),
            code="format",
        )
    yymmdd, serial, check = match["yymmdd"], match["serial"], match["check"]
    if match["century"]:
        if match["sep"] == "+":
            raise ValidationError(_("Plustecken används bara med tiosiffriga nummer."), code="format")
        century = int(match["century"]) * 100
    else:
        century = _resolve_century(yymmdd, match["sep"], today)
    if luhn_check_digit(yymmdd + serial) != int(check):
        raise ValidationError(_("Kontrollsiffran stämmer inte. Kontrollera numret."), code="checksum")
    day = int(yymmdd[4:6])
    kind = PERSONNUMMER
    if day > 60:
        kind = SAMORDNINGSNUMMER
        day -= 60
    try:
        born = date(century + int(yymmdd[:2]), int(yymmdd[2:4]), day)
    except ValueError as exc:
        raise ValidationError(_("Numret innehåller ett datum som inte finns."), code="date") from exc
    if born.year < OLDEST_BIRTH_YEAR:
        # Calendar-valid but no living person's number (a mistyped century such as 00 or 17).
        raise ValidationError(_("Numret innehåller ett datum som inte finns."), code="date")
    if born > today:
        raise ValidationError(_("Födelsedatumet ligger i framtiden."), code="future")
    normalised = f"{century // 100:02d}{yymmdd}{serial}{check}"
    return IdentityNumber(kind=kind, normalised=normalised, birth_date=born)


def normalise(value: str) -> str:
    """Return the 12-digit (or reserve) form of a valid number."""
    return parse(value).normalised


def with_check_digit(born: date, serial: int, *, coordination: bool = False) -> str:
    """Build a valid 12-digit number for a birth date and a three-digit serial."""
    if not 0 <= serial <= 999:
        raise ValueError("The serial must have three digits (0-999).")
    day = born.day + (60 if coordination else 0)
    nine = f"{born:%y%m}{day:02d}{serial:03d}"
    return f"{born.year // 100:02d}{nine}{luhn_check_digit(nine)}"


def contains_identity_number(text: str) -> bool:
    """Return whether free text holds something that parses as a personnummer or samordningsnummer."""
    for candidate in _IN_TEXT.findall(text or ""):
        try:
            parse(candidate.replace(" ", ""))
        except ValidationError:
            continue
        return True
    return False
