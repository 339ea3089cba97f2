"""Pages survive whatever is typed or sent in their search boxes, number look-up and date and number filters:
never a server error, a NUL character answers 400 in Swedish, and invalid input changes nothing."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.models import AuditEvent
from core import personnummer
from people.models import Child
from testsupport.cast import sign_in

NUL_MESSAGE = "innehöll ett NUL-tecken"

# Anything a client can send: every character that is valid in UTF-8, NUL and control characters included.
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=120)
NUMBER = st.one_of(st.integers().map(str), st.floats(allow_nan=True).map(str), TEXT)
DATE = st.one_of(st.dates().map(str), st.integers(-(10**6), 10**6).map(lambda year: f"{year}-01-01"), TEXT)
EXAMPLES = settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _assert_answered(response, value: str) -> None:
    if "\x00" in value:
        assert response.status_code == 400
        assert NUL_MESSAGE in response.content.decode()
    else:
        assert response.status_code in (200, 400)


@pytest.mark.parametrize(
    ("url", "who"),
    [("/barn/?q=%00", "teacher"), ("/namngiven-person/mina-barn/?q=%00", "named_person"), ("/team/?q=a%00", "teacher")],
)
def test_a_nul_character_in_a_search_answers_400_in_swedish(client, cast, url, who):
    sign_in(client, getattr(cast, who))
    response = client.get(url)
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    assert response.templates[0].name == "core/bad_input.html"


def test_a_nul_character_in_a_form_answers_400_and_looks_nothing_up(client, cast):
    sign_in(client, cast.named_person)
    before = AuditEvent.objects.count()
    response = client.post(reverse("people:lookup"), {"number": cast.child.identity_number, "reason": "Akut\x00"})
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    ("name", "who"),
    [("people:child_list", "teacher"), ("namedperson:my_children", "named_person"), ("teams:list", "teacher")],
)
def test_search_boxes_take_any_text(client, cast, name, who):
    sign_in(client, getattr(cast, who))
    url = reverse(name)

    @EXAMPLES
    @given(q=TEXT, order=TEXT, page=NUMBER)
    def search(q, order, page):
        response = client.get(url, {"q": q, "ordning": order, "sida": page})
        _assert_answered(response, q + order + page)

    search()


def test_the_chronology_filter_takes_any_dates_and_numbers(client, cast):
    sign_in(client, cast.teacher)
    url = reverse("wellbeing:chronology", kwargs={"child_id": cast.child.pk})

    @EXAMPLES
    @given(date_from=DATE, date_to=DATE, authority=NUMBER, indicator=TEXT, page=NUMBER)
    def filter_by(date_from, date_to, authority, indicator, page):
        query = {"fran": date_from, "till": date_to, "myndighet": authority, "indikator": indicator, "sida": page}
        response = client.get(f"{url}?{urlencode(query)}")
        _assert_answered(response, "".join(query.values()))

    filter_by()


def test_the_number_lookup_takes_any_text_and_changes_nothing_when_invalid(client, cast):
    sign_in(client, cast.named_person)
    url = reverse("people:lookup")

    @EXAMPLES
    @given(number=st.one_of(TEXT, NUMBER), reason=TEXT)
    def look_up(number, reason):
        before = (AuditEvent.objects.count(), Child.objects.count())
        response = client.post(url, {"number": number, "reason": reason})
        _assert_answered(response, number + reason)
        try:
            personnummer.parse(number)
        except ValidationError:  # a refused number: nothing may be looked up or logged
            assert response.status_code == 400
            assert (AuditEvent.objects.count(), Child.objects.count()) == before

    look_up()
