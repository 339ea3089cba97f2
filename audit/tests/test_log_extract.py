"""The log extract of a child, as a page and as CSV: who may read it, what it holds, that reading it is logged."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from audit import log as audit
from audit.models import AuditEvent
from organisations.models import Role
from testsupport.cast import assessed_user, sign_in


def page_url(child) -> str:
    return reverse("audit:child_log", kwargs={"child_id": child.pk})


def csv_url(child) -> str:
    return reverse("audit:child_log_csv", kwargs={"child_id": child.pk})


def write(child, *, username: str, authority_id, unit: str = "", reason: str = "", target: str = "test:page") -> None:
    actor = audit.Actor(user_id=None, username=username, unit_name=unit, authority_id=authority_id)
    with audit.deferred():
        audit.record(
            actor=actor,
            action="read",
            surface="page",
            target=target,
            basis="enrolment",
            child_id=child.pk,
            reason=reason,
        )


@pytest.fixture
def history(cast):
    """Earlier reads of the child by the education authority's staff, by the region, and of another child."""
    write(cast.child, username="lararen", authority_id=cast.education.pk, unit="Östra skolan")
    write(cast.child, username="bvc-sjukskoterskan", authority_id=cast.region.pk, unit="BVC Centrum")
    write(cast.protected_child, username="annat-barn", authority_id=cast.education.pk)
    write(cast.child, username="nattkorningen", authority_id=None, target="run_due_tasks")


@pytest.fixture
def get(client):
    def fetch(user, url):
        sign_in(client, user)
        return client.get(url)

    return fetch


@pytest.mark.parametrize("persona", ["named_person", "manager"])
def test_it_shows_the_extract_to_the_named_person_and_the_manager(get, cast, history, persona):
    response = get(getattr(cast, persona), page_url(cast.child))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<h1") == 1
    assert "Loggutdrag för Alva Andersson" in body
    assert "lararen" in body
    assert "Östra skolan" in body
    assert "nattkorningen" in body
    assert "annat-barn" not in body
    assert "no-store" in response["Cache-Control"]


def test_it_holds_only_the_users_own_authoritys_accesses(get, cast, history):
    body = get(cast.named_person, page_url(cast.child)).content.decode()
    assert "bvc-sjukskoterskan" not in body
    assert "BVC Centrum" not in body


def test_it_lists_the_newest_first(get, cast, history):
    write(cast.child, username="senast", authority_id=cast.education.pk)
    body = get(cast.named_person, page_url(cast.child)).content.decode()
    assert body.index("senast") < body.index("lararen")


def test_it_pages_a_long_extract(get, cast):
    for index in range(55):
        write(cast.child, username=f"person{index:02d}", authority_id=cast.education.pk)
    first = get(cast.named_person, page_url(cast.child)).content.decode()
    assert "person54" in first
    assert "person04" not in first
    assert "Sida 1 av 2" in first


def test_it_logs_the_reading_of_the_extract(get, cast):
    get(cast.named_person, page_url(cast.child))
    row = AuditEvent.objects.get(target="audit:child_log")
    assert (row.child_id, row.action, row.basis, row.user_id) == (
        cast.child.pk,
        "read",
        "named_person",
        cast.named_person.pk,
    )


@pytest.mark.parametrize(
    "persona",
    [
        "teacher",  # sees the child, but a practitioner neither answers for it nor for the staff
        "other_school_teacher",
        "bvc_nurse",
        "social_worker",
        "outsider",
        "expired",
        "analyst",
        "administrator",
    ],
)
def test_it_answers_404_to_everyone_else(get, cast, history, persona):
    for url in (page_url(cast.child), csv_url(cast.child)):
        response = get(getattr(cast, persona), url)
        body = response.content.decode()
        assert response.status_code == 404
        for secret in ("Alva", "Andersson", "lararen", cast.child.identity_number):
            assert secret not in body
    assert not AuditEvent.objects.filter(target__startswith="audit:").exists()


def test_it_shows_a_protected_childs_extract_only_to_those_who_may_see_where_it_is(get, cast, history):
    assert get(cast.manager, page_url(cast.protected_child)).status_code == 404
    # The extract names the units of those who read it; the named person needs an assessment too.
    assert get(cast.named_person, page_url(cast.protected_child)).status_code == 404
    response = get(
        assessed_user(cast, cast.protected_child, unit=cast.school, role=Role.MANAGER), page_url(cast.protected_child)
    )
    assert response.status_code == 200
    assert "annat-barn" in response.content.decode()


def test_it_exports_the_extract_as_csv(get, cast, history):
    response = get(cast.named_person, csv_url(cast.child))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith(f'attachment; filename="loggutdrag-{cast.child.pk}')
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:4] == ["Tidpunkt", "Användare", "Titel", "Enhet"]
    users = [row[1] for row in rows[1:]]
    assert users == ["nattkorningen", "lararen"]
    assert rows[2][3] == "Östra skolan"
    assert rows[2][5] == "läste barnets uppgifter"  # a target without a phrase shows no identifier
    assert rows[2][7] == "Inskrivning på användarens enhet"
    assert cast.child.identity_number not in text
    assert "test:page" not in text


def test_it_logs_the_export(get, cast):
    get(cast.named_person, csv_url(cast.child))
    row = AuditEvent.objects.get(target="audit:child_log_csv")
    assert (row.child_id, row.action, row.surface) == (cast.child.pk, "export", "export")


@pytest.mark.parametrize("dangerous", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB"])
def test_it_defuses_spreadsheet_formulas(get, cast, dangerous):
    write(cast.child, username="lararen", authority_id=cast.education.pk, reason=dangerous)
    text = get(cast.named_person, csv_url(cast.child)).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    reasons = [row[8] for row in rows[1:] if row[1] == "lararen"]
    assert reasons == ["'" + dangerous]


def test_it_says_who_what_and_on_what_basis_in_words(get, cast):
    """A row names the person with title, unit and authority, and says what happened without route names or ids."""
    cast.teacher.title = "Klasslärare"
    cast.teacher.save(update_fields=["title"])
    actor = audit.Actor(
        user_id=cast.teacher.pk,
        username=cast.teacher.username,
        unit_name="Östra skolan",
        authority_id=cast.education.pk,
        authority_name="Utbildningsförvaltningen",
    )
    with audit.deferred():
        for action, target in (("read", "people:child"), ("export", "plans:pdf")):
            audit.record(
                actor=actor,
                action=action,
                surface="page",
                target=target,
                basis="enrolment",
                child_id=cast.child.pk,
                record_type="Plan",
                record_id="4711",
            )
    body = get(cast.named_person, page_url(cast.child)).content.decode()
    assert cast.teacher.get_full_name() in body
    assert "Klasslärare" in body
    assert "Läste barnets översikt" in body
    assert "Hämtade planen som PDF" in body
    assert "Inskrivning på användarens enhet" in body
    for identifier in ("people:child", "plans:pdf", "4711", ">Plan "):
        assert identifier not in body
    text = get(cast.named_person, csv_url(cast.child)).content.decode("utf-8-sig")
    assert "hämtade planen som PDF" in text and "plans:pdf" not in text and "4711" not in text
