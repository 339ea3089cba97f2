"""Lecture pages: sessions to register for, the user's registrations, evaluation, attendance, reports, iCalendar."""

from __future__ import annotations

from datetime import timedelta

import icalendar
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.access import authenticated, public
from organisations.models import Unit
from programmes import selectors, services
from programmes.forms import EvaluationForm, RegistrationForm
from programmes.models import EventSession, Registration
from programmes.views.common import apply_errors, forbidden, programme_for, via
from sharing import policy

RUNNERS_ONLY = _("Bara chefer och administratörer i kommunen tar närvaro.")


def _sessions_for(request: HttpRequest):
    return EventSession.objects.filter(event__programme__in=selectors.programmes_for(request.user)).select_related(
        "event"
    )


@authenticated
@require_safe
def events(request: HttpRequest) -> HttpResponse:
    """List the coming sessions the user may register for, with free places, and the user's registrations."""
    if not policy.memberships(request.user).exists():
        raise Http404
    upcoming = _sessions_for(request).filter(starts_at__gt=timezone.now()).order_by("starts_at")
    rows = []
    for session in upcoming:
        taken = session.registrations.filter(status=Registration.Status.PLACE).count()
        rows.append((session, max(session.capacity - taken, 0)))
    mine = (
        Registration.objects.filter(user=request.user)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("session__event", "evaluation")
        .order_by("session__starts_at")
    )
    context = {"rows": rows, "mine": mine, "now": timezone.now()}
    return render(request, "programmes/events.html", context)


@authenticated
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, session_id: int) -> HttpResponse:
    """Register for a session with profession and unit; a full session puts the user on the waiting list."""
    session = _sessions_for(request).filter(pk=session_id).first()
    if session is None:
        raise Http404
    units = Unit.objects.filter(pk__in=policy.memberships(request.user).values_list("unit", flat=True))
    form = RegistrationForm(request.POST or None, units=units, initial={"unit": units.first()})
    if form.is_valid():
        try:
            registration = services.registration_create(
                session=session,
                user=request.user,
                profession=form.cleaned_data["profession"],
                unit=form.cleaned_data["unit"],
                via=via(request, "programmes:register"),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if registration.status == Registration.Status.PLACE:
                messages.success(request, _("Du är anmäld och har en plats."))
            else:
                messages.success(
                    request, _("Tillfället är fullt. Du står på väntelistan och får en plats om någon avbokar.")
                )
            return redirect("programmes:events")
    context = {"session": session, "form": form}
    return render(request, "programmes/register.html", context, status=400 if form.errors else 200)


def _own_registration(request: HttpRequest, registration_id: int) -> Registration:
    registration = (
        Registration.objects.select_related("session__event").filter(pk=registration_id, user=request.user).first()
    )
    if registration is None:
        raise Http404
    return registration


@authenticated
@require_POST
def cancel(request: HttpRequest, registration_id: int) -> HttpResponse:
    registration = _own_registration(request, registration_id)
    if registration.status != Registration.Status.CANCELLED:
        services.registration_cancel(registration=registration, via=via(request, "programmes:cancel"))
    messages.success(request, _("Anmälan är avbokad."))
    return redirect("programmes:events")


@authenticated
@require_http_methods(["GET", "POST"])
def evaluate(request: HttpRequest, registration_id: int) -> HttpResponse:
    """Evaluate a session the user took part in: rating, recommendation, free text."""
    registration = _own_registration(request, registration_id)
    form = EvaluationForm(request.POST or None)
    if form.is_valid():
        try:
            services.evaluation_file(
                registration=registration,
                user=request.user,
                via=via(request, "programmes:evaluate"),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Tack för din utvärdering!"))
            return redirect("programmes:events")
    context = {"registration": registration, "form": form}
    return render(request, "programmes/evaluate.html", context, status=400 if form.errors else 200)


@authenticated
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, session_id: int) -> HttpResponse:
    """Mark who attended a session (managers and administrators of the programme's municipality)."""
    session = _sessions_for(request).filter(pk=session_id).first()
    if session is None:
        raise Http404
    if not selectors.may_run(request.user, session.event.programme):
        return forbidden(request, RUNNERS_ONLY)
    registrations = session.registrations.filter(status=Registration.Status.PLACE).select_related("user", "unit")
    if request.method == "POST":
        present = set(request.POST.getlist("present"))
        act = via(request, "programmes:attendance")
        for registration in registrations:
            services.attendance_mark(registration=registration, attended=str(registration.pk) in present, via=act)
        messages.success(request, _("Närvaron är sparad."))
        return redirect("programmes:attendance", session_id=session.pk)
    context = {"session": session, "registrations": registrations}
    return render(request, "programmes/attendance.html", context)


@authenticated
@require_safe
def event_reports(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Participants per profession per lecture, and the evaluation summaries."""
    programme = programme_for(request, programme_id)
    reports = [selectors.event_report(event) for event in selectors.events_of(programme)]
    return render(request, "programmes/event_reports.html", {"programme": programme, "reports": reports})


@public
@require_safe
def calendar(request: HttpRequest) -> HttpResponse:
    """The coming year's lecture sessions as an iCalendar feed (title, place, speakers: nothing personal)."""
    feed = icalendar.Calendar()
    feed.add("prodid", "-//Samplan//Föreläsningar//SV")
    feed.add("version", "2.0")
    feed.add("x-wr-calname", str(_("Föreläsningar")))
    since = timezone.now() - timedelta(days=30)
    sessions = EventSession.objects.filter(starts_at__gte=since).select_related("event").order_by("starts_at")
    for session in sessions:
        entry = icalendar.Event()
        entry.add("uid", f"session-{session.pk}@samplan")
        entry.add("dtstamp", timezone.now())
        entry.add("dtstart", session.starts_at)
        entry.add("dtend", session.ends_at)
        entry.add("summary", session.event.title)
        entry.add("location", session.event.place)
        entry.add("description", str(_("Föreläsare: %(speakers)s")) % {"speakers": session.event.speakers})
        feed.add_component(entry)
    response = HttpResponse(feed.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="forelasningar.ics"'
    return response
