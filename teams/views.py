"""Staff pages of multi-agency teams: the list, a team's members, and (for managers) creating and changing them.

Teams hold no child data, so these pages are `authenticated`; each write goes through a service
that logs it. A team outside the user's municipalities is the same 404 as a missing one; a user
who may see a team but not keep it is told so (403).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from catalogue import intake
from core.access import authenticated
from sharing import policy
from teams import selectors, services
from teams.forms import MemberForm, TeamForm
from teams.models import Team, TeamMember

PER_PAGE = 25
SURFACE = "page"


def _via(request: HttpRequest, target: str) -> services.Via:
    actor = policy.page_actor(request)
    return services.Via(user=request.user, actor=actor, surface=SURFACE, target=target)


def _team(request: HttpRequest, team_id: int) -> Team:
    team = selectors.team_for(request.user, team_id)
    if team is None:
        raise Http404
    return team


def _forbidden(request: HttpRequest, team: Team | None = None) -> HttpResponse:
    return render(request, "teams/forbidden.html", {"team": team}, status=403)


def _apply(form, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@authenticated
@require_safe
def team_list(request: HttpRequest) -> HttpResponse:
    """List the teams of the user's municipalities, active first; search by name."""
    if not policy.memberships(request.user).exists():
        raise Http404  # family users and staff without a current employment have no teams
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.teams_for(request.user, search=search), PER_PAGE).get_page(request.GET.get("sida"))
    context = {
        "page": page,
        "search": search,
        "query": urlencode({"q": search}) if search else "",
        "may_create": services.managed_municipalities(request.user).exists(),
    }
    return render(request, "teams/team_list.html", context)


@authenticated
@require_http_methods(["GET", "POST"])
def team_new(request: HttpRequest) -> HttpResponse:
    """Create a team in one of the municipalities the user manages."""
    municipalities = services.managed_municipalities(request.user).order_by("name")
    if not municipalities.exists():
        return _forbidden(request)
    form = TeamForm(request.POST or None, municipalities=municipalities)
    if form.is_valid():
        data = form.cleaned_data
        try:
            team = services.team_create(via=_via(request, "teams:new"), **data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Teamet är skapat. Lägg till medlemmarna."))
            return redirect("teams:detail", team_id=team.pk)
    return render(request, "teams/team_form.html", {"form": form}, status=400 if form.errors else 200)


@authenticated
@require_safe
def team_detail(request: HttpRequest, team_id: int) -> HttpResponse:
    """Show a team: its current members with authority and role, and its past members."""
    team = _team(request, team_id)
    current, past = selectors.members(team)
    context = {
        "team": team,
        "current": current,
        "past": past,
        "today": policy.team_authorities(team).order_by("name"),
        "may_manage": services.may_manage(request.user, team),
        "takes_part": policy.meeting_member(request.user, team) is not None,
    }
    if context["takes_part"]:
        context["waiting"] = intake.waiting_for_team(team)
    return render(request, "teams/team_detail.html", context)


@authenticated
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, team_id: int) -> HttpResponse:
    """Add a member: a staff user and the authority they take part for."""
    team = _team(request, team_id)
    if not services.may_manage(request.user, team):
        return _forbidden(request, team)
    form = MemberForm(request.POST or None, team=team, user=request.user)
    if form.is_valid():
        try:
            services.team_member_add(team=team, via=_via(request, "teams:member_add"), **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Medlemmen är tillagd."))
            return redirect("teams:detail", team_id=team.pk)
    context = {"team": team, "form": form}
    return render(request, "teams/member_form.html", context, status=400 if form.errors else 200)


@authenticated
@require_http_methods(["GET", "POST"])
def member_end(request: HttpRequest, team_id: int, member_id: int) -> HttpResponse:
    """Confirm, then end a membership today; it stays in the team's history."""
    team = _team(request, team_id)
    member = TeamMember.objects.select_related("user", "authority").filter(team=team, pk=member_id).first()
    if member is None:
        raise Http404
    if not services.may_manage(request.user, team):
        return _forbidden(request, team)
    error = None
    if request.method == "POST":
        try:
            services.team_member_end(member=member, via=_via(request, "teams:member_end"))
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("Medlemskapet är avslutat. Historiken finns kvar."))
            return redirect("teams:detail", team_id=team.pk)
    context = {"team": team, "member": member, "error": error}
    return render(request, "teams/member_end.html", context, status=400 if error else 200)
