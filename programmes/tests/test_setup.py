"""Setting up programmes, sub-projects, events and sessions on pages: who may, the checks, the audit rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from programmes import services
from programmes.models import BudgetEntry, Event, EventSession, Programme, Registration, SubProject
from programmes.tests.setup import VIA, make_event, make_programme
from programmes.tests.test_pages import _other_municipality_manager
from testsupport.cast import sign_in

pytestmark = pytest.mark.django_db

PROGRAMME = {
    "name": "Tidiga insatser 2015",
    "owner": "Kommunstyrelsen",
    "starts_on": "2015-01-01",
    "ends_on": "2015-12-31",
    "steering_group": "Stadsdirektör\nSocialdirektör",
    "description": "Stöd tidigt.",
}
EVENT = {
    "title": "Samtal med barn",
    "place": "Stadshuset",
    "speakers": "Ewa Westin",
    "target_professions": "Förskola och socialtjänst",
    "description": "",
}


def _counts() -> tuple[int, int, int, int]:
    return (Programme.objects.count(), SubProject.objects.count(), Event.objects.count(), EventSession.objects.count())


def _audited(record_type: str, action: str) -> int:
    return AuditEvent.objects.filter(record_type=record_type, action=action, basis="programme_work").count()


def _pages(cast):
    """Every set-up page of one programme world, as (url, a valid post)."""
    event, session = make_event(cast)
    programme = event.programme
    part = SubProject.objects.create(programme=programme, name="Statistik")
    day = timezone.localdate(session.starts_at).isoformat()
    return [
        (reverse("programmes:programme_new"), PROGRAMME | {"municipality": cast.municipality.pk}),
        (reverse("programmes:programme_edit", args=[programme.pk]), PROGRAMME),
        (reverse("programmes:sub_project_new", args=[programme.pk]), {"name": "Föreläsningar"}),
        (reverse("programmes:sub_project_edit", args=[part.pk]), {"name": "Statistik och uppföljning"}),
        (reverse("programmes:sub_project_remove", args=[part.pk]), {}),
        (reverse("programmes:event_new", args=[programme.pk]), EVENT),
        (reverse("programmes:event_edit", args=[event.pk]), EVENT),
        (reverse("programmes:session_new", args=[event.pk]), {"date": day, "part": "afternoon", "capacity": "10"}),
        (reverse("programmes:session_cancel", args=[session.pk]), {}),
    ]


@pytest.mark.parametrize("who", ["manager", "administrator"])
def test_managers_and_administrators_open_every_set_up_page(client, cast, who):
    pages = _pages(cast)
    sign_in(client, getattr(cast, who))
    for url, _data in pages:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["teacher", "social_worker", "analyst", "expired", "outsider"])
def test_other_staff_of_the_municipality_are_refused_and_change_nothing(client, cast, who):
    pages = _pages(cast)
    before = _counts()
    sign_in(client, getattr(cast, who))
    for url, data in pages:
        assert client.get(url).status_code == 403, url
        response = client.post(url, data)
        assert response.status_code == 403, url
        assert "Bara chefer och administratörer" in response.content.decode()
    assert _counts() == before
    assert Programme.objects.get().name == "Tidiga insatser"


def test_another_municipality_family_users_and_the_signed_out_get_nothing(client, cast):
    pages = _pages(cast)
    sign_in(client, _other_municipality_manager())
    for url, data in pages[1:]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, data).status_code == 404, url
    sign_in(client, cast.guardian_user)
    for url, data in pages:
        assert client.get(url).status_code == 404, url
        assert client.post(url, data).status_code == 404, url
    client.logout()
    for url, _data in pages:
        assert client.get(url).status_code == 302, url
    assert Programme.objects.count() == 1 and EventSession.objects.count() == 1 and SubProject.objects.count() == 1


def test_a_manager_of_another_municipality_creates_programmes_only_in_their_own(client, cast):
    sign_in(client, _other_municipality_manager())
    response = client.post(reverse("programmes:programme_new"), PROGRAMME | {"municipality": cast.municipality.pk})
    assert response.status_code == 400
    assert not Programme.objects.exists()


def test_a_manager_creates_and_edits_a_programme_with_sub_projects(client, cast):
    sign_in(client, cast.manager)
    response = client.post(reverse("programmes:programme_new"), PROGRAMME | {"municipality": cast.municipality.pk})
    programme = Programme.objects.get()
    assert response.status_code == 302 and programme.municipality == cast.municipality
    assert programme.steering_members == ["Stadsdirektör", "Socialdirektör"]
    edit = reverse("programmes:programme_edit", args=[programme.pk])
    assert client.post(edit, PROGRAMME | {"owner": "Barn- och utbildningsnämnden"}).status_code == 302
    new_part = reverse("programmes:sub_project_new", args=[programme.pk])
    assert client.post(new_part, {"name": "Stimulansbidrag", "description": "Goda idéer"}).status_code == 302
    part = SubProject.objects.get()
    assert client.post(reverse("programmes:sub_project_edit", args=[part.pk]), {"name": "Bidrag"}).status_code == 302
    page = client.get(reverse("programmes:programme", args=[programme.pk])).content.decode()
    assert "Barn- och utbildningsnämnden" in page and "Bidrag" in page
    remove = reverse("programmes:sub_project_remove", args=[part.pk])
    assert "Ta bort delprojektet Bidrag?" in client.get(remove).content.decode()
    assert SubProject.objects.exists()  # asking removes nothing
    assert client.post(remove).status_code == 302
    assert not SubProject.objects.exists()
    assert (_audited("Programme", "create"), _audited("Programme", "update")) == (1, 1)
    assert [_audited("SubProject", action) for action in ("create", "update", "delete")] == [1, 1, 1]


def test_programme_errors_are_explained_and_change_nothing(client, cast):
    programme, _line = make_programme(cast)
    SubProject.objects.create(programme=programme, name="Statistik")
    sign_in(client, cast.manager)
    edit = reverse("programmes:programme_edit", args=[programme.pk])
    response = client.post(edit, PROGRAMME | {"starts_on": "2015-06-01", "ends_on": "2015-01-01"})
    assert response.status_code == 400
    assert "Slutdatumet ligger före startdatumet" in response.content.decode()
    assert "programme_dates_ordered" not in response.content.decode()
    programme.refresh_from_db()
    assert programme.name == "Tidiga insatser"
    taken = client.post(reverse("programmes:sub_project_new", args=[programme.pk]), {"name": "statistik"})
    assert taken.status_code == 400 and "redan ett delprojekt med det namnet" in taken.content.decode()
    assert SubProject.objects.count() == 1
    assert AuditEvent.objects.filter(basis="programme_work").count() == 0


def test_a_sub_project_with_money_on_it_is_not_removed(client, cast):
    programme, line = make_programme(cast)
    part = SubProject.objects.create(programme=programme, name="Statistik")
    services.budget_book(line=line, kind="committed", amount=39000, description="SCB", sub_project=part, via=VIA)
    sign_in(client, cast.administrator)
    response = client.post(reverse("programmes:sub_project_remove", args=[part.pk]))
    assert response.status_code == 400
    assert "har budgetposter eller bokningar" in response.content.decode()
    assert SubProject.objects.filter(pk=part.pk).exists() and BudgetEntry.objects.count() == 1


def test_a_manager_creates_an_event_with_a_cost_line_and_adds_sessions(client, cast):
    programme, line = make_programme(cast)
    sign_in(client, cast.manager)
    response = client.post(reverse("programmes:event_new", args=[programme.pk]), EVENT | {"budget_line": line.pk})
    event = Event.objects.get()
    assert response.status_code == 302 and event.budget_line == line
    day = (timezone.localdate() + timedelta(days=20)).isoformat()
    add = reverse("programmes:session_new", args=[event.pk])
    assert client.post(add, {"date": day, "part": "morning", "capacity": "75"}).status_code == 302
    own = {"date": day, "part": "own", "starts": "13:15", "ends": "15:00", "capacity": "40"}
    assert client.post(add, own).status_code == 302
    morning, afternoon = event.sessions.all()
    assert timezone.localtime(morning.starts_at).strftime("%H:%M") == "08:30" and morning.capacity == 75
    assert timezone.localtime(afternoon.ends_at).strftime("%H:%M") == "15:00"
    page = client.get(reverse("programmes:event_edit", args=[event.pk])).content.decode()
    assert "Samtal med barn" in page and "morning" not in page
    assert (_audited("Event", "create"), _audited("EventSession", "create")) == (1, 2)


def test_session_errors_are_explained_and_add_nothing(client, cast):
    event, _session = make_event(cast)
    programme = event.programme
    add = reverse("programmes:session_new", args=[event.pk])
    sign_in(client, cast.manager)
    day = (timezone.localdate() + timedelta(days=20)).isoformat()
    outside = (programme.ends_on + timedelta(days=1)).isoformat()
    cases = [
        ({"date": day, "part": "morning", "capacity": "0"}, "Ange minst 1 plats."),
        ({"date": day, "part": "own", "starts": "15:00", "ends": "13:00", "capacity": "5"}, "slutar innan det börjar"),
        ({"date": day, "part": "own", "capacity": "5"}, "Ange både start- och sluttid"),
        ({"date": outside, "part": "morning", "capacity": "5"}, "utanför programmets period"),
    ]
    for data, message in cases:
        response = client.post(add, data)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert event.sessions.count() == 1
    assert _audited("EventSession", "create") == 0


def test_an_event_with_another_programmes_budget_line_is_refused(client, cast):
    event, _session = make_event(cast)
    _other, other_line = make_programme(cast)
    sign_in(client, cast.manager)
    response = client.post(reverse("programmes:event_edit", args=[event.pk]), EVENT | {"budget_line": other_line.pk})
    assert response.status_code == 400
    event.refresh_from_db()
    assert event.budget_line != other_line and event.title == "Upptäcka och identifiera"


def test_cancelling_a_session_asks_first_and_tells_how_many_are_registered(client, cast):
    _event, session = make_event(cast, capacity=1)
    services.registration_create(session=session, user=cast.teacher, profession="school", unit=None, via=VIA)
    services.registration_create(session=session, user=cast.bvc_nurse, profession="child_health", unit=None, via=VIA)
    url = reverse("programmes:session_cancel", args=[session.pk])
    sign_in(client, cast.manager)
    page = client.get(url).content.decode()
    assert "2 personer är anmälda eller står på väntelistan" in page
    assert EventSession.objects.filter(pk=session.pk).exists()
    assert client.post(url).status_code == 302
    assert not EventSession.objects.exists() and not Registration.objects.exists()
    assert _audited("EventSession", "delete") == 1


def test_a_session_that_has_begun_is_not_cancelled(client, cast):
    _event, session = make_event(cast)
    EventSession.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    sign_in(client, cast.manager)
    response = client.post(reverse("programmes:session_cancel", args=[session.pk]))
    assert response.status_code == 400 and "har redan börjat" in response.content.decode()
    assert EventSession.objects.filter(pk=session.pk).exists()


def test_the_home_page_offers_a_new_programme_to_managers_only(client, cast):
    sign_in(client, cast.manager)
    assert reverse("programmes:programme_new") in client.get(reverse("programmes:home")).content.decode()
    sign_in(client, cast.teacher)
    assert reverse("programmes:programme_new") not in client.get(reverse("programmes:home")).content.decode()
