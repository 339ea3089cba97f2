from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.middleware import LOGIN_AT_KEY
from accounts.services import totp_device_create
from accounts.tests.helpers import CODE, ENROL, LOGIN, code_for, post_code, post_password
from testsupport.cast import sign_in

ACCOUNT = reverse("accounts:account")


@pytest.fixture
def device(cast):
    return totp_device_create(user=cast.teacher)


def test_it_shows_an_accessible_login_form(client):
    response = client.get(LOGIN)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<h1") == 1
    assert 'for="id_username"' in body
    assert 'for="id_password"' in body


def test_it_signs_in_with_password_and_a_valid_code(client, cast, device):
    response = post_password(client, "teacher", next_url=ACCOUNT)
    assert response.status_code == 302
    assert response["Location"] == CODE
    assert "_auth_user_id" not in client.session  # nobody is signed in between the steps

    response = post_code(client, code_for(device))

    assert response.status_code == 302
    assert response["Location"] == ACCOUNT
    session = client.session
    assert session["_auth_user_id"] == str(cast.teacher.pk)
    assert session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert LOGIN_AT_KEY in session
    assert client.get(ACCOUNT).status_code == 200


def test_it_rotates_the_session_key_on_sign_in(client, cast, device):
    client.get(LOGIN)
    post_password(client, "teacher", next_url=ACCOUNT)
    pending_key = client.session.session_key
    post_code(client, code_for(device))
    assert client.session.session_key != pending_key


def test_it_rejects_a_code_that_was_already_used(client, cast, device):
    code = code_for(device)
    post_password(client, "teacher", next_url=ACCOUNT)
    assert post_code(client, code).status_code == 302
    client.post(reverse("accounts:logout"))

    post_password(client, "teacher")
    response = post_code(client, code)

    assert response.status_code == 200
    assert "Koden stämmer inte" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_rejects_a_wrong_password_with_a_swedish_message(client, cast):
    response = post_password(client, "teacher", "fel-lösenord")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Fel användarnamn eller lösenord" in body
    assert "error-summary" in body
    assert "_auth_user_id" not in client.session


def test_it_rejects_a_wrong_code(client, cast, device):
    post_password(client, "teacher")
    response = post_code(client, "000000" if code_for(device) != "000000" else "111111")
    assert response.status_code == 200
    assert "Koden stämmer inte" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_asks_for_six_digits(client, cast, device):
    post_password(client, "teacher")
    response = post_code(client, "12ab")
    body = response.content.decode()
    assert "Koden ska vara sex siffror" in body
    assert 'id="id_code_error"' in body
    assert 'aria-invalid="true"' in body
    assert 'aria-describedby="id_code_helptext id_code_error"' in body


def test_it_rejects_an_inactive_user(client, cast, device):
    cast.teacher.is_active = False
    cast.teacher.save()
    response = post_password(client, "teacher")
    assert response.status_code == 200
    assert "Fel användarnamn eller lösenord" in response.content.decode()


def test_it_sends_the_code_step_back_to_the_start_without_a_password(client, cast, device):
    response = post_code(client, code_for(device))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session


def test_it_ignores_a_next_url_on_another_site(client, cast, device, settings):
    settings.LOGIN_REDIRECT_URL = ACCOUNT
    post_password(client, "teacher", next_url="https://evil.example/")
    response = post_code(client, code_for(device))
    assert response["Location"] == ACCOUNT


def test_it_enrols_a_user_without_a_device(client, cast):
    response = post_password(client, "teacher", next_url=ACCOUNT)
    assert response["Location"] == ENROL

    page = client.get(ENROL)
    body = page.content.decode()
    device = cast.teacher.totpdevice_set.get()
    assert not device.confirmed
    assert 'src="data:image/svg+xml;base64,' in body
    assert "<h1" in body and body.count("<h1") == 1
    assert client.get(ENROL).content.decode().count("data:image/svg+xml") == 1  # same device on reload
    assert cast.teacher.totpdevice_set.count() == 1

    response = post_code(client, code_for(device), url=ENROL)

    assert response["Location"] == ACCOUNT
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_it_sends_an_enrolled_user_past_the_enrolment_page(client, cast, device):
    post_password(client, "teacher")
    response = client.get(ENROL)
    assert response["Location"] == CODE


def test_it_keeps_a_password_only_session_out_of_authenticated_pages(client, cast):
    client.force_login(cast.teacher)  # signed in without a second factor
    response = client.get(ACCOUNT)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_it_keeps_a_half_finished_sign_in_out_of_authenticated_pages(client, cast, device):
    post_password(client, "teacher")
    response = client.get(ACCOUNT)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_it_signs_out_with_post(client, cast):
    sign_in(client, cast.teacher)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert "Du är utloggad" in client.get(response["Location"]).content.decode()


def test_it_goes_to_the_start_page_without_a_next_url(client, cast, device):
    post_password(client, "teacher")
    response = post_code(client, code_for(device))
    assert response["Location"] == reverse("core:home")


def test_it_sends_a_signed_in_user_on_from_the_login_page(client, cast):
    sign_in(client, cast.teacher)
    response = client.get(LOGIN, {"next": ACCOUNT})
    assert response["Location"] == ACCOUNT
