"""The duty to report comes before consent: starting a plan or asking for consent waits until the report is made."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from sharing import legal, policy
from wellbeing.selectors import unreported_suspicion

REPORT_FIRST = _(
    "Någon på din myndighet har svarat att det finns anledning att misstänka att barnet far illa, och ingen "
    "orosanmälan har gjorts sedan dess. Gör orosanmälan till socialtjänsten först. Anmälningsskyldigheten går före "
    "samtycke: familjen informeras om anmälan men ska inte tillfrågas, och en plan eller en begäran om samtycke får "
    "vänta tills anmälan är gjord."
)


def report_first(request: HttpRequest, access: policy.ChildAccess) -> HttpResponse | None:
    """Return the page that sends the user to the report of concern, or None when nothing suspected is unreported."""
    if unreported_suspicion(access) is None:
        return None
    context = {
        "child": access.child,
        "message": REPORT_FIRST,
        "duty_to_report": legal.reference_in_force(legal.DUTY_TO_REPORT),
    }
    # A post changes nothing and says why; a visit shows the same words before anything is filled in.
    return render(request, "sharing/report_first.html", context, status=409 if request.method == "POST" else 200)
