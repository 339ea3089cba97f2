"""An anonymous consultation cannot be linked to a child: no reference in the table, identifying text refused,
and the log extract of any child never mentions it."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from audit.models import AuditEvent
from core.personnummer import with_check_digit
from meetings import identifying, services
from meetings.models import AgendaItem, Outcome
from meetings.tests.helpers import via
from people.models import Child
from testsupport.cast import sign_in

CLEAN = {
    "title": "Flicka med hög frånvaro",
    "age_band": "10-12",
    "gender": "girl",
    "situation": "Eleven har varit borta mycket sedan höstlovet och verkar orolig.",
    "question": "Vilka vägar finns till stöd utan att familjen känner sig utpekad?",
}


def test_the_item_table_has_no_reference_to_any_child():
    """No field of an agenda item (or of an outcome, which can point at one) is a relation towards child data."""
    for model in (AgendaItem, Outcome):
        for field in model._meta.get_fields():
            target = getattr(field, "related_model", None)
            if target is None:
                continue
            assert target is not Child
            assert not any(
                isinstance(inner, models.ForeignKey | models.OneToOneField) and inner.related_model is Child
                for inner in target._meta.get_fields()
            ), f"{model.__name__}.{field.name} reaches a model that points at a child"
    names = {field.name for field in AgendaItem._meta.get_fields()}
    assert not names & {"child", "child_id", "identity_number", "name", "given_name", "family_name", "consent"}


NUMBER = with_check_digit(date(2015, 3, 14), 982)  # a test-range personnummer
COORDINATION = with_check_digit(date(2015, 3, 14), 982, coordination=True)


@pytest.mark.parametrize(
    "text",
    [
        f"Barnet har nummer {NUMBER}",  # 12 digits
        f"Barnet har nummer {NUMBER[2:8]}-{NUMBER[8:]}",  # 10 digits with hyphen
        f"Barnet har nummer {NUMBER[2:]}",  # 10 digits without separator
        f"nummer {NUMBER[:8]}-{NUMBER[8:]}",  # 12 digits with hyphen
        f"nummer {NUMBER[2:8]}+{NUMBER[8:]}",  # over 100 years' separator
        f"samordningsnummer {COORDINATION}",
        "fel kontrollsiffra 150314-9821 ändå",  # shaped like a number, even if not valid
    ],
)
def test_it_refuses_personal_numbers_in_every_form(cast, meeting, text):
    with pytest.raises(ValidationError) as raised:
        services.item_add(meeting=meeting, kind="anonymous", via=via(cast.named_person), **{**CLEAN, "situation": text})
    assert "personnummer" in str(raised.value)
    assert not AgendaItem.objects.exists()


@pytest.mark.parametrize("text", ["ring 070-123 45 67", "tel 0701234567", "+46 70 123 45 67", "08-123 456 78"])
def test_it_refuses_phone_numbers(cast, meeting, text):
    with pytest.raises(ValidationError) as raised:
        services.item_add(meeting=meeting, kind="anonymous", via=via(cast.named_person), **{**CLEAN, "question": text})
    assert "telefonnummer" in str(raised.value)
    assert not AgendaItem.objects.exists()


@pytest.mark.parametrize("text", ["bor på Storgatan 5", "Björkvägen 12 B", "adress 123 45 Testköping"])
def test_it_refuses_addresses(cast, meeting, text):
    with pytest.raises(ValidationError) as raised:
        services.item_add(meeting=meeting, kind="anonymous", via=via(cast.named_person), **{**CLEAN, "situation": text})
    assert "adress" in str(raised.value)


@pytest.mark.parametrize("text", ["Alva har varit borta", "familjen andersson", "Vidar är orolig"])
def test_it_refuses_the_names_of_the_raisers_own_children(cast, meeting, text):
    """The named person sees Alva Andersson and Vidar Skyddad: their names are refused, in any case."""
    with pytest.raises(ValidationError) as raised:
        services.item_add(meeting=meeting, kind="anonymous", via=via(cast.named_person), **{**CLEAN, "title": text})
    assert "namn" in str(raised.value)


def test_names_are_those_of_the_raisers_own_children_only(cast, meeting):
    """The BUP clinician sees neither child: their names are ordinary words for them (nothing to refuse)."""
    assert identifying.problems("Alva har varit borta", user=cast.bup_clinician) == []


def test_clean_text_is_stored_without_any_identity(cast, meeting):
    item = services.item_add(meeting=meeting, kind="anonymous", via=via(cast.named_person), **CLEAN)
    assert (item.kind, item.age_band, item.gender) == ("anonymous", "10-12", "girl")
    row = AuditEvent.objects.get(record_type="AgendaItem", record_id=str(item.pk))
    assert (row.child_id, row.basis) == (None, "team_meeting")


def test_the_log_extract_of_any_child_never_mentions_it(cast, meeting, client):

    item = services.item_add(meeting=meeting, kind="anonymous", via=via(cast.named_person), **CLEAN)
    services.outcome_add(
        meeting=meeting, item=item, kind="advice", text="Prata med elevhälsan.", via=via(cast.named_person)
    )
    for child in (cast.child, cast.protected_child):
        assert not AuditEvent.objects.filter(child_id=child.pk, record_type__in=("AgendaItem", "Outcome")).exists()
    sign_in(client, cast.named_person)
    extract = client.get(reverse("audit:child_log_csv", args=[cast.child.pk])).content.decode()
    assert "AgendaItem" not in extract and CLEAN["title"] not in extract and "team_meeting" not in extract


def test_the_form_shows_the_message_and_keeps_nothing(cast, meeting, client):

    sign_in(client, cast.named_person)
    url = reverse("meetings:item_new", args=[meeting.pk, "anonym"])
    response = client.post(url, {**CLEAN, "situation": f"Barnet {NUMBER}"})
    assert response.status_code == 400
    assert "liknar ett personnummer" in response.content.decode()
    assert not AgendaItem.objects.exists()
    assert client.post(url, CLEAN).status_code == 302
    assert AgendaItem.objects.get().title == CLEAN["title"]
