"""The five questions from a concern, and the author's follow-ups ("Mina uppföljningar")."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from audit import log as audit
from core.access import child_data
from sharing import display, legal, policy
from wellbeing import flow, selectors, services
from wellbeing.forms import FiveQuestionsForm, FollowUpForm
from wellbeing.models import ChronologyEntry
from wellbeing.views.common import SURFACE, add_errors, log_rows, open_child

FOLLOW_UPS_TARGET = "wellbeing:follow_ups"
DONE = _("Uppföljningen är markerad som gjord.")


@child_data
@require_http_methods(["GET", "POST"])
def five_questions(request: HttpRequest, child_id: UUID, entry_id: int) -> HttpResponse:
    """Guide the practitioner through the five questions about a concern; the outcome decides the next step."""
    access, via = open_child(request, child_id, "wellbeing:five_questions")
    concern = selectors.entry_for(access, entry_id)
    log_rows([concern], access, via)
    if concern.kind != ChronologyEntry.Kind.CONCERN:
        raise Http404
    duty_to_report = legal.reference_in_force(legal.DUTY_TO_REPORT)
    form = FiveQuestionsForm(request.POST if request.method == "POST" else None, duty_to_report=duty_to_report)
    if form.is_valid():
        try:
            five = services.five_questions_answer(
                access=access, entry=concern, author=request.user, via=via, **form.cleaned_data
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            step = flow.next_step(five)
            (messages.warning if step.is_warning else messages.success)(request, step.message)
            return redirect(step.url)
    context = {"child": access.child, "entry": concern, "form": form}
    return render(request, "wellbeing/five_questions.html", context, status=400 if form.errors else 200)


def _log_follow_ups(request: HttpRequest, rows) -> None:
    who = policy.page_actor(request)
    for row in rows:
        audit.record(
            actor=who,
            action="read",
            surface=SURFACE,
            target=FOLLOW_UPS_TARGET,
            basis=policy.Basis.OWN_RECORD,
            child_id=row.child_id,
            record_type="FiveQuestions",
            record_id=str(row.pk),
        )


@child_data
@require_safe
def follow_ups(request: HttpRequest) -> HttpResponse:
    """List the user's own open follow-ups, due ones first, for children they still have a relation to."""
    rows = list(selectors.my_follow_ups(request.user))
    _log_follow_ups(request, rows)
    today = policy.today()
    listed = display.listed_among(request.user, [row.child for row in rows], on=today)
    for row in rows:
        row.child_name = listed[row.child_id].name
    context = {
        "due": [row for row in rows if row.follow_up_on <= today],
        "later": [row for row in rows if row.follow_up_on > today],
        "form": FollowUpForm(),
    }
    return render(request, "wellbeing/follow_ups.html", context)


@child_data
@require_POST
def follow_up_done(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    """Mark one of the user's follow-ups as done, with a note."""
    five = selectors.my_follow_ups(request.user).filter(pk=follow_up_id).first()
    if five is None:
        raise Http404
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        raise Http404  # the only field is optional and bounded; a bad post is a forged one
    who = policy.page_actor(request)
    via = services.Via(actor=who, surface=SURFACE, target="wellbeing:follow_up_done", basis=policy.Basis.OWN_RECORD)
    try:
        services.follow_up_complete(five=five, user=request.user, note=form.cleaned_data["note"], via=via)
    except PermissionDenied as exc:
        raise Http404 from exc
    messages.success(request, DONE)
    return redirect("wellbeing:follow_ups")
