"""The chronology: append-only entries, corrections, cross-authority visibility, filters and printing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import get_resolver, reverse

from audit.models import AuditEvent
from sharing.models import Block, Consent
from testsupport.cast import sign_in
from wellbeing import services
from wellbeing.models import ChronologyEntry, EntryIndicator
from wellbeing.tests.helpers import TODAY, consent, open_as, relate_bup, via, write

SEEING = ["named_person", "teacher", "manager"]
NOT_SEEING = ["other_school_teacher", "outsider", "expired", "analyst", "administrator", "bup_clinician"]


def chronology_url(child, **query) -> str:
    url = reverse("wellbeing:chronology", kwargs={"child_id": child.pk})
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def visible_texts(client, user, child, **query) -> str:
    sign_in(client, user)
    response = client.get(chronology_url(child, **query))
    assert response.status_code == 200
    return response.content.decode()


# --- Who sees the page ---


@pytest.mark.parametrize("persona", SEEING)
def test_it_shows_the_chronology_to_staff_with_a_relation(client, cast, persona):
    write(cast.teacher, cast.child)
    body = visible_texts(client, getattr(cast, persona), cast.child)
    assert "tre dagar i rad" in body
    assert "Barn- och utbildningsnämnden" in body  # the owning authority on each entry
    assert body.count("<h1") == 1


@pytest.mark.parametrize("persona", NOT_SEEING)
@pytest.mark.parametrize("name", ["chronology", "entry_new"])
def test_it_answers_404_to_everyone_else(client, cast, persona, name):
    write(cast.teacher, cast.child)
    sign_in(client, getattr(cast, persona))
    response = client.get(reverse(f"wellbeing:{name}", kwargs={"child_id": cast.child.pk}))
    assert response.status_code == 404
    assert "Alva" not in response.content.decode()


def test_it_answers_404_for_an_entry_of_another_child(client, cast):
    entry = write(cast.teacher, cast.protected_child)
    sign_in(client, cast.teacher)
    response = client.get(reverse("wellbeing:entry", kwargs={"child_id": cast.child.pk, "entry_id": entry.pk}))
    assert response.status_code == 404


# --- Writing and immutability ---


def test_it_saves_an_entry_with_the_authors_authority_category_and_indicators(client, cast):
    sign_in(client, cast.teacher)
    response = client.post(
        reverse("wellbeing:entry_new", kwargs={"child_id": cast.child.pk}),
        {
            "kind": "strength",
            "start_date": (TODAY - timedelta(days=1)).isoformat(),
            "what_happened": "Alva ledde klassens samling och berättade om sin hund.",
            "source": "Klasslärare",
            "indicators": ["respected", "included"],
            "impact": "positive",
        },
    )
    entry = ChronologyEntry.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("wellbeing:entry", kwargs={"child_id": cast.child.pk, "entry_id": entry.pk})
    assert (entry.owner_authority, entry.category, entry.author_unit) == (cast.education, "education", cast.school)
    assert sorted(entry.indicators.values_list("indicator", flat=True)) == ["included", "respected"]
    assert AuditEvent.objects.filter(action="create", record_type="ChronologyEntry", record_id=str(entry.pk)).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"what_happened": "  "}, "Beskriv vad som hände"),
        ({"source": ""}, "Skriv vem som såg eller berättade"),
        ({"start_date": (TODAY + timedelta(days=1)).isoformat()}, "kan inte ligga i framtiden"),
        ({"end_date": (TODAY - timedelta(days=10)).isoformat()}, "Slutdatumet kan inte ligga före startdatumet"),
        ({"indicators": ["happy"]}, "Välj bland de åtta indikatorerna"),
        ({"impact": ""}, "Välj om det påverkar barnet"),
    ],
)
def test_it_refuses_bad_input_saying_what_to_do_and_saves_nothing(client, cast, change, message):
    sign_in(client, cast.teacher)
    data = {
        "kind": "concern",
        "start_date": (TODAY - timedelta(days=2)).isoformat(),
        "what_happened": "Alva grät på rasten.",
        "source": "Rastvakt",
        "impact": "negative",
        **change,
    }
    response = client.post(reverse("wellbeing:entry_new", kwargs={"child_id": cast.child.pk}), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ChronologyEntry.objects.exists()


def test_there_is_no_route_to_edit_or_delete_an_entry(client, cast):
    names = [name for name in get_resolver().reverse_dict if isinstance(name, str)]
    wellbeing = [name for name in get_resolver().namespace_dict["wellbeing"][1].reverse_dict if isinstance(name, str)]
    assert wellbeing and not [n for n in wellbeing if "edit" in n or "delete" in n or "update" in n]
    assert not [n for n in names if "chronology" in n and ("delete" in n or "edit" in n)]
    entry = write(cast.teacher, cast.child)
    sign_in(client, cast.teacher)
    url = reverse("wellbeing:entry", kwargs={"child_id": cast.child.pk, "entry_id": entry.pk})
    assert client.post(url, {"what_happened": "ändrat"}).status_code == 405
    assert client.delete(url).status_code == 405
    entry.refresh_from_db()
    assert entry.what_happened.startswith("Alva har varit borta")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only triggers exist only on PostgreSQL")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE wellbeing_chronologyentry SET what_happened = 'x'",
        "DELETE FROM wellbeing_chronologyentry",
        "UPDATE wellbeing_entryindicator SET indicator = 'healthy'",
        "DELETE FROM wellbeing_entryindicator",
    ],
)
def test_the_database_refuses_to_change_or_delete_entries(cast, sql):
    write(cast.teacher, cast.child)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ChronologyEntry.objects.update(source="ändrad")
    assert ChronologyEntry.objects.get().source == "Klasslärare"
    assert EntryIndicator.objects.get().indicator == "safe"


# --- Corrections ---


def test_a_correction_is_a_new_entry_linked_to_the_old_and_both_stay_visible(client, cast):
    original = write(cast.teacher, cast.child, what_happened="Alva var borta måndag till onsdag.")
    sign_in(client, cast.named_person)
    url = reverse("wellbeing:entry_correct", kwargs={"child_id": cast.child.pk, "entry_id": original.pk})
    assert "Alva var borta måndag till onsdag." in client.get(url).content.decode()  # prefilled
    response = client.post(
        url,
        {
            "kind": "concern",
            "start_date": original.start_date.isoformat(),
            "what_happened": "Alva var borta måndag och tisdag, inte onsdag.",
            "source": "Klasslärare",
            "indicators": ["safe"],
            "impact": "negative",
        },
    )
    assert response.status_code == 302
    correction = ChronologyEntry.objects.exclude(pk=original.pk).get()
    assert correction.corrects == original
    original.refresh_from_db()
    assert original.what_happened == "Alva var borta måndag till onsdag."
    body = visible_texts(client, cast.teacher, cast.child)
    assert "Alva var borta måndag till onsdag." in body
    assert "Alva var borta måndag och tisdag, inte onsdag." in body
    assert f"Rättelse av nr {original.pk}" in body
    detail = client.get(reverse("wellbeing:entry", kwargs={"child_id": cast.child.pk, "entry_id": original.pk}))
    assert f"Rättelse nr {correction.pk}" in detail.content.decode()


def test_only_the_owning_authority_may_correct_an_entry(client, cast):
    relate_bup(cast)
    consent(cast, categories=("health",), recipients=[cast.education])
    bup_entry = write(cast.bup_clinician, cast.child, what_happened="Bedömning påbörjad hos BUP.")
    sign_in(client, cast.teacher)
    url = reverse("wellbeing:entry_correct", kwargs={"child_id": cast.child.pk, "entry_id": bup_entry.pk})
    response = client.post(url, {"kind": "event", "start_date": TODAY.isoformat(), "what_happened": "x"})
    assert response.status_code == 403
    assert "Region Test" in response.content.decode()
    assert ChronologyEntry.objects.count() == 1
    access = open_as(cast.teacher, cast.child)
    with pytest.raises(ValidationError, match="Bara den myndighet"):
        services.chronology_entry_create(
            access=access,
            author=cast.teacher,
            kind="event",
            start_date=TODAY,
            what_happened="Rättelse",
            source="Skolan",
            indicators=[],
            impact="neutral",
            corrects=bup_entry,
            via=via(cast.teacher),
        )


# --- Across authorities ---


def test_a_bup_entry_is_hidden_from_the_teacher_without_consent(client, cast):
    relate_bup(cast)
    write(cast.bup_clinician, cast.child, what_happened="Samtal hos BUP om sömnsvårigheter.", indicators=["healthy"])
    assert "sömnsvårigheter" in visible_texts(client, cast.bup_clinician, cast.child)
    assert "sömnsvårigheter" not in visible_texts(client, cast.teacher, cast.child)


def test_a_consent_covering_health_to_education_shows_it_and_logs_the_read(client, cast):
    relate_bup(cast)
    entry = write(cast.bup_clinician, cast.child, what_happened="Samtal hos BUP om sömnsvårigheter.")
    given = consent(cast, categories=("health",), recipients=[cast.education])
    body = visible_texts(client, cast.teacher, cast.child)
    assert "sömnsvårigheter" in body
    assert "Region Test" in body
    assert AuditEvent.objects.filter(
        user_id=cast.teacher.pk, record_type="ChronologyEntry", record_id=str(entry.pk), basis=f"consent:{given.pk}"
    ).exists()


def test_a_consent_for_another_category_does_not_open_it(client, cast):
    relate_bup(cast)
    write(cast.bup_clinician, cast.child, what_happened="Samtal hos BUP om sömnsvårigheter.")
    consent(cast, categories=("social",), recipients=[cast.education])
    assert "sömnsvårigheter" not in visible_texts(client, cast.teacher, cast.child)


def test_withdrawing_the_consent_hides_it_again_at_once(client, cast):
    relate_bup(cast)
    write(cast.bup_clinician, cast.child, what_happened="Samtal hos BUP om sömnsvårigheter.")
    given = consent(cast, categories=("health",), recipients=[cast.education])
    assert "sömnsvårigheter" in visible_texts(client, cast.teacher, cast.child)
    Consent.objects.filter(pk=given.pk).update(status=Consent.Status.WITHDRAWN)
    assert "sömnsvårigheter" not in visible_texts(client, cast.teacher, cast.child)


def test_a_block_closes_it_even_with_consent(client, cast):
    relate_bup(cast)
    write(cast.bup_clinician, cast.child, what_happened="Samtal hos BUP om sömnsvårigheter.")
    consent(cast, categories=("health",), recipients=[cast.education])
    Block.objects.create(
        child=cast.child,
        owner_authority=cast.region,
        category="health",
        ground=Block.Ground.values[0],
        reason="Patientens begäran",
        created_by=cast.bup_clinician,
    )
    assert "sömnsvårigheter" not in visible_texts(client, cast.teacher, cast.child)


# --- Order, filters, pagination, printing ---


def test_it_lists_entries_in_date_order_and_filters_by_indicator_authority_and_period(client, cast):
    relate_bup(cast)
    consent(cast, categories=("health",), recipients=[cast.education])
    write(cast.teacher, cast.child, what_happened="Händelse B", start_date=TODAY - timedelta(days=5), indicators=[])
    write(cast.teacher, cast.child, what_happened="Händelse A", start_date=TODAY - timedelta(days=50))
    write(
        cast.bup_clinician,
        cast.child,
        what_happened="Händelse C",
        start_date=TODAY - timedelta(days=20),
        end_date=TODAY - timedelta(days=2),
        indicators=["healthy"],
    )
    body = visible_texts(client, cast.teacher, cast.child)
    assert body.index("Händelse A") < body.index("Händelse C") < body.index("Händelse B")
    only_safe = visible_texts(client, cast.teacher, cast.child, indikator="safe")
    assert "Händelse A" in only_safe and "Händelse B" not in only_safe and "Händelse C" not in only_safe
    only_region = visible_texts(client, cast.teacher, cast.child, myndighet=cast.region.pk)
    assert "Händelse C" in only_region and "Händelse A" not in only_region
    period = visible_texts(
        client,
        cast.teacher,
        cast.child,
        fran=(TODAY - timedelta(days=10)).isoformat(),
        till=(TODAY - timedelta(days=1)).isoformat(),
    )
    # C's period (20 to 2 days ago) overlaps; A is before the period; B is inside it.
    assert "Händelse C" in period and "Händelse B" in period and "Händelse A" not in period


def test_the_authority_filter_offers_only_authorities_the_user_sees(client, cast):
    relate_bup(cast)
    write(cast.bup_clinician, cast.child, what_happened="Hemligt")
    write(cast.teacher, cast.child)
    body = visible_texts(client, cast.teacher, cast.child)
    assert "Region Test" not in body


def test_it_paginates_and_prints_everything_on_one_page(client, cast):
    for day in range(35):
        write(cast.teacher, cast.child, what_happened=f"Post {day:02d}", start_date=TODAY - timedelta(days=40 - day))
    first = visible_texts(client, cast.teacher, cast.child)
    assert "Sida 1 av 2" in first and "Post 00" in first and "Post 34" not in first
    second = visible_texts(client, cast.teacher, cast.child, sida=2)
    assert "Post 34" in second
    printed = visible_texts(client, cast.teacher, cast.child, utskrift=1)
    assert "Post 00" in printed and "Post 34" in printed and "Sida 1 av" not in printed
    assert "wellbeing/wellbeing.css" in printed
    assert AuditEvent.objects.filter(action="print", target="wellbeing:chronology", user_id=cast.teacher.pk).exists()


def test_it_shows_an_empty_state(client, cast):
    assert "Det finns inga poster" in visible_texts(client, cast.teacher, cast.child)
