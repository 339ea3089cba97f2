"""What every programme page needs: the acting user for audit rows, loaders that check access, form errors."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from programmes import selectors, services
from programmes.models import Application, GrantCall, Programme
from sharing import policy

SURFACE = "page"


def via(request: HttpRequest, target: str) -> services.Via:
    return services.Via(actor=policy.page_actor(request), surface=SURFACE, target=target)


def programme_for(request: HttpRequest, programme_id: int) -> Programme:
    """Load a programme of the user's municipalities; any other is the same 404 as a missing one."""
    programme = selectors.programmes_for(request.user).filter(pk=programme_id).first()
    if programme is None:
        raise Http404
    return programme


def call_for(request: HttpRequest, call_id: int) -> GrantCall:
    call = GrantCall.objects.select_related("programme").filter(pk=call_id).first()
    if call is None or not selectors.programmes_for(request.user).filter(pk=call.programme_id).exists():
        raise Http404
    return call


def application_for(request: HttpRequest, application_id: int) -> Application:
    application = Application.objects.select_related("call__programme").filter(pk=application_id).first()
    if (
        application is None
        or not selectors.programmes_for(request.user).filter(pk=application.call.programme_id).exists()
    ):
        raise Http404
    return application


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "programmes/forbidden.html", {"message": message}, status=403)


def apply_errors(form, exc: ValidationError) -> None:
    """Show a service's refusal on the form: on its field when it names one, else above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)
