"""No notification carries a child's name or personal number, whatever the child is called (hypothesis)."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from core.personnummer import contains_identity_number, parse, with_check_digit
from notifications.messages import compose
from notifications.models import Kind, Notification
from notifications.services import due_send
from plans.tests.setup import add_action, send, start
from sharing import policy

NAMES = st.from_regex(r"[A-ZÅÄÖ][a-zåäöé]{2,12}(-[A-ZÅÄÖ][a-zåäö]{2,8})?", fullmatch=True)
FIXED_TEXT = " ".join(
    f"{m.subject} {m.body} {m.sms}"
    for m in (compose(kind, "/x/", to_self=to_self) for kind in Kind.values for to_self in (False, True))
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    given_name=NAMES, family_name=NAMES, born=st.dates(date(2010, 1, 1), date(2024, 12, 31)), serial=st.integers(1, 999)
)
def test_no_notification_names_the_child_or_gives_their_personal_number(
    cast, mailoutbox, given_name, family_name, born, serial
):
    assume(given_name.lower() not in FIXED_TEXT.lower() and family_name.lower() not in FIXED_TEXT.lower())
    number = with_check_digit(born, serial)
    assume(number != cast.protected_child.identity_number)
    cast.child.given_name, cast.child.family_name, cast.child.identity_number = given_name, family_name, number
    cast.child.save(update_fields=["given_name", "family_name", "identity_number"])
    Notification.objects.all().delete()
    mailoutbox.clear()
    for user in (cast.guardian_user, cast.co_guardian_user):
        user.email = f"{user.username}@example.invalid"
        user.save(update_fields=["email"])
    if not cast.child.plans.exists():
        plan = start(cast, reasons=f"{given_name} {family_name} ({number}) behöver stöd.")
        add_action(cast, plan, description=f"{given_name} får stöd varje vecka.")
        send(cast, plan)
    new, queued = due_send(policy.today())  # the plan's rows were queued when it was sent, or are found now
    assert new + queued == 2
    assert len(mailoutbox) == 2
    for message in mailoutbox:
        text = f"{message.subject}\n{message.body}".lower()
        for secret in (given_name, family_name, number, number[2:], parse(number).formatted()):
            assert secret.lower() not in text
        assert not contains_identity_number(text)
