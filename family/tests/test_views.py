"""The family pages: who gets in, what they show, what they never show, and that every read is logged."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit import log as audit
from audit.models import AuditEvent
from family.views import log as log_views
from people.models import Guardianship, Protection
from sharing import policy
from sharing.models import EmergencyAccess
from testsupport.cast import sign_in

HOME = reverse("family:home")
LOGS = reverse("family:logs")


def child_url(child) -> str:
    return reverse("family:child", args=[child.pk])


def log_url(child) -> str:
    return reverse("family:child_log", args=[child.pk])


def csv_url(child) -> str:
    return reverse("family:child_log_csv", args=[child.pk])


def _staff_read(user, child, *, basis_suffix: str = "", reason: str = "") -> None:
    """Record a staff read of the child, as a staff page would."""
    actor = policy.actor_for(user, session_key="s")
    with audit.deferred():
        audit.record(
            actor=actor,
            action="read",
            surface="page",
            target="people:child",
            basis=f"{policy.Basis.NAMED_PERSON}{basis_suffix}",
            child_id=child.pk,
            record_type="Child",
            record_id=str(child.pk),
            reason=reason,
        )


def _give_custody(cast, child) -> None:
    Guardianship.objects.create(child=child, guardian=cast.guardian, relation="parent", valid_from=child.birth_date)


def test_a_guardian_sees_the_child_on_the_start_page_and_the_listing_is_logged(client, cast):
    sign_in(client, cast.guardian_user)
    response = client.get(HOME)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<h1") == 1
    assert "Alva Andersson" in body and child_url(cast.child) in body
    assert "Vidar" not in body
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(child_id=cast.child.pk, target="family:home")
    assert event.basis == policy.Basis.GUARDIAN


def test_a_parent_without_custody_is_told_what_they_can_do_and_sees_no_child(client, cast):
    sign_in(client, cast.noncustodial_user)
    body = client.get(HOME).content.decode()
    assert "Alva" not in body
    assert "Du har ingen vårdnad" in body and "BVC" in body
    assert client.get(child_url(cast.child)).status_code == 404
    assert client.get(log_url(cast.child)).status_code == 404
    assert client.get(csv_url(cast.child)).status_code == 404
    assert client.get(LOGS).status_code == 200
    assert not AuditEvent.objects.filter(child_id=cast.child.pk).exists()


@pytest.mark.parametrize("who", ["named_person", "teacher", "outsider", "other_school_teacher", "manager", "expired"])
def test_staff_without_a_family_relation_get_404_on_every_family_page(client, cast, who):
    sign_in(client, getattr(cast, who))
    pages = (HOME, LOGS, reverse("family:choose_consents"), child_url(cast.child), log_url(cast.child))
    for url in (*pages, csv_url(cast.child)):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Alva" not in response.content.decode()


@pytest.mark.parametrize("page", ["people:child", "audit:child_log"])
def test_staff_pages_never_show_a_guardian_the_child(client, cast, page):
    sign_in(client, cast.guardian_user)
    assert client.get(reverse(page, args=[cast.child.pk])).status_code == 404
    response = client.get(reverse("people:child_list"))
    assert "Alva" not in response.content.decode()


def test_a_guardian_gets_404_for_another_family_s_child(client, cast):
    sign_in(client, cast.guardian_user)
    for url in (child_url(cast.protected_child), log_url(cast.protected_child), csv_url(cast.protected_child)):
        assert client.get(url).status_code == 404
    assert client.get("/familj/barn/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_family_pages_refuse_writes_and_change_nothing(client, cast):
    sign_in(client, cast.guardian_user)
    before = AuditEvent.objects.count()
    for url in (HOME, child_url(cast.child), log_url(cast.child)):
        assert client.post(url).status_code == 405
    assert AuditEvent.objects.count() == before


def test_the_child_page_shows_the_named_person_and_how_to_reach_them(client, cast):
    cast.named_person.title = "Rektor"
    cast.named_person.phone = "010-123 45 67"
    cast.named_person.email = "hanna.rektorsson@example.se"
    cast.named_person.save()
    sign_in(client, cast.guardian_user)
    response = client.get(child_url(cast.child))
    body = response.content.decode()
    assert response.status_code == 200
    for text in ("Hanna Rektorsson", "Rektor", "Östra skolan", "010-123 45 67", "hanna.rektorsson@example.se"):
        assert text in body
    assert log_url(cast.child) in body
    assert AuditEvent.objects.get(target="family:child").basis == policy.Basis.GUARDIAN


def test_the_child_page_explains_when_there_is_no_named_person(client, cast):
    cast.child.named_persons.update(end=policy.today())
    sign_in(client, cast.guardian_user)
    body = client.get(child_url(cast.child)).content.decode()
    assert "Det finns ingen namngiven person just nu" in body


def test_the_guardian_of_a_protected_child_still_sees_its_named_person(client, cast):
    Guardianship.objects.create(
        child=cast.protected_child,
        guardian=cast.guardian,
        relation="parent",
        valid_from=cast.protected_child.birth_date,
    )
    sign_in(client, cast.guardian_user)
    body = client.get(child_url(cast.protected_child)).content.decode()
    assert "Hanna Rektorsson" in body and "Östra skolan" in body


def test_a_protected_guardian_sees_the_child_but_is_never_shown_to_the_other_guardian(client, cast):
    cast.co_guardian.protection = Protection.PROTECTED_REGISTRATION
    cast.co_guardian.save()
    sign_in(client, cast.co_guardian_user)
    assert client.get(child_url(cast.child)).status_code == 200  # the protected guardian's own view is normal
    client.logout()
    sign_in(client, cast.guardian_user)
    pages = [HOME, child_url(cast.child), log_url(cast.child), csv_url(cast.child)]
    for url in pages:
        response = client.get(url)
        body = response.content.decode("utf-8-sig")
        assert response.status_code == 200, url
        for secret in ("Johan", "co_guardian", "Lillgatan", "12346", cast.co_guardian.identity_number):
            assert secret not in body, f"{secret} on {url}"
    assert "En vårdnadshavare" in client.get(log_url(cast.child)).content.decode()


def test_the_log_shows_who_read_the_child_from_where_and_why_but_not_staff_reasons(client, cast):
    _staff_read(cast.named_person, cast.child, reason="Samtal med mamma om oro")
    sign_in(client, cast.guardian_user)
    response = client.get(log_url(cast.child))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<h1") == 1
    assert cast.named_person.get_full_name() in body  # the staff member's name, as the staff extract shows it
    assert "named_person" not in body  # the user name is an identifier, not words
    assert "Östra skolan" in body and "Barn- och utbildningsnämnden" in body
    assert "Namngiven person" in body
    assert "Samtal med mamma" not in body
    assert "Ingen har använt nödåtkomst" in body
    assert AuditEvent.objects.get(target="family:child_log").basis == policy.Basis.GUARDIAN


def test_the_log_lists_emergency_accesses_with_who_why_and_the_review(client, cast):
    now = timezone.now()
    EmergencyAccess.objects.create(
        child=cast.child,
        user=cast.bup_clinician,
        owner_authority=cast.education,
        reason="Akut risk för barnets hälsa",
        started_at=now - timedelta(hours=2),
        ends_at=now + timedelta(hours=22),
    )
    sign_in(client, cast.guardian_user)
    response = client.get(log_url(cast.child))
    body = response.content.decode()
    assert [emergency.user for emergency in response.context["emergencies"]] == [cast.bup_clinician]
    for text in ("Erik Psykolog", "BUP Test", "Region Test", "Barn- och utbildningsnämnden", "Akut risk"):
        assert text in body


def test_the_log_is_paginated(client, cast, monkeypatch):
    monkeypatch.setattr(log_views, "PER_PAGE", 2)
    for _ in range(3):
        _staff_read(cast.named_person, cast.child)
    sign_in(client, cast.guardian_user)
    first = client.get(log_url(cast.child))
    assert len(first.context["rows"]) == 2 and first.context["page"].paginator.count == 3
    # The first visit is itself in the log now: four rows, two on the second page.
    assert len(client.get(log_url(cast.child) + "?sida=2").context["rows"]) == 2
    assert client.get(log_url(cast.child) + "?sida=abc").status_code == 200


def test_the_log_downloads_as_csv_and_the_export_is_logged(client, cast):
    _staff_read(cast.named_person, cast.child, reason="=HYPERLINK(1)")
    sign_in(client, cast.guardian_user)
    response = client.get(csv_url(cast.child))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    assert "Östra skolan" in text and "HYPERLINK" not in text
    assert all(line.count(";") == 7 for line in text.strip().splitlines())  # eight columns: no staff reason
    event = AuditEvent.objects.get(target="family:child_log_csv")
    assert (event.action, event.basis) == ("export", policy.Basis.GUARDIAN)


def test_the_log_and_consent_menus_go_straight_to_the_only_child(client, cast):
    sign_in(client, cast.guardian_user)
    response = client.get(LOGS)
    assert response.status_code == 302 and response.url == log_url(cast.child)
    response = client.get(reverse("family:choose_consents"))
    assert response.status_code == 302 and response.url == reverse("family:consents", args=[cast.child.pk])


def test_the_log_menu_lists_several_children(client, cast):
    Guardianship.objects.create(
        child=cast.protected_child,
        guardian=cast.guardian,
        relation="parent",
        valid_from=cast.protected_child.birth_date,
    )
    sign_in(client, cast.guardian_user)
    body = client.get(LOGS).content.decode()
    assert log_url(cast.child) in body and log_url(cast.protected_child) in body
    body = client.get(reverse("family:choose_consents")).content.decode()
    assert reverse("family:consents", args=[cast.protected_child.pk]) in body


def test_a_child_from_the_login_age_sees_its_own_page(client, cast, child_login):
    child = child_login(14)
    sign_in(client, child.user)
    body = client.get(HOME).content.decode()
    assert "Mina uppgifter" in body and child_url(child) in body
    assert client.get(child_url(child)).status_code == 200
    assert client.get(child_url(cast.child)).status_code == 404
    assert AuditEvent.objects.filter(child_id=child.pk, basis=policy.Basis.CHILD_SELF).exists()


def test_a_younger_child_is_told_when_it_can_use_the_view(client, cast, child_login):
    child = child_login(10)
    sign_in(client, child.user)
    body = client.get(HOME).content.decode()
    assert "Du kan inte se dina uppgifter här än" in body
    assert client.get(child_url(child)).status_code == 404


def test_family_users_land_on_the_family_view_and_see_family_navigation(client, cast):
    sign_in(client, cast.guardian_user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response.url == HOME
    body = client.get(HOME).content.decode()
    assert f'href="{HOME}"' in body and f'href="{LOGS}"' in body
    assert f'href="{reverse("people:child_list")}"' not in body


def test_staff_keep_their_start_page_and_get_no_family_navigation(client, cast):
    sign_in(client, cast.named_person)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert f'href="{LOGS}"' not in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page(client, cast):
    for url in (HOME, child_url(cast.child)):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_the_log_shows_reads_of_every_authority(client, cast):
    _staff_read(cast.bvc_nurse, cast.child)
    _staff_read(cast.social_worker, cast.child)
    sign_in(client, cast.guardian_user)
    body = client.get(log_url(cast.child)).content.decode()
    assert "BVC Centrum" in body and "Barn och familj" in body


def test_a_guardian_whose_custody_ended_yesterday_is_turned_away(client, cast):
    Guardianship.objects.filter(guardian=cast.guardian).update(valid_to=timezone.localdate() - timedelta(days=1))
    sign_in(client, cast.guardian_user)
    assert client.get(child_url(cast.child)).status_code == 404


def test_a_guardian_signs_in_with_password_and_code_and_lands_on_the_family_view(client, cast):
    from accounts.services import totp_device_create
    from accounts.tests.helpers import code_for, post_code, post_password

    device = totp_device_create(user=cast.guardian_user)
    assert post_password(client, "guardian").status_code == 302
    response = post_code(client, code_for(device))
    assert response.url == reverse("core:home")
    assert client.get(response.url).url == HOME
    assert client.get(HOME).status_code == 200
