"""Pages of team meetings, shared with the team's current members only.

A meeting outside the user's current teams is the same 404 as a missing one. The meeting page and
the minutes read identified cases through `policy.team_case_items` and log every read with the
meeting as target (`child_data`); the other pages hold no child data (`authenticated`).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import User
from catalogue import selectors as catalogue_selectors
from catalogue.forms import ReferralForm
from core.access import authenticated, child_data, public
from meetings import calendar_feed, selectors, services
from meetings.forms import (
    AddendumForm,
    AnonymousItemForm,
    CaseItemForm,
    CaseOutcomeForm,
    ConsentReasonForm,
    MeetingForm,
    MinutesForm,
    OutcomeForm,
    PlanActionForm,
    SeriesForm,
    ThemeItemForm,
)
from meetings.models import AgendaItem, CaseItem, ConsentReason, Meeting, Outcome
from plans import pdf
from sharing import display, policy
from teams import selectors as team_selectors
from teams import services as team_services
from teams.models import Team

SURFACE = "page"


def _via(request: HttpRequest, target: str) -> services.Via:
    return services.Via(user=request.user, actor=policy.page_actor(request), surface=SURFACE, target=target)


def _team(request: HttpRequest, team_id: int) -> Team:
    """A team the user takes part in today, or 404 (missing, elsewhere and not a member alike)."""
    team = team_selectors.team_for(request.user, team_id)
    if team is None or policy.meeting_member(request.user, team) is None:
        raise Http404
    return team


def _meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    meeting = Meeting.objects.select_related("team", "approved_by").filter(pk=meeting_id).first()
    if meeting is None or policy.meeting_member(request.user, meeting.team) is None:
        raise Http404
    return meeting


def _apply(form, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _form_page(request, form, *, title: str, back: str, intro: str = "", status=None) -> HttpResponse:
    context = {"form": form, "title": title, "back": back, "intro": intro}
    return render(request, "meetings/form.html", context, status=status or (400 if form.errors else 200))


def _period(request: HttpRequest) -> tuple[date, date]:
    today = timezone.localdate()
    try:
        start = date.fromisoformat(request.GET.get("fran", ""))
    except ValueError:
        start = today.replace(month=1, day=1)
    try:
        end = date.fromisoformat(request.GET.get("till", ""))
    except ValueError:
        end = today + timedelta(days=1)
    return start, max(end, start + timedelta(days=1))


@authenticated
@require_safe
def team_meetings(request: HttpRequest, team_id: int) -> HttpResponse:
    """The team's meetings, its calendar address and the way to plan more."""
    team = _team(request, team_id)
    coming, past = selectors.meetings_of(team)
    context = {
        "team": team,
        "coming": coming,
        "past": past,
        "may_plan": services.may_plan(request.user, team),
        "feed": calendar_feed.live_feed(team, request.user),
        "overdue": selectors.overdue_actions(request.user).filter(meeting__team=team),
        "today": timezone.localdate(),
    }
    return render(request, "meetings/team_meetings.html", context)


@authenticated
@require_safe
def my_actions(request: HttpRequest) -> HttpResponse:
    """The user's open actions from the meetings of the teams they take part in, overdue ones marked."""
    if not policy.memberships(request.user).exists():
        raise Http404  # family users and staff without a current employment take part in no team
    context = {"actions": selectors.open_actions(request.user), "today": timezone.localdate()}
    return render(request, "meetings/my_actions.html", context)


@authenticated
@require_http_methods(["GET", "POST"])
def series_new(request: HttpRequest, team_id: int) -> HttpResponse:
    """Set up a recurring schedule (the chair); its meetings are planned a year ahead."""
    team = _team(request, team_id)
    if not services.may_plan(request.user, team):
        raise PermissionDenied
    form = SeriesForm(request.POST or None, initial={"first_date": timezone.localdate()})
    if form.is_valid():
        try:
            services.series_create(team=team, via=_via(request, "meetings:series_new"), **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Mötesserien är sparad och mötena är inlagda."))
            return redirect("meetings:team", team_id=team.pk)
    return _form_page(request, form, title=_("Ny mötesserie"), back=reverse("meetings:team", args=[team.pk]))


@authenticated
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, team_id: int) -> HttpResponse:
    """Plan a single meeting (any member)."""
    team = _team(request, team_id)
    form = MeetingForm(request.POST or None)
    if form.is_valid():
        try:
            meeting = services.meeting_create(team=team, via=_via(request, "meetings:meeting_new"), **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Mötet är inlagt."))
            return redirect("meetings:detail", meeting_id=meeting.pk)
    return _form_page(request, form, title=_("Nytt möte"), back=reverse("meetings:team", args=[team.pk]))


def _readable_cases(request: HttpRequest, meeting: Meeting) -> list[CaseItem]:
    """The meeting's identified cases the user may read now, each read logged with the meeting as target."""
    rows = policy.team_case_items(
        request.user,
        meeting.cases.select_related("child", "owner_authority").prefetch_related("outcomes"),
        team=meeting.team,
    )
    cases = list(rows)
    policy.log_case_reads(cases, actor=policy.page_actor(request), surface=SURFACE, meeting=meeting)
    for case in cases:
        case.shown_name = display.listed_name(case.child)  # a protected child is never named in a team's list
        case.shown_given_name = display.listed_given_name(case.child)
    return cases


@child_data
@require_safe
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """A meeting: time and place, attendance, the agenda (with open actions carried over), outcomes, minutes."""
    meeting = _meeting(request, meeting_id)
    items = list(meeting.items.select_related("raised_by"))
    members = list(team_services.current_members(meeting.team).select_related("user", "authority"))
    present = set(meeting.attendance.values_list("user", flat=True))
    context = {
        "meeting": meeting,
        "items": items,
        "cases": _readable_cases(request, meeting),
        "hidden_cases": meeting.cases.count(),
        "carried": selectors.carried_actions(meeting),
        "outcomes": meeting.outcomes.select_related("owner", "item"),
        "members": members,
        "present": present,
        "outcome_form": OutcomeForm(items=items, members=members),
        "is_chair": services.is_chair(request.user, meeting.team),
        "today": timezone.localdate(),
    }
    context["hidden_cases"] -= len(context["cases"])
    for case in context["cases"]:
        case.outcome_form = CaseOutcomeForm(prefix=f"arende{case.pk}")
    return render(request, "meetings/meeting_detail.html", context)


@authenticated
@require_POST
def attendance(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Record who came (the members ticked)."""
    meeting = _meeting(request, meeting_id)
    ids = [value for value in request.POST.getlist("present") if value.isdigit()]
    users = list(User.objects.filter(pk__in=ids))
    try:
        services.attendance_set(meeting=meeting, users=users, via=_via(request, "meetings:attendance"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Närvaron är sparad."))
    return redirect("meetings:detail", meeting_id=meeting.pk)


@authenticated
@require_http_methods(["GET", "POST"])
def item_new(request: HttpRequest, meeting_id: int, kind: str) -> HttpResponse:
    """Raise an anonymous consultation or a theme; identifying text is refused with a message."""
    meeting = _meeting(request, meeting_id)
    anonymous = kind == "anonym"
    if kind not in ("anonym", "tema"):
        raise Http404
    form = (AnonymousItemForm if anonymous else ThemeItemForm)(request.POST or None)
    if form.is_valid():
        values = form.cleaned_data
        item_kind = AgendaItem.Kind.ANONYMOUS if anonymous else AgendaItem.Kind.THEME
        try:
            services.item_add(meeting=meeting, kind=item_kind, via=_via(request, "meetings:item_new"), **values)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Punkten är tillagd på dagordningen."))
            return redirect("meetings:detail", meeting_id=meeting.pk)
    title = _("Ny anonym konsultation") if anonymous else _("Nytt tema")
    intro = (
        _(
            "En anonym konsultation sparas utan koppling till något barn och kan aldrig kopplas till ett barn i "
            "efterhand. Vill ni arbeta vidare med barnet behövs ett samtycke och en ny punkt."
        )
        if anonymous
        else ""
    )
    return _form_page(request, form, title=title, back=reverse("meetings:detail", args=[meeting.pk]), intro=intro)


@child_data
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Raise an identified case: only for a child the user sees, with a consent in force naming the team."""
    meeting = _meeting(request, meeting_id)
    consents = policy.case_consent_covers(meeting.team)
    children = policy.visible_children(request.user).filter(consents__in=consents).distinct().order_by("family_name")
    form = CaseItemForm(request.POST or None, children=children)
    if form.is_valid():
        data = form.cleaned_data
        target = "meetings:case_new"
        access = policy.child_for_user(
            request.user, data["child"], actor=policy.page_actor(request), surface=SURFACE, target=target
        )
        consent = services.covering_consents(meeting.team, access).order_by("-valid_until").first()
        try:
            services.case_add(
                meeting=meeting,
                access=access,
                consent_id=consent.pk if consent else None,
                category=data["category"],
                summary=data["summary"],
                question=data["question"],
                via=_via(request, target),
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Ärendet är tillagt på dagordningen."))
            return redirect("meetings:detail", meeting_id=meeting.pk)
    intro = _(
        "Ett barn kan tas upp med namn bara när vårdnadshavarna (och barnet, efter ålder) har samtyckt till att "
        "teamet får uppgifterna. Teamets medlemmar ser det som samtycket omfattar, så länge det gäller."
    )
    return _form_page(
        request,
        form,
        title=_("Nytt ärende med samtycke"),
        back=reverse("meetings:detail", args=[meeting.pk]),
        intro=intro,
    )


@authenticated
@require_POST
def outcome_new(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Record advice, a decision or an action."""
    meeting = _meeting(request, meeting_id)
    items = list(meeting.items.all())
    members = list(team_services.current_members(meeting.team).select_related("user"))
    form = OutcomeForm(request.POST, items=items, members=members)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.outcome_add(
                meeting=meeting,
                kind=data["kind"],
                text=data["text"],
                item=next((item for item in items if item.pk == data["item"]), None),
                owner=next((member.user for member in members if member.user_id == data["owner"]), None),
                due_on=data["due_on"],
                via=_via(request, "meetings:outcome_new"),
            )
        except ValidationError as exc:
            _apply(form, exc)
    if form.errors:
        return _form_page(request, form, title=_("Nytt utfall"), back=reverse("meetings:detail", args=[meeting.pk]))
    messages.success(request, _("Utfallet är sparat."))
    return redirect("meetings:detail", meeting_id=meeting.pk)


@child_data
@require_POST
def case_outcome_new(request: HttpRequest, case_id: int) -> HttpResponse:
    """Record advice or a decision on an identified case the user may read now."""
    case = policy.case_item_for_user(request.user, CaseItem.objects.all(), case_id)
    if case is None:
        raise Http404  # not a member, the consent no longer covers it, or no such case: the same answer
    target = "meetings:case_outcome_new"
    policy.log_case_reads([case], actor=policy.page_actor(request), surface=SURFACE, meeting=case.meeting)
    form = CaseOutcomeForm(request.POST, prefix=f"arende{case.pk}")
    if form.is_valid():
        try:
            services.case_outcome_add(case=case, via=_via(request, target), **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
    if form.errors:
        back = reverse("meetings:detail", args=[case.meeting_id])
        return _form_page(request, form, title=_("Råd eller beslut i ärendet"), back=back)
    messages.success(request, _("Utfallet är sparat."))
    return redirect(reverse("meetings:detail", args=[case.meeting_id]) + f"#case-{case.pk}")


@authenticated
@require_POST
def action_done(request: HttpRequest, outcome_id: int) -> HttpResponse:
    """Mark an action done (its owner or the chair)."""
    outcome = Outcome.objects.select_related("meeting__team").filter(pk=outcome_id).first()
    if outcome is None or policy.meeting_member(request.user, outcome.meeting.team) is None:
        raise Http404
    try:
        services.action_done(outcome=outcome, via=_via(request, "meetings:action_done"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Åtgärden är klar."))
    return redirect(request.POST.get("tillbaka") or reverse("meetings:detail", args=[outcome.meeting_id]))


def _minutes_context(request: HttpRequest, meeting: Meeting) -> dict:
    """What the minutes show: anonymous items, themes, and identified cases only as far as every attendee may read."""
    attendees = [row.user for row in meeting.attendance.select_related("user", "authority")]
    readable = _readable_cases(request, meeting)
    shared = [
        case
        for case in readable
        if all(
            policy.team_case_items(attendee, CaseItem.objects.filter(pk=case.pk), team=meeting.team).exists()
            for attendee in attendees
        )
    ]
    return {
        "meeting": meeting,
        "attendance": meeting.attendance.select_related("user", "authority").order_by("authority__name"),
        "items": meeting.items.all(),
        "cases": shared,
        "withheld": meeting.cases.count() - len(shared),
        "outcomes": meeting.outcomes.select_related("owner", "item"),
        "addenda": meeting.addenda.select_related("written_by"),
    }


@child_data
@require_http_methods(["GET", "POST"])
def minutes(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The minutes: written until the chair approves them, then frozen; corrections as addenda."""
    meeting = _meeting(request, meeting_id)
    form = MinutesForm(request.POST or None, initial={"minutes": meeting.minutes}, prefix="protokoll")
    addendum_form = AddendumForm(request.POST or None, prefix="tillagg")
    if request.method == "POST":
        via = _via(request, "meetings:minutes")
        action = request.POST.get("gora")
        try:
            if action == "justera":
                services.minutes_approve(meeting=meeting, via=via)
                messages.success(request, _("Protokollet är justerat."))
            elif action == "tillagg" and addendum_form.is_valid():
                services.addendum_add(meeting=meeting, text=addendum_form.cleaned_data["text"], via=via)
                messages.success(request, _("Tillägget är sparat."))
            elif action == "spara" and form.is_valid():
                services.minutes_save(meeting=meeting, text=form.cleaned_data["minutes"], via=via)
                messages.success(request, _("Protokollet är sparat."))
            else:
                raise ValidationError(_("Något saknas. Fyll i texten och försök igen."))
        except ValidationError as exc:
            _apply(addendum_form if action == "tillagg" else form, exc)
        else:
            return redirect("meetings:minutes", meeting_id=meeting.pk)
    context = _minutes_context(request, meeting)
    context.update(form=form, addendum_form=addendum_form, is_chair=services.is_chair(request.user, meeting.team))
    status = 400 if form.errors or addendum_form.errors else 200
    return render(request, "meetings/minutes.html", context, status=status)


@child_data
@require_safe
def minutes_pdf(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The minutes as an accessible PDF, with the same content as the page."""
    meeting = _meeting(request, meeting_id)
    html = render_to_string("meetings/minutes_pdf.html", _minutes_context(request, meeting), request=request)
    response = HttpResponse(pdf.render(html, base_url=request.build_absolute_uri("/")), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="protokoll-{meeting.date:%Y-%m-%d}.pdf"'
    return response


@authenticated
@require_safe
def team_figures(request: HttpRequest, team_id: int) -> HttpResponse:
    """The team's statistics and the consent barrier for a period (counts only, no child)."""
    team = _team(request, team_id)
    start, end = _period(request)
    barrier = selectors.consent_barrier(team, start=start, end=end)
    context = {
        "team": team,
        "start": start,
        "end": end,
        "stats": selectors.team_stats(team, start=start, end=end),
        "barrier": barrier,
        "reasons": [
            (label, barrier.total.reasons[code])
            for code, label in ConsentReason.Reason.choices
            if barrier.total.reasons[code]
        ],
        "authorities": policy.team_authorities(team).order_by("name"),
        "own_requests": selectors.own_requests(team, request.user),
    }
    return render(request, "meetings/figures.html", context)


@authenticated
@require_POST
def feed_new(request: HttpRequest, team_id: int) -> HttpResponse:
    """Make (or show) the member's secret calendar address of the team."""
    team = _team(request, team_id)
    services.feed_for(team=team, via=_via(request, "meetings:feed_new"))
    messages.success(request, _("Din kalenderadress är klar. Lägg in den i din kalender. Dela den inte."))
    return redirect("meetings:team", team_id=team.pk)


@authenticated
@require_POST
def feed_revoke(request: HttpRequest, team_id: int) -> HttpResponse:
    """Revoke the member's calendar address; it stops working at once."""
    team = _team(request, team_id)
    try:
        services.feed_revoke(team=team, via=_via(request, "meetings:feed_revoke"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Kalenderadressen är återkallad och fungerar inte längre."))
    return redirect("meetings:team", team_id=team.pk)


@public
@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The team's meetings as iCalendar, for a live address of a current member (times and places only)."""
    found = services.feed_by_token(token)
    if found is None:
        raise Http404
    body = calendar_feed.render(found.team, host=request.get_host())
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


@child_data
@require_http_methods(["GET", "POST"])
def case_to_plan(request: HttpRequest, case_id: int) -> HttpResponse:
    """Add an action agreed on an identified case to the child's plan, in one step and under the plan's rules."""
    case = policy.case_item_for_user(request.user, CaseItem.objects.all(), case_id)
    if case is None:
        raise Http404  # not a member, the consent no longer covers it, or no such case: the same answer
    target = "meetings:case_to_plan"
    access = policy.child_for_user(
        request.user, case.child_id, actor=policy.page_actor(request), surface=SURFACE, target=target
    )
    policy.log_case_reads([case], actor=policy.page_actor(request), surface=SURFACE, meeting=case.meeting)
    form = PlanActionForm(request.POST or None)
    if form.is_valid():
        try:
            services.case_action_to_plan(case=case, access=access, via=_via(request, target), **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Åtgärden är tillagd i barnets plan."))
            return redirect("meetings:detail", meeting_id=case.meeting_id)
    intro = _("Åtgärden läggs till i barnets plan, med din myndighet som ansvarig.")
    if services.editable_plan(access) is None:
        intro = services.NO_PLAN
    back = reverse("meetings:detail", args=[case.meeting_id])
    return _form_page(request, form, title=_("Åtgärd till barnets plan"), back=back, intro=intro)


@child_data
@require_http_methods(["GET", "POST"])
def case_to_referral(request: HttpRequest, case_id: int) -> HttpResponse:
    """Make an action agreed on an identified case a referral to an intervention in one step (catalogue rules)."""
    case = policy.case_item_for_user(request.user, CaseItem.objects.all(), case_id)
    if case is None:
        raise Http404  # not a member, the consent no longer covers it, or no such case: the same answer
    target = "meetings:case_to_referral"
    access = policy.child_for_user(
        request.user, case.child_id, actor=policy.page_actor(request), surface=SURFACE, target=target
    )
    policy.log_case_reads([case], actor=policy.page_actor(request), surface=SURFACE, meeting=case.meeting)
    interventions = catalogue_selectors.interventions_for(request.user).filter(
        provider__municipality=access.child.municipality_id
    )
    plan_offered = services.editable_plan(access) is not None
    form = ReferralForm(request.POST or None, interventions=interventions, plan_offered=plan_offered)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.case_action_to_referral(
                case=case,
                access=access,
                intervention=data["intervention"],
                reason=data["reason"],
                in_plan=data.get("in_plan", False),
                via=_via(request, target),
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Remissen är skickad."))
            return redirect("meetings:detail", meeting_id=case.meeting_id)
    intro = _("Remissen skickas till insatsen med din myndighet som remittent. Barnets remisser finns under barnet.")
    back = reverse("meetings:detail", args=[case.meeting_id])
    return _form_page(request, form, title=_("Remiss till en insats"), back=back, intro=intro)


@child_data
@require_http_methods(["GET", "POST"])
def consent_reason(request: HttpRequest, team_id: int, consent_id: int) -> HttpResponse:
    """Record the reason a guardian chose to give for not consenting (the asking authority, on their word)."""
    team = _team(request, team_id)
    target = "meetings:consent_reason"
    _access, consent = policy.consent_for_user(
        request.user, consent_id, actor=policy.page_actor(request), surface=SURFACE, target=target, manage=True
    )
    if not consent.recipient_teams.filter(pk=team.pk).exists():
        raise Http404
    form = ConsentReasonForm(request.POST or None)
    if form.is_valid():
        try:
            services.consent_reason_record(consent=consent, team=team, via=_via(request, target), **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Skälet är sparat. Det räknas i teamets statistik, utan namn."))
            return redirect("meetings:figures", team_id=team.pk)
    intro = _(
        "Ange skälet bara om vårdnadshavaren själv ville säga varför. Det räknas i teamets statistik och "
        "visas aldrig med barnets namn."
    )
    back = reverse("meetings:figures", args=[team.pk])
    return _form_page(request, form, title=_("Skäl till att samtycke inte lämnades"), back=back, intro=intro)
