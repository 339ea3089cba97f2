"""core.personnummer: personnummer, samordningsnummer and reserve numbers.

Only generated numbers and the published test numbers quoted in DOMAIN.md (B5) appear here.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from core import personnummer as pnr

TODAY = date(2026, 3, 1)
TEST_NUMBER = "199908072391"  # published as a Skatteverket test number (DOMAIN.md B5)
CENTENARIAN = "189001019802"  # likewise; over 100, so '+' in the ten-digit form


def _code(value: str, *, today: date = TODAY) -> str:
    with pytest.raises(ValidationError) as excinfo:
        pnr.parse(value, today=today)
    return excinfo.value.code


def _with_luhn(ten_digit_prefix: str) -> str:
    """Append the right check digit to CCYYMMDDNNN, whatever the date says."""
    return ten_digit_prefix + str(pnr.luhn_check_digit(ten_digit_prefix[2:]))


def _ten_digit(number: str, today: date = TODAY) -> str:
    separator = "+" if today.year - int(number[:4]) >= 100 else "-"
    return f"{number[2:8]}{separator}{number[8:]}"


@pytest.mark.parametrize("value", ["199908072391", "19990807-2391", "990807-2391", "9908072391", " 990807 2391 "])
def test_it_accepts_a_personnummer_in_every_written_form(value):
    number = pnr.parse(value, today=TODAY)
    assert (number.kind, number.normalised, number.birth_date) == (pnr.PERSONNUMMER, TEST_NUMBER, date(1999, 8, 7))


def test_it_formats_and_masks_the_normalised_number():
    number = pnr.parse(TEST_NUMBER, today=TODAY)
    assert number.formatted() == "19990807-2391"
    assert number.masked() == "19990807-XXXX"


def test_it_reads_a_plus_as_a_hundred_years_older():
    assert pnr.parse("900101+9802", today=TODAY).normalised == CENTENARIAN
    assert pnr.parse(CENTENARIAN, today=TODAY).birth_date == date(1890, 1, 1)


def test_it_switches_to_plus_in_the_year_the_person_turns_a_hundred():
    number = pnr.with_check_digit(date(1926, 12, 31), 123)  # turns 100 later this year
    assert pnr.parse(f"{number[2:8]}+{number[8:]}", today=TODAY).normalised == number
    assert _code(f"{number[2:8]}-{number[8:]}") == "future"  # the minus form means 2026-12-31
    next_year = pnr.with_check_digit(date(1927, 1, 1), 123)  # 99 all this year: still a minus
    assert pnr.parse(f"{next_year[2:8]}-{next_year[8:]}", today=TODAY).normalised == next_year


def test_it_refuses_a_plus_in_the_twelve_digit_form():
    assert _code("18900101+9802") == "format"


@pytest.mark.parametrize("value", ["199908072392", "990807-2390", "189001019801"])
def test_it_refuses_a_wrong_check_digit(value):
    assert _code(value) == "checksum"


def test_it_reads_a_samordningsnummer_as_day_plus_sixty():
    number = pnr.with_check_digit(date(2015, 3, 14), 234, coordination=True)
    assert number[6:8] == "74"
    parsed = pnr.parse(number, today=TODAY)
    assert (parsed.kind, parsed.birth_date, parsed.normalised) == (pnr.SAMORDNINGSNUMMER, date(2015, 3, 14), number)
    assert pnr.parse(_ten_digit(number), today=TODAY).normalised == number


@pytest.mark.parametrize(
    "prefix",
    [
        "20230230123",  # 30 February
        "20231301123",  # month 13
        "20230001123",  # month 00
        "20230100123",  # day 00
        "20230229123",  # 29 February in a year that is not a leap year
        "19000229123",  # 1900 was not a leap year either
        "20230132123",  # day 32
        "20230160123",  # day 60: neither a date nor a samordningsnummer
        "20230290123",  # samordningsnummer for 30 February
        "20230192123",  # samordningsnummer day 32
        "00990807239",  # calendar-valid year 99, no living person's number
    ],
)
def test_it_refuses_a_date_that_does_not_exist(prefix):
    assert _code(_with_luhn(prefix)) == "date"


def test_it_accepts_29_february_in_a_leap_year():
    assert pnr.parse(_with_luhn("20240229123"), today=TODAY).birth_date == date(2024, 2, 29)
    assert pnr.parse(_with_luhn("20000289123"), today=TODAY).birth_date == date(2000, 2, 29)


def test_it_refuses_a_birth_date_in_the_future():
    assert _code(pnr.with_check_digit(TODAY + timedelta(days=1), 321)) == "future"
    assert pnr.parse(pnr.with_check_digit(TODAY, 321), today=TODAY).birth_date == TODAY


def test_it_judges_the_future_against_the_local_date_by_default():
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError):
        pnr.parse(pnr.with_check_digit(tomorrow, 321))


@pytest.mark.parametrize(("value", "normalised"), [("R1234567", "R1234567"), ("r12ab34xy", "R12AB34XY")])
def test_it_accepts_a_reserve_number(value, normalised):
    number = pnr.parse(value, today=TODAY)
    assert (number.kind, number.normalised, number.birth_date) == (pnr.RESERVE, normalised, None)
    assert number.formatted() == normalised
    assert number.masked() == normalised[:3] + "…"


@pytest.mark.parametrize("value", ["R12345", "R1234567890ABCDE", "X1234567", "R123-4567", "RÅ123456"])
def test_it_refuses_a_malformed_reserve_number(value):
    assert _code(value) == "format"


@pytest.mark.parametrize(
    "value",
    [
        "",
        None,
        "19990807239",  # eleven digits
        "1999080723911",  # thirteen digits
        "19990807/2391",
        "ÅÅMMDD-NNNN",
        "١٩٩٩٠٨٠٧٢٣٩١",  # Arabic-Indic digits: digits to Python, not to Skatteverket
    ],
)
def test_it_refuses_what_is_not_a_number(value):
    assert _code(value) == "format"


def test_it_refuses_a_serial_of_more_than_three_digits():
    with pytest.raises(ValueError, match="three digits"):
        pnr.with_check_digit(date(2015, 3, 14), 1000)


def test_it_catches_a_century_typo_by_the_date_the_check_digit_does_not_cover():
    # The check digit covers YYMMDDNNN only: a changed century is caught because the date fails.
    assert _code("2" + TEST_NUMBER[1:]) == "future"
    assert _code("0" + TEST_NUMBER[1:]) == "date"


births = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
serials = st.integers(min_value=0, max_value=999)


@given(born=births, serial=serials, coordination=st.booleans())
def test_it_parses_every_generated_number_back_to_its_date(born, serial, coordination):
    number = pnr.with_check_digit(born, serial, coordination=coordination)
    kind = pnr.SAMORDNINGSNUMMER if coordination else pnr.PERSONNUMMER
    for written in (number, f"{number[:8]}-{number[8:]}", _ten_digit(number)):
        parsed = pnr.parse(written, today=TODAY)
        assert (parsed.kind, parsed.normalised, parsed.birth_date) == (kind, number, born)


@given(born=births, serial=serials, coordination=st.booleans(), position=st.integers(2, 11), data=st.data())
def test_it_refuses_any_single_digit_change(born, serial, coordination, position, data):
    number = pnr.with_check_digit(born, serial, coordination=coordination)
    digit = data.draw(st.sampled_from([d for d in "0123456789" if d != number[position]]))
    changed = number[:position] + digit + number[position + 1 :]
    assert _code(changed) in {"checksum", "date"}


@pytest.mark.parametrize(
    "text",
    [
        f"Eleven ({TEST_NUMBER}) har bytt skola.",
        "Nummer 990807-2391 i texten.",
        "Nummer 9908072391 utan bindestreck.",
        "Samordningsnummer " + pnr.with_check_digit(date(2015, 4, 3), 990, coordination=True) + ".",
    ],
)
def test_it_finds_a_number_written_inside_free_text(text):
    assert pnr.contains_identity_number(text)


@pytest.mark.parametrize(
    "text",
    [
        "Möte 2026-03-01 kl. 10, telefon 070-123 45 67.",
        "Nummer 990807-2392 med fel kontrollsiffra.",
        "Ett långt tal 12199908072391 är inget personnummer.",
        "",
    ],
)
def test_it_leaves_text_without_a_valid_number_alone(text):
    assert not pnr.contains_identity_number(text)
