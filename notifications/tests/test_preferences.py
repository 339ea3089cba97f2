"""The preferences page: each user chooses a channel per kind they can receive; bad input changes nothing."""

from __future__ import annotations

from django.urls import reverse

from notifications.models import Channel, Kind, Preference
from testsupport.cast import sign_in

URL = reverse("notifications:preferences")


def test_it_sends_an_anonymous_visitor_to_sign_in(client, cast):
    response = client.get(URL)
    assert response.status_code == 302 and "logga-in" in response["Location"]


def test_a_guardian_chooses_among_the_familys_kinds(client, cast):
    sign_in(client, cast.guardian_user)
    body = client.get(URL).content.decode()
    assert "En plan väntar på ditt svar" in body
    assert "En överlämning väntar" not in body
    response = client.post(
        URL,
        {kind: "email" for kind in ("consent_waiting", "emergency_happened", "consent_expires")}
        | {"plan_waiting": "sms"},
    )
    assert response.status_code == 302
    assert Preference.objects.get(user=cast.guardian_user, kind=Kind.PLAN_WAITING).channel == Channel.SMS


def test_staff_choose_among_the_staffs_kinds(client, cast):
    sign_in(client, cast.named_person)
    body = client.get(URL).content.decode()
    assert "En överlämning väntar på att du tar emot den" in body
    assert "En plan väntar på ditt svar" not in body


def test_a_choice_that_does_not_exist_is_refused_and_changes_nothing(client, cast):
    sign_in(client, cast.named_person)
    response = client.post(
        URL, {"handover_due": "fax", "review_due": "off", "action_due": "off", "emergency_review_due": "off"}
    )
    assert response.status_code == 400
    assert "Välj e-post, SMS eller inga aviseringar." in response.content.decode()
    assert not Preference.objects.exists()
