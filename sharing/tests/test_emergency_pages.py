"""Emergency access pages: start with password and code, the banner, ending early, the owner's review queue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tests.helpers import code_for
from audit.models import AuditEvent
from sharing import policy
from sharing.models import EmergencyAccess
from sharing.tests.emergency_setup import neighbour_region
from testsupport.cast import PASSWORD, sign_in

REASON = "Barnet är akut sjukt och skolan nås inte"


@pytest.fixture
def bup_related(cast):
    """Give the BUP clinician a relation to the child; the neighbouring region's health records stay closed."""
    cast.neighbour = neighbour_region(cast)
    return cast


def _client(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def _start_url(cast, child=None):
    return reverse("sharing:emergency_start", args=[(child or cast.child).pk])


def _post_start(client, cast, *, password=PASSWORD, code=None, reason=REASON, owner=None):
    device = TOTPDevice.objects.get(user=cast.bup_clinician, name="test")
    data = {
        "owner_authority": (owner or cast.neighbour.region).pk,
        "reason": reason,
        "password": password,
        "code": code if code is not None else code_for(device),
    }
    return client.post(_start_url(cast), data)


def _emergency(cast, *, user=None, hours_ago=0, hours=24, ended=False):
    now = timezone.now()
    started = now - timedelta(hours=hours_ago)
    return EmergencyAccess.objects.create(
        child=cast.child,
        user=user or cast.bup_clinician,
        owner_authority=cast.neighbour.region,
        reason=REASON,
        started_at=started,
        ends_at=started + timedelta(hours=hours),
        ended_at=started + timedelta(hours=1) if ended else None,
    )


def test_the_start_page_warns_that_it_is_logged_reviewed_and_shown_to_the_family(bup_related):
    response = _client(bup_related.bup_clinician).get(_start_url(bup_related))
    body = response.content.decode()
    assert response.status_code == 200
    assert "loggas" in body and "granskar i efterhand" in body and "familj" in body
    choices = [authority.pk for authority in response.context["form"].fields["owner_authority"].queryset]
    assert choices == [bup_related.neighbour.region.pk]  # only another health-care provider
    assert bup_related.region.pk not in choices  # the user's own authority is not offered
    assert "no-store" in response["Cache-Control"]


def test_without_a_relation_the_start_page_is_not_found(cast):
    assert _client(cast.bup_clinician).get(_start_url(cast)).status_code == 404


@pytest.mark.parametrize("who", ["outsider", "other_school_teacher", "expired", "analyst"])
def test_outside_health_care_without_a_relation_the_page_is_not_found_either(cast, who):
    client = _client(getattr(cast, who))
    assert client.get(_start_url(cast)).status_code == 404
    assert client.post(_start_url(cast), {"reason": REASON}).status_code == 404


def test_without_a_relation_a_correct_post_starts_nothing(cast):
    client = _client(cast.bup_clinician)
    assert _post_start(client, cast, owner=cast.region).status_code == 404
    assert not EmergencyAccess.objects.exists()


def test_password_and_code_start_it_and_the_banner_follows_on_every_page(bup_related):
    client = _client(bup_related.bup_clinician)
    response = _post_start(client, bup_related)
    emergency = EmergencyAccess.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:child", args=[bup_related.child.pk])
    assert emergency.user == bup_related.bup_clinician and emergency.owner_authority == bup_related.neighbour.region
    assert emergency.reason == REASON

    child_page = client.get(response["Location"]).content.decode()
    assert "Du har pågående nödåtkomst" in child_page
    assert "Uppgifter från Region Grannlänet om Alva Andersson" in child_page
    assert reverse("sharing:emergency_end", args=[emergency.pk]) in child_page

    account_page = client.get(reverse("accounts:account")).content.decode()
    assert "Du har pågående nödåtkomst" in account_page
    assert "Alva" not in account_page  # a page that is not about the child does not name it


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("password", "fel-lösenord", "Lösenordet stämmer inte"),
        ("code", "000000", "Koden stämmer inte"),
        ("reason", "   ", "Skriv varför uppgifterna behövs nu"),
        ("code", "", "Skriv koden från appen"),
    ],
)
def test_bad_input_is_refused_in_swedish_and_starts_nothing(bup_related, field, value, message):
    client = _client(bup_related.bup_clinician)
    response = _post_start(client, bup_related, **{field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not EmergencyAccess.objects.exists()
    assert not AuditEvent.objects.filter(record_type="EmergencyAccess").exists()


def test_a_reused_code_starts_nothing(bup_related):
    client = _client(bup_related.bup_clinician)
    device = TOTPDevice.objects.get(user=bup_related.bup_clinician, name="test")
    code = code_for(device)
    assert _post_start(client, bup_related, code=code).status_code == 302
    response = _post_start(client, bup_related, code=code)
    assert response.status_code == 400
    assert "redan använts" in response.content.decode()
    assert EmergencyAccess.objects.count() == 1


def test_a_typo_in_the_reason_does_not_use_up_the_code(bup_related):
    client = _client(bup_related.bup_clinician)
    device = TOTPDevice.objects.get(user=bup_related.bup_clinician, name="test")
    code = code_for(device)
    assert _post_start(client, bup_related, code=code, reason="").status_code == 400
    assert _post_start(client, bup_related, code=code).status_code == 302


def test_the_banner_is_gone_once_the_time_is_up(bup_related):
    _emergency(bup_related, hours_ago=25)
    body = _client(bup_related.bup_clinician).get(reverse("accounts:account")).content.decode()
    assert "Du har pågående nödåtkomst" not in body


def test_ending_early_asks_first_then_ends_and_removes_the_banner(bup_related):
    emergency = _emergency(bup_related)
    client = _client(bup_related.bup_clinician)
    url = reverse("sharing:emergency_end", args=[emergency.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Avsluta nödåtkomsten nu" in confirm.content.decode()
    assert EmergencyAccess.objects.get().ended_at is None
    response = client.post(url)
    assert response.status_code == 302
    assert EmergencyAccess.objects.get().ended_at is not None
    assert "Du har pågående nödåtkomst" not in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("who", ["manager", "teacher", "outsider"])
def test_nobody_else_ends_it(bup_related, who):
    emergency = _emergency(bup_related)
    client = _client(getattr(bup_related, who))
    url = reverse("sharing:emergency_end", args=[emergency.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert EmergencyAccess.objects.get().ended_at is None


def test_the_manager_of_the_owning_authority_sees_the_queue_pending_first(bup_related):
    reviewed = _emergency(bup_related, hours_ago=2, ended=True)
    manager = bup_related.neighbour.manager
    reviewed.review, reviewed.reviewed_by, reviewed.review_note = "justified", manager, "Ok"
    reviewed.reviewed_at = timezone.now()
    reviewed.save()
    pending = _emergency(bup_related, hours_ago=50, ended=True)
    client = _client(manager)
    response = client.get(reverse("sharing:emergency_review_queue"))
    assert response.status_code == 200
    assert [row.pk for row in response.context["page"]] == [pending.pk, reviewed.pk]
    body = response.content.decode()
    assert "Alva Andersson" in body and "Erik Psykolog, BUP Test" in body
    basis = {row.basis for row in AuditEvent.objects.filter(target="sharing:emergency_review_queue")}
    assert basis == {"emergency_review"}
    nav = client.get(reverse("core:home")).content.decode()
    assert reverse("sharing:emergency_review_queue") in nav


@pytest.mark.parametrize("who", ["teacher", "bup_clinician", "outsider", "social_worker"])
def test_the_queue_shows_nothing_to_anyone_else(bup_related, who):
    _emergency(bup_related)
    client = _client(getattr(bup_related, who))
    response = client.get(reverse("sharing:emergency_review_queue"))
    assert response.status_code == 200
    assert "Alva" not in response.content.decode()
    assert "ingen chefsroll" in response.content.decode()
    assert reverse("sharing:emergency_review_queue") not in client.get(reverse("core:home")).content.decode()


def test_the_manager_reviews_with_a_motivation(bup_related):
    emergency = _emergency(bup_related, hours_ago=30)
    client = _client(bup_related.neighbour.manager)
    url = reverse("sharing:emergency_review", args=[emergency.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"outcome": "justified", "note": "Läget var akut"})
    assert response.status_code == 302
    emergency.refresh_from_db()
    assert (emergency.review, emergency.review_note, emergency.reviewed_by) == (
        "justified",
        "Läget var akut",
        bup_related.neighbour.manager,
    )


@pytest.mark.parametrize("data", [{"outcome": "justified", "note": ""}, {"outcome": "pending", "note": "x"}, {}])
def test_a_bad_review_changes_nothing(bup_related, data):
    emergency = _emergency(bup_related, hours_ago=30)
    manager = _client(bup_related.neighbour.manager)
    response = manager.post(reverse("sharing:emergency_review", args=[emergency.pk]), data)
    assert response.status_code == 400
    emergency.refresh_from_db()
    assert emergency.review == "pending" and emergency.reviewed_by is None


@pytest.mark.parametrize(
    "who", ["teacher", "named_person", "bup_clinician", "outsider", "other_school_teacher", "manager"]
)
def test_a_practitioner_or_another_authority_cannot_review(bup_related, who):
    emergency = _emergency(bup_related, hours_ago=30)
    client = _client(getattr(bup_related, who))
    url = reverse("sharing:emergency_review", args=[emergency.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"outcome": "unjustified", "note": "Nej"}).status_code == 404
    assert EmergencyAccess.objects.get().review == "pending"


def test_reads_under_emergency_access_show_the_other_regions_records_and_log_the_basis_until_it_ends(bup_related):
    client = _client(bup_related.bup_clinician)
    url = reverse("people:child", args=[bup_related.child.pk])

    def other_units():
        response = client.get(url)
        return {row.unit for row in response.context["enrolments"]} & {"BVC Grannby", "Östra skolan"}

    assert other_units() == set()  # without emergency access the other region's listing stays closed
    emergency = _emergency(bup_related)
    assert other_units() == {"BVC Grannby"}  # its health record opens; the school's never does
    rows = AuditEvent.objects.filter(record_type="Enrolment", user_id=bup_related.bup_clinician.pk)
    assert set(rows.values_list("basis", flat=True)) == {f"emergency_access:{emergency.pk}"}

    emergency.started_at -= timedelta(hours=30)
    emergency.ends_at -= timedelta(hours=30)
    emergency.save()
    before = rows.count()
    assert other_units() == set()
    assert rows.count() == before


def test_the_banner_costs_one_query_and_none_before_sign_in(bup_related, django_assert_num_queries, rf):
    from django.contrib.auth.models import AnonymousUser
    from django.urls import resolve

    from sharing.context_processors import emergency_banner

    emergency = _emergency(bup_related)
    request = rf.get(reverse("people:child", args=[bup_related.child.pk]))
    request.resolver_match = resolve(request.path)
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert emergency_banner(request) == {}
    request.user = bup_related.bup_clinician
    request.user.is_verified = lambda: True  # as django-otp marks a session signed in with a second factor
    policy.request_memberships(request)  # the page has loaded the user's memberships already
    with django_assert_num_queries(1):
        [row] = emergency_banner(request)["emergency_banner"]
    assert (row.pk, row.child_name, row.authority) == (emergency.pk, "Alva Andersson", "Region Grannlänet")


def test_the_banner_costs_no_query_for_a_user_who_may_not_start_an_emergency_access(
    bup_related, django_assert_num_queries, rf
):
    from sharing.context_processors import emergency_banner

    request = rf.get("/")
    request.user = bup_related.teacher  # a school's staff hold no emergency access, whatever the rows say
    request.user.is_verified = lambda: True
    policy.request_memberships(request)
    with django_assert_num_queries(0):
        assert emergency_banner(request) == {"emergency_banner": []}
