from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from accounts.models import ApiToken
from accounts.services import api_token_create, totp_device_create
from testsupport.cast import sign_in

ADMIN = reverse("admin:index")
# Models holding child data are read only through sharing.policy with audit rows; the admin does neither.
CHILD_DATA_MODELS = [
    ("people", "Child"),
    ("people", "Guardian"),
    ("people", "Guardianship"),
    ("people", "Enrolment"),
    ("people", "ContactDetails"),
    ("namedperson", "Assignment"),
    ("audit", "AuditEvent"),
    ("sharing", "AccessAssignment"),
]


@pytest.fixture
def admin_user(cast):
    cast.administrator.is_staff = True
    cast.administrator.is_superuser = True
    cast.administrator.save()
    return cast.administrator


def test_it_sends_anonymous_visitors_to_samplans_login(client):
    response = client.get(ADMIN, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    assert response.status_code == 200


def test_it_refuses_staff_signed_in_with_password_only(client, admin_user):
    client.force_login(admin_user)
    response = client.get(ADMIN)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_it_admits_verified_staff(client, admin_user):
    sign_in(client, admin_user)
    response = client.get(ADMIN)
    assert response.status_code == 200


def test_it_refuses_verified_users_who_are_not_staff(client, cast):
    sign_in(client, cast.teacher)
    response = client.get(ADMIN, follow=True)
    assert response.status_code == 403
    assert "Ingen behörighet till administrationen" in response.content.decode()


@pytest.mark.parametrize(("app_label", "model_name"), CHILD_DATA_MODELS)
def test_it_never_registers_child_data_models(app_label, model_name):
    assert apps.get_model(app_label, model_name) not in admin.site._registry


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:organisations_municipality_changelist",
        "admin:organisations_authority_changelist",
        "admin:organisations_unit_changelist",
        "admin:organisations_membership_changelist",
        "admin:accounts_user_changelist",
        "admin:accounts_apitoken_changelist",
    ],
)
def test_it_lists_organisations_users_and_tokens(client, admin_user, url_name):
    sign_in(client, admin_user)
    response = client.get(reverse(url_name), {"q": "a"})
    assert response.status_code == 200


def test_it_shows_memberships_on_the_user_page(client, admin_user, cast):
    sign_in(client, admin_user)
    response = client.get(reverse("admin:accounts_user_change", args=[cast.teacher.pk]))
    assert response.status_code == 200
    assert "Östra skolan" in response.content.decode()


def test_it_shows_api_tokens_read_only_and_cannot_add_them(client, admin_user, cast):
    token, raw = api_token_create(user=cast.teacher, name="Skript", days=10)
    sign_in(client, admin_user)
    page = client.get(reverse("admin:accounts_apitoken_change", args=[token.pk])).content.decode()
    assert token.key_hash in page
    assert raw not in page
    assert 'name="key_hash"' not in page
    assert client.get(reverse("admin:accounts_apitoken_add")).status_code == 403


def test_it_revokes_tokens_from_the_admin(client, admin_user, cast):
    token, _ = api_token_create(user=cast.teacher, name="Skript", days=10)
    sign_in(client, admin_user)
    client.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_it_hides_totp_secrets_from_administrators(client, admin_user, cast):
    device = totp_device_create(user=cast.teacher)
    sign_in(client, admin_user)
    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk])).content.decode()
    assert device.key not in page
