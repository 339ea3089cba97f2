"""Staff pages about children: the list at the user's units, one child's overview, look-up by number."""

from __future__ import annotations

import csv
from urllib.parse import urlencode
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from audit import log as audit
from audit import present as audit_present
from core import child_page
from core.access import child_data
from core.batch import Batch
from namedperson import panels as namedperson_panels
from people import present, selectors, summary
from people.forms import LookupForm
from plans import selectors as plan_selectors
from sharing import consent_selectors, policy
from sharing.display import display_for
from wellbeing import panels as wellbeing_panels

PER_PAGE = 25
RECENT_EVENTS = 10
SURFACE = "page"
LIST_TARGET = "people:child_list"
OVERVIEW_TARGET = "people:child"
EXPORT_TARGET = "people:child_export"
LOOKUP_TARGET = "people:lookup"

SORT_LABELS = (
    ("namn", _("Namn")),
    ("namn_omvand", _("Namn, Ö–A")),
    ("fodd", _("Födelsedatum")),
    ("fodd_omvand", _("Födelsedatum, yngst först")),
)

FORBIDDEN_LOOKUP = _(
    "Din roll får inte söka barn på personnummer. Be barnets namngivna person eller en socialsekreterare om hjälp."
)
NOT_FOUND_BY_NUMBER = _(
    "Inget barn som du har tillgång till har det numret. Kontrollera numret, eller be barnets namngivna person om "
    "tillgång."
)


def _log_shown(actor: audit.Actor, children, *, target: str) -> None:
    """Write one read row per child shown, with its own basis, so each child's log extract names the page."""
    for child in children:
        audit.record(
            actor=actor,
            action="read",
            surface=SURFACE,
            target=target,
            basis=child.basis,
            child_id=child.pk,
            record_type="Child",
            record_id=str(child.pk),
        )


@child_data
@require_safe
def child_list(request: HttpRequest) -> HttpResponse:
    """List the children the user may see, searchable by name and sortable by name or birth date, a page at a time.

    Pages follow each other by an opaque signed cursor ("sida": the id of the child the page starts
    after or before, never a name or birth date), so a page costs the same for any caseload; the
    count is exact up to `policy.COUNT_CAP` and "fler än" beyond it.

    A child with protected identity is listed only by name to a user with an explicit need (its named
    person, or an assignment with a secrecy assessment). To everyone else it is one row with the
    "Skyddade personuppgifter" marker, no name and no birth date, sorted last by id and never matched
    by a name search (DOMAIN.md B5: excluded from identifiable listings). The row is kept, rather than
    dropped, so that staff at the child's own unit know there is a child they answer for; it links to
    the child's page, which only a deliberate, logged click opens, and which still hides the address,
    the personal number and other units.
    """
    on = policy.today()
    search = request.GET.get("q", "").strip()[:100]
    sort = request.GET.get("ordning", "namn")
    if sort not in selectors.SORTS:
        sort = "namn"
    page = selectors.children_for_list(
        request.user, on=on, search=search, sort=sort, cursor=request.GET.get("sida", "")[:500]
    )
    _log_shown(policy.page_actor(request), page.children, target=LIST_TARGET)
    kept = [(key, value) for key, value in (("q", search), ("ordning", sort)) if value]
    context = {
        "page": page,
        "rows": [present.listed_child(child) for child in page.children],
        "search": search,
        "sort": sort,
        "sorts": SORT_LABELS,
        "next_url": "?" + urlencode([*kept, ("sida", page.next_cursor)]) if page.next_cursor else None,
        "previous_url": "?" + urlencode([*kept, ("sida", page.previous_cursor)]) if page.previous_cursor else None,
    }
    return render(request, "people/child_list.html", context)


@child_data
@require_safe
def child(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Show one child's overview in a fixed number of statements, however long its history.

    The child is checked through the policy, with what opens other authorities' records (`openings`, loaded
    once, in the same statement); every panel's reads, each still the policy's own filtered queryset, and the menu's
    and the wellbeing wording's reads, are then sent together in one statement (`core.batch`). Only reads
    that depend on loaded rows (siblings to check, the details of consents in force, the wheels behind the
    ratings shown) are queries of their own, and only when there is something to read.
    """
    mine = policy.request_memberships(request)  # read once, for the audit rows, the policy, the menu and the banner
    actor = policy.page_actor(request, mine=mine)
    # The page reads many kinds of the child's records: load what opens other authorities' records once,
    # with the child.
    access = policy.child_for_user(
        request.user,
        child_id,
        actor=actor,
        surface=SURFACE,
        target=OVERVIEW_TARGET,
        mine=mine,
        related=(),
        openings=True,
    )
    shows_log = policy.may_read_log_extract(request.user, access)
    batch = Batch()
    page_read = child_page.page_reads(request, access, batch)
    overview_read = selectors.overview_reads(request.user, access, batch)
    recent = policy.log_events_for(access)[:RECENT_EVENTS]
    events = batch.add(recent) if shows_log else None
    people = batch.add(audit_present.people_rows(recent)) if shows_log else None
    consents_read = consent_selectors.summary_reads(access, batch)
    wellbeing_read = wellbeing_panels.panel_reads(access, batch, actor=actor)
    plans_read = plan_selectors.panel_reads(access, batch, actor=actor)
    handovers_read = namedperson_panels.panel_reads(access, request.user, batch, actor=actor)
    batch.run()

    indicators = page_read()  # the wellbeing wording, for the panel and the page's templates
    overview = overview_read()
    _log_shown(actor, overview.siblings, target=OVERVIEW_TARGET)
    for rows in (overview.enrolments, overview.named_persons):
        policy.log_shared_reads(rows, actor=actor, surface="page", target=OVERVIEW_TARGET, access=access)
    display = display_for(access)
    shown = display.name_shown  # the number identifies the child, as its name does; it does not locate it
    context = {
        "child": access.child,
        "access": access,
        "display": display,
        "protection_kind": access.child.get_protection_display() if display.protected else None,
        "identity_number": present.identity_number(access.child, shown=shown),
        "identity_masked": not shown,
        "child_languages": present.languages(access.child),
        "contact": present.contact(overview.contact),
        "contact_note": present.contact_note(access, overview.contact),
        "basis": policy.basis_label(access.basis, own=True),
        "guardians": [present.guardian_row(access, row) for row in overview.guardianships],
        "siblings": [present.listed_child(sibling) for sibling in overview.siblings],
        "enrolments": [present.enrolment_row(access, row) for row in overview.enrolments],
        "named_persons": [present.named_person_row(access, row) for row in overview.named_persons],
        "shows_log": shows_log,
        "events": audit_present.event_rows(events.value, audit_present.people_from(people.value)) if shows_log else [],
        "consent_summary": consents_read(),
        "wellbeing_panel": wellbeing_read(indicators),
        "plan_panel": plans_read(),
        "handover_panel": handovers_read(),
        # Nödåtkomst is a health-care rule: only care-giving staff at a health-care authority are offered it.
        "may_start_emergency": policy.emergency.may_start(request.user, on=mine.on, mine=mine),
    }
    context["current_named_person"] = next((row for row in context["named_persons"] if row.current), None)
    current_plan, current = context["plan_panel"].current, context["current_named_person"]
    context["summary"] = summary.summary_for(
        access,
        display,
        plan=current_plan,
        named_person=(current is not None, current.person if current is not None else None),
        consents=context["consent_summary"],
        plan_url=reverse("plans:plan", args=[access.child.pk, current_plan.pk]) if current_plan else None,
    )
    return render(request, "people/child.html", context)


@child_data
@require_safe
def child_export(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Export the child's enrolments and named-person periods the user may see as CSV, masked as on the overview.

    The same policy filter as the overview decides the rows (`records_for_user`); the export is
    logged for the child and for every record another authority's consent, decision or emergency
    access opened.
    """
    actor = policy.page_actor(request)
    access = policy.child_for_user(
        request.user, child_id, actor=actor, surface="export", target=EXPORT_TARGET, action="export"
    )
    enrolments = selectors.enrolments_for(access)
    named_persons = selectors.named_persons_for(access)
    for rows in (enrolments, named_persons):
        policy.log_shared_reads(
            rows, actor=actor, surface="export", target=EXPORT_TARGET, access=access, action="export"
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    # The id, not the name or number, names the file: downloads folders and mail subjects keep file names.
    response["Content-Disposition"] = f'attachment; filename="barnets-uppgifter-{access.child.pk}-{stamp}.csv"'
    response.write("\ufeff")  # byte-order mark: spreadsheet programs then read the file as UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(present.export_header())
    writer.writerows(present.export_rows(access, enrolments, named_persons, display_for(access)))
    return response


@child_data
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """Find a child by personal number, with a reason; found children open by id, the number stays out of URLs."""
    if not policy.has_role(request.user, policy.LOOKUP_ROLES):
        # Refused before any child data is touched: no look-up happens and none is logged.
        return render(request, "people/lookup_forbidden.html", {"message": FORBIDDEN_LOOKUP}, status=403)
    form = LookupForm(request.POST if request.method == "POST" else None)
    not_found = False
    if form.is_valid():
        found = policy.lookup_child_by_number(
            request.user,
            form.cleaned_data["number"],
            reason=form.cleaned_data["reason"],
            actor=policy.page_actor(request),
            surface=SURFACE,
            target=LOOKUP_TARGET,
        )
        if found is not None:
            return redirect("people:child", child_id=found.pk)
        # The same words whether the child does not exist or is not the user's: a miss tells nothing.
        not_found = True
        form = LookupForm(initial={"reason": form.cleaned_data["reason"]})
    context = {"form": form, "not_found": not_found, "not_found_message": NOT_FOUND_BY_NUMBER}
    return render(request, "people/lookup.html", context, status=400 if form.errors else 200)
