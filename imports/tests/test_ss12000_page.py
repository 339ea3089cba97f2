"""Starting an SS12000 sync from the import page: who may, full or delta or a dry run, progress and the report.

The sync runs against the recorded SS12000 server the sync tests use (`server`, from test_ss12000), in the
request (`SAMPLAN_IMPORT_IN_BACKGROUND = False`). The cast's administrator works for Barn- och
utbildningsnämnden, whose school system the server is; an administrator of another authority (the region),
of another municipality's committee, a practitioner and a head teacher may not start it.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from imports.models import ImportRun, SS12000Server
from imports.tests.test_ss12000 import server  # noqa: F401  (the recorded server fixture)
from organisations.models import Authority, Membership, Municipality, Role, Unit
from people.models import Enrolment
from testsupport.cast import sign_in

LIST = reverse("imports:list")
SYNC = reverse("imports:ss12000_sync")

User = get_user_model()


@pytest.fixture(autouse=True)
def _in_the_request(settings):
    settings.SAMPLAN_IMPORT_IN_BACKGROUND = False


@pytest.fixture
def school_system(cast, server):  # noqa: F811
    return SS12000Server.objects.create(name="Skolsystemet i Testköping", url=server.url, authority=cast.education)


def _post(system: SS12000Server, *, scope: str = "delta", dry_run: bool = False) -> dict:
    data = {"ss12000-server": system.pk, "ss12000-scope": scope}
    if dry_run:
        data["ss12000-dry_run"] = "on"
    return data


def _administrator(username: str, unit: Unit) -> User:
    user = User.objects.create_user(username=username, first_name="Adam", last_name="Annan")
    Membership.objects.create(
        user=user, unit=unit, role=Role.ADMINISTRATOR, valid_from=date.today() - timedelta(days=9)
    )
    return user


def test_the_administrator_starts_a_full_sync_and_reads_the_report_in_words(client, cast, school_system):
    sign_in(client, cast.administrator)
    page = client.get(LIST).content.decode()
    assert "Hämta från skolans system (SS12000)" in page and "Skolsystemet i Testköping" in page
    response = client.post(SYNC, _post(school_system, scope="full"))
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:detail", args=[run.pk])
    assert run.kind == ImportRun.Kind.SS12000 and run.full and not run.dry_run
    assert run.started_by == cast.administrator and run.status == ImportRun.Status.DONE, run.error
    report = client.get(response.url).content.decode()
    assert "Allt, från början" in report
    assert "Nya roller för personal: 1" in report  # what changed, counted in words
    assert "Ny roll: Yrkesverksam på Västra skolan" in report
    assert "skolenhetskod 99999999" in report  # what could not be mapped, said why
    assert "Vaktmästare" in report
    assert cast.child.identity_number not in report and cast.protected_child.identity_number not in report
    assert Enrolment.objects.filter(child=cast.protected_child, unit=cast.preschool).exists()


def test_a_delta_from_the_page_asks_for_changes_since_the_last_sync(client, cast, school_system, server):  # noqa: F811
    sign_in(client, cast.administrator)
    client.post(SYNC, _post(school_system, scope="full"))
    first = ImportRun.objects.get()
    response = client.post(SYNC, _post(school_system))
    delta = ImportRun.objects.exclude(pk=first.pk).get()
    assert not delta.full and delta.modified_after == first.started_at
    assert any("meta.modified.after" in path for path in server.requests)
    report = client.get(response.url).content.decode()
    assert "Ändringar sedan" in report and "Nya förslag om överlämning: 1" in report


def test_a_dry_run_from_the_page_reports_and_saves_nothing(client, cast, school_system):
    sign_in(client, cast.administrator)
    response = client.post(SYNC, _post(school_system, scope="full", dry_run=True))
    run = ImportRun.objects.get()
    assert run.dry_run and run.status == ImportRun.Status.DONE
    assert "Ja: ingenting sparades." in client.get(response.url).content.decode()
    assert not Enrolment.objects.filter(child=cast.protected_child, unit=cast.preschool).exists()
    assert not Membership.objects.filter(user=cast.teacher, unit=cast.other_school).exists()


def test_a_running_sync_shows_its_step_in_words(client, cast, school_system):
    sign_in(client, cast.administrator)
    running = ImportRun.objects.create(kind="ss12000", source_name=school_system.url, total=6, processed=2)
    fragment = client.get(reverse("imports:detail", args=[running.pk]), headers={"HX-Request": "true"})
    body = fragment.content.decode()
    assert "Läser placeringar i förskolan (steg 3 av 6)" in body
    assert 'hx-trigger="every 1s"' in body and "<progress" in body


def test_another_authoritys_administrator_can_neither_see_nor_start_the_sync(client, cast, school_system):
    region_admin = _administrator("regionadmin", cast.bvc)
    sign_in(client, region_admin)
    page = client.get(LIST)
    assert page.status_code == 200  # the import page itself is for every administrator
    assert "Hämta från skolans system" not in page.content.decode()
    assert client.post(SYNC, _post(school_system, scope="full")).status_code == 404
    assert not ImportRun.objects.exists()


def test_another_municipalitys_administrator_cannot_start_this_municipalitys_sync(client, cast, school_system):
    other = Municipality.objects.create(name="Andraby kommun", code="9998")
    authority = Authority.objects.create(
        name="Andraby barn- och utbildningsnämnd", kind="municipal_committee", sector="education", municipality=other
    )
    own = SS12000Server.objects.create(name="Andrabys skolsystem", url="http://127.0.0.1:9/v2", authority=authority)
    admin = _administrator(
        "andraby_admin", Unit.objects.create(authority=authority, name="Andraby skola", unit_type="school")
    )
    sign_in(client, admin)
    page = client.get(LIST).content.decode()
    assert "Andrabys skolsystem" in page and "Skolsystemet i Testköping" not in page
    response = client.post(SYNC, _post(school_system, scope="full"))  # the other municipality's server: not a choice
    assert response.status_code == 400
    assert "Välj ett av systemen i listan." in response.content.decode()
    assert not ImportRun.objects.exists()
    assert own.pk != school_system.pk


@pytest.mark.parametrize("persona", ["teacher", "named_person", "manager", "expired", "guardian_user"])
def test_no_one_but_an_administrator_starts_a_sync(client, cast, school_system, persona):
    sign_in(client, getattr(cast, persona))
    assert client.post(SYNC, _post(school_system, scope="full")).status_code == 404
    assert not ImportRun.objects.exists()


def test_an_administrator_whose_membership_has_ended_cannot_start_it(client, cast, school_system):
    Membership.objects.filter(user=cast.administrator).update(valid_to=date.today() - timedelta(days=1))
    sign_in(client, cast.administrator)
    assert client.post(SYNC, _post(school_system, scope="full")).status_code == 404
    assert not ImportRun.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, school_system):
    assert client.post(SYNC, _post(school_system)).status_code == 302
    assert not ImportRun.objects.exists()
