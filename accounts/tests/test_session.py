from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import LOGIN_AT_KEY, RENEWED_AT_KEY, renew_interval
from testsupport.cast import sign_in

ACCOUNT = reverse("accounts:account")
KEEPALIVE = reverse("accounts:keepalive")


def _started(client, seconds_ago: float) -> None:
    session = client.session
    session[LOGIN_AT_KEY] = time.time() - seconds_ago
    session.save()


def test_it_signs_out_after_the_absolute_limit(client, cast):
    sign_in(client, cast.teacher)
    _started(client, settings.SAMPLAN_SESSION_ABSOLUTE_SECONDS + 1)

    response = client.get(ACCOUNT)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


def test_it_keeps_a_session_inside_the_absolute_limit(client, cast):
    sign_in(client, cast.teacher)
    _started(client, settings.SAMPLAN_SESSION_ABSOLUTE_SECONDS - 60)
    assert client.get(ACCOUNT).status_code == 200


def test_it_signs_out_a_session_without_a_start_time(client, cast):
    client.force_login(cast.teacher)
    client.get(ACCOUNT)
    assert "_auth_user_id" not in client.session


def test_it_renews_the_idle_timer_on_keepalive(client, cast):
    sign_in(client, cast.teacher)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(seconds=30))

    response = client.post(KEEPALIVE)

    assert response.status_code == 200
    assert response.json()["remaining"] == settings.SESSION_COOKIE_AGE
    assert "no-store" in response["Cache-Control"]
    expires = Session.objects.get(session_key=client.session.session_key).expire_date
    assert expires > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 10)


def test_a_plain_read_writes_nothing_to_the_session(client, cast):
    sign_in(client, cast.teacher)
    client.get(ACCOUNT)  # the first request after sign-in starts the idle timer
    with CaptureQueriesContext(connection) as queries:
        assert client.get(ACCOUNT).status_code == 200
    writes = [q["sql"] for q in queries.captured_queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]]
    assert writes == []


def test_a_request_a_fifteenth_of_the_idle_timeout_after_the_last_renewal_renews_it(client, cast):
    sign_in(client, cast.teacher)
    client.get(ACCOUNT)
    session = client.session
    session[RENEWED_AT_KEY] = time.time() - renew_interval() - 1
    session.save()
    Session.objects.filter(session_key=session.session_key).update(expire_date=timezone.now() + timedelta(seconds=30))

    assert client.get(ACCOUNT).status_code == 200

    expires = Session.objects.get(session_key=session.session_key).expire_date
    assert expires > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 10)


def test_it_reports_the_absolute_limit_when_it_comes_first(client, cast):
    sign_in(client, cast.teacher)
    _started(client, settings.SAMPLAN_SESSION_ABSOLUTE_SECONDS - 100)
    data = client.post(KEEPALIVE).json()
    assert 95 <= data["remaining"] <= 100
    assert data["absolute_remaining"] == data["remaining"]


def test_it_answers_keepalive_with_401_when_signed_out(client):
    response = client.post(KEEPALIVE)
    assert response.status_code == 401
    assert "Logga in igen" in response.json()["detail"]


def test_it_answers_keepalive_with_401_without_a_second_factor(client, cast):
    client.force_login(cast.teacher)
    assert client.post(KEEPALIVE).status_code == 401


def test_it_refuses_keepalive_by_get(client, cast):
    sign_in(client, cast.teacher)
    assert client.get(KEEPALIVE).status_code == 405


def test_it_never_caches_the_login_pages_or_signed_in_pages(client, cast):
    assert "no-store" in client.get(reverse("accounts:login"))["Cache-Control"]
    sign_in(client, cast.teacher)
    assert "no-store" in client.get(ACCOUNT)["Cache-Control"]


def test_it_puts_the_timeout_warning_on_signed_in_pages_only(client, cast):
    anonymous = client.get(reverse("accounts:login")).content.decode()
    assert "session-timeout.js" not in anonymous
    assert "data-session-idle-seconds" not in anonymous

    sign_in(client, cast.teacher)
    body = client.get(ACCOUNT).content.decode()
    assert f'data-session-idle-seconds="{settings.SESSION_COOKIE_AGE}"' in body
    assert "js/session-timeout.js" in body
    assert 'role="alertdialog"' in body
    assert "Fortsätt vara inloggad" in body
    assert f'data-keepalive-url="{KEEPALIVE}"' in body


def test_it_never_caches_the_login_page_or_a_child_page(client, cast):
    login_page = client.get(reverse("accounts:login"))
    assert "no-store" in login_page["Cache-Control"]

    sign_in(client, cast.named_person)
    response = client.get(reverse("people:child", args=[cast.child.pk]))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_it_sends_a_password_only_session_from_a_child_page_to_the_login(client, cast):
    client.force_login(cast.named_person)
    response = client.get(reverse("people:child", args=[cast.child.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "Alva" not in response.content.decode()
