"""The fixed texts of notifications: they say THAT something waits and link to it, never what or about whom.

No text takes any argument but the link, so no child's name, personal number or content can reach an
e-mail or SMS however the events are collected (tests/test_no_child_data.py proves it over generated names).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from notifications.models import label


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    sms: str


def absolute(path: str) -> str:
    """Return the full address of a page of this Samplan."""
    return settings.SAMPLAN_BASE_URL.rstrip("/") + path


def compose(kind: str, path: str, *, to_self: bool = False) -> Message:
    """Return the subject, e-mail body and SMS text of a notification linking to `path` (Swedish, the UI default).

    `to_self`: the recipient is the young person the event concerns, told about their own record.
    """
    with translation.override(settings.LANGUAGE_CODE):
        what = str(label(kind, to_self=to_self))
        secrecy = (
            _(
                "Av sekretesskäl står det inget om dina uppgifter i det här meddelandet. Svara inte på det: ingen "
                "läser svaren."
            )
            if to_self
            else _(
                "Av sekretesskäl står det inget om barnet i det här meddelandet. Svara inte på det: ingen läser svaren."
            )
        )
        link = absolute(path)
        preferences = absolute(reverse("notifications:preferences"))
        subject = _("Samplan: %(what)s") % {"what": what}
        body = "\n\n".join(
            [
                _("Hej!"),
                _("%(what)s i Samplan.") % {"what": what},
                _("Logga in och se vad det gäller:\n%(link)s") % {"link": link},
                secrecy,
                _("Du kan välja hur du vill få aviseringar, eller stänga av dem, här:\n%(link)s")
                % {"link": preferences},
            ]
        )
        sms = _("Samplan: %(what)s. Logga in: %(link)s") % {"what": what, "link": link}
    return Message(subject=subject, body=body, sms=sms)
