"""Refuse identifying details in an anonymous consultation, before anything is stored.

An anonymous item must never be linkable to a child, so its free text is checked for what identifies:
a personal or coordination number in any form (10 or 12 digits, with or without a separator, valid or
not), a phone number, something that reads as an address, and the names of the children the raiser
works with (read through the policy's `visible_children`, and never stored or logged).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from core.personnummer import contains_identity_number
from sharing import policy

# Any 10- or 12-digit run shaped like a personal number, even with a wrong check digit or a made-up date.
NUMBER_SHAPED = re.compile(r"(?<!\d)(?:\d{2})?\d{6}\s?[-+]?\s?\d{4}(?!\d)")
PHONE = re.compile(r"(?<![\d\w])(?:\+46|0046|0)[\s\-()]*\d(?:[\s\-()]*\d){6,10}(?!\d)")
STREET = re.compile(
    r"\b[\wåäöéÅÄÖÉ-]*(?:gatan|gata|vägen|väg|gränd|gränden|stigen|allén|torget|backen|leden|stråket|platsen)"
    r"\s+\d+\s?[a-zA-Z]?\b",
    re.IGNORECASE,
)
POSTAL_CODE = re.compile(r"(?<!\d)\d{3}\s\d{2}(?!\d)")
NAME_SPLIT = re.compile(r"[\s-]+")

NUMBER = _(
    "Texten innehåller något som liknar ett personnummer eller samordningsnummer. "
    "En anonym konsultation får inte gå att koppla till ett barn: ta bort numret."
)
PHONE_NUMBER = _(
    "Texten innehåller något som liknar ett telefonnummer. "
    "En anonym konsultation får inte gå att koppla till ett barn: ta bort numret."
)
ADDRESS = _(
    "Texten innehåller något som liknar en adress eller ett postnummer. "
    "En anonym konsultation får inte gå att koppla till ett barn: beskriv utan adress."
)
CHILD_NAME = _(
    "Texten innehåller ett namn som ett av barnen du arbetar med har. "
    "En anonym konsultation får inte gå att koppla till ett barn: skriv utan namn."
)


def _names(user) -> set[str]:
    """Return the given and family names (each part) of the children the user sees, lower-cased."""
    names = set()
    for given, family in policy.visible_children(user).values_list("given_name", "family_name"):
        for part in NAME_SPLIT.split(f"{given} {family}"):
            if len(part) >= 2:
                names.add(part.casefold())
    return names


def problems(text: str, *, user) -> list[str]:
    """Return the Swedish messages for each kind of identifying detail in the text (empty when none)."""
    found = []
    if contains_identity_number(text) or NUMBER_SHAPED.search(text):
        found.append(str(NUMBER))
    if PHONE.search(text):  # a mobile number can be shaped like a personal number too: both are named
        found.append(str(PHONE_NUMBER))
    if STREET.search(text) or POSTAL_CODE.search(text):
        found.append(str(ADDRESS))
    words = {word.casefold() for word in re.findall(r"[^\W\d_]+", text)}
    if words & _names(user):
        found.append(str(CHILD_NAME))
    return found
