"""Pages of the named person: my children, handovers to accept, and children without a named person."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from audit import log as audit
from core.access import child_data
from namedperson import selectors, services
from namedperson.models import HandoverSummary, Stage
from sharing import display, policy
from sharing.categories import Category, category_for_unit_type

PER_PAGE = 25


def _page(request: HttpRequest, queryset) -> Page:
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("sida"))


def _log_list(actor: audit.Actor, children, *, target: str, basis: str) -> None:
    """Write one read row per child shown, so each child's log extract names this page."""
    for child in children:
        audit.record(
            actor=actor,
            action="read",
            surface="page",
            target=target,
            basis=basis,
            child_id=child.pk,
            record_type="Child",
            record_id=str(child.pk),
        )


@child_data
@require_http_methods(["GET"])
def my_children(request: HttpRequest) -> HttpResponse:
    on = policy.today()
    search = request.GET.get("q", "").strip()[:100]
    sort = request.GET.get("ordning", "namn")
    if sort not in selectors.SORTS:
        sort = "namn"
    page = _page(request, selectors.my_children(request.user, on=on, search=search, sort=sort))
    for child in page:
        child.np_stage_label = Stage(child.np_stage).label
    _log_list(policy.page_actor(request), page, target="namedperson:my_children", basis=policy.Basis.NAMED_PERSON)
    query = urlencode({key: value for key, value in (("q", search), ("ordning", sort)) if value})
    context = {"page": page, "search": search, "sort": sort, "on": on, "query": query}
    return render(request, "namedperson/my_children.html", context)


def _describe(proposal, listed: display.Listed, own_units: frozenset[int]) -> None:
    """Set how the handover shows the child and its current named person (whose name and unit locate the child)."""
    proposal.child_name = listed.name
    # The receiving unit is the child's next school or BVC: it locates the child as much as the current one.
    to_unit = proposal.to_unit
    proposal.to_unit_name = to_unit.name if to_unit and (listed.location_shown or to_unit.pk in own_units) else None
    if not getattr(proposal, "from_last_name", ""):
        proposal.from_person = ""
    elif listed.location_shown:
        proposal.from_person = f"{proposal.from_first_name} {proposal.from_last_name} ({proposal.from_unit})"
    else:
        proposal.from_person = None


@child_data
@require_http_methods(["GET"])
def handovers(request: HttpRequest) -> HttpResponse:
    on = policy.today()
    incoming = list(selectors.proposals_to_accept(request.user, on=on)[:200])
    leaving = list(selectors.proposals_leaving(request.user, on=on)[:200])
    mine = policy.current_memberships(request.user, on=on)
    actor = policy.page_actor(request, mine=mine)
    listed = display.listed_among(request.user, [p.child for p in incoming + leaving], on=on)
    for proposal in incoming + leaving:
        _describe(proposal, listed[proposal.child_id], mine.unit_ids)
    _log_list(actor, [p.child for p in incoming], target="namedperson:handovers", basis=services.BASIS)
    _log_list(actor, [p.child for p in leaving], target="namedperson:handovers", basis=policy.Basis.NAMED_PERSON)
    return render(request, "namedperson/handovers.html", {"incoming": incoming, "leaving": leaving, "on": on})


@child_data
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, proposal_id: int) -> HttpResponse:
    on = policy.today()
    # Only proposals the user may accept, for children the policy lets the user see; anything else is 404.
    proposal = get_object_or_404(selectors.proposals_to_accept(request.user, on=on), pk=proposal_id)
    actor = policy.page_actor(request)
    access = policy.child_for_user(
        request.user, proposal.child_id, actor=actor, surface="page", target="namedperson:accept"
    )
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.handover_accept(proposal=proposal, user=request.user, on=on, actor=actor)
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            errors = exc.messages
            if exc.code == "stale":
                services.handover_propose_for(
                    child_ids=[proposal.child_id], on=on, actor=actor, surface="page", target="namedperson:accept"
                )
        else:
            messages.success(request, _("Du är nu namngiven person för %(name)s.") % {"name": str(access.child)})
            return redirect("namedperson:handovers")
    shown = display.display_for(access)
    _describe(proposal, display.Listed(str(access.child), shown.location_shown), shown.own_unit_ids)
    # After a refusal the handover may have changed (a stale proposal is replaced): the summary waits for a reload.
    state = None if errors else selectors.proposal_summary(access, proposal)
    if state is not None and state.readable is not None:
        policy.log_shared_reads(
            [state.readable], actor=actor, surface="page", target="namedperson:accept", access=access, every_read=True
        )
    context = {
        "proposal": proposal,
        "access": access,
        "child": access.child,
        "errors": errors,
        "on": on,
        "summary_state": state,
        # Who wrote it names the unit the child comes from: the one display decision says whether it may be shown.
        "mask_writer": not shown.location_shown,
    }
    return render(request, "namedperson/accept.html", context, status=400 if errors else 200)


@child_data
@require_http_methods(["GET", "POST"])
def summary(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """Let the outgoing named person write the handover summary, saying first whether the receiver can read it."""
    on = policy.today()
    # Only open handovers of children the user is the named person of; anything else is 404.
    proposal = get_object_or_404(selectors.proposals_leaving(request.user, on=on), pk=proposal_id)
    actor = policy.page_actor(request)
    access = policy.child_for_user(
        request.user, proposal.child_id, actor=actor, surface="page", target="namedperson:summary"
    )
    writer = selectors.current_assignment(proposal.child_id, on=on)
    existing = selectors.summaries_for(access).filter(proposal=proposal).first()
    if existing is not None:
        policy.log_shared_reads(
            [existing], actor=actor, surface="page", target="namedperson:summary", access=access, every_read=True
        )
    text = existing.text if existing is not None else ""
    errors: list[str] = []
    if request.method == "POST":
        text = request.POST.get("text", "")
        try:
            services.handover_summary_write(proposal=proposal, user=request.user, text=text, on=on, actor=actor)
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Överlämningssammanfattningen är sparad."))
            return redirect("namedperson:handovers")
    reach = selectors.summary_reach(proposal, writer) if proposal.to_unit_id else None
    context = {
        "proposal": proposal,
        "child": access.child,
        "errors": errors,
        "text": text,
        "max_length": HandoverSummary.MAX_LENGTH,
        "existing": existing,
        "receiver_reads": reach is not None,
        "reach_basis": reach[0] if reach else "",
        "receiving_authority": proposal.to_unit.authority if proposal.to_unit_id else None,
        "category": Category(category_for_unit_type(writer.unit.unit_type)).label,
        "own_authority": writer.unit.authority,
        "protected": access.child.is_protected,
    }
    return render(request, "namedperson/summary.html", context, status=400 if errors else 200)


@child_data
@require_http_methods(["GET"])
def without(request: HttpRequest) -> HttpResponse:
    if not policy.has_role(request.user, policy.OVERSIGHT_ROLES):
        raise Http404
    on = policy.today()
    page = _page(request, selectors.children_needing_attention(request.user, on=on))
    for child in page:
        child.listed = display.list_label(child, shown=child.identity_shown)
    _log_list(policy.page_actor(request), page, target="namedperson:without", basis="named_person_oversight")
    context = {
        "page": page,
        "on": on,
        "overdue_before": on - selectors.OVERDUE_AFTER,
        "municipality_count": selectors.count_without_named_person(request.user, on=on),
    }
    return render(request, "namedperson/without.html", context)
