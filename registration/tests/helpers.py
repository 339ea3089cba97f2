"""Small helpers of the registration tests: fictitious numbers and the forms' fields."""

from __future__ import annotations

from datetime import date

from core.personnummer import with_check_digit

NEWCOMER_BORN = date(2019, 4, 7)


def coordination_number(born: date = NEWCOMER_BORN, serial: int = 231) -> str:
    """A fictitious samordningsnummer (day + 60) with a valid check digit."""
    return with_check_digit(born, serial, coordination=True)


def child_post(**overrides) -> dict:
    data = {
        "number": coordination_number(),
        "given_name": "Amina",
        "family_name": "Nyström",
        "birth_date": "",
        "protection": "none",
    }
    data.update(overrides)
    return data


def guardian_post(**overrides) -> dict:
    data = {
        "number": with_check_digit(date(1990, 1, 12), 273, coordination=True),
        "given_name": "Layla",
        "family_name": "Nyström",
        "relation": "parent",
        "has_custody": "on",
        "valid_from": NEWCOMER_BORN.isoformat(),
        "valid_to": "",
    }
    data.update(overrides)
    return data
