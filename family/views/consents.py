"""The family's consent pages: every consent of the child, answers waiting for the user, withdrawal, own forms."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from audit import log as audit
from core.access import family_data
from family.access import family_child_for_user
from sharing import consent_selectors as selectors
from sharing import policy
from sharing.evidence import evidence_response
from sharing.forms.consents import FamilyAnswerForm
from sharing.services import consents as services

SURFACE = "page"
EVIDENCE_TARGET = "family:consent_evidence"


def _open(request: HttpRequest, child_id: UUID, target: str):
    actor = policy.page_actor(request)
    access = family_child_for_user(request.user, child_id, actor=actor, surface=SURFACE, target=target)
    via = services.Via(user=request.user, actor=actor, surface=SURFACE, target=target, basis=access.basis)
    return access, via


def _row(access, user, consent_id: int) -> selectors.FamilyConsentRow:
    """Return one of the child's consents as the family user sees it; any other id is the same 404."""
    for row in selectors.family_rows(access.child, user):
        if row.row.consent.pk == consent_id:
            return row
    raise Http404


@family_data
@require_safe
def consents(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Show the child's consents: waiting for the user, in force, and past with their history."""
    access, _via = _open(request, child_id, "family:consents")
    rows = selectors.family_rows(access.child, request.user)
    context = {
        "child": access.child,
        "is_self": access.basis == policy.Basis.CHILD_SELF,
        "waiting": [row for row in rows if row.may_answer],
        "active": [row for row in rows if row.row.in_force],
        "past": [row for row in rows if not row.may_answer and not row.row.in_force],
    }
    return render(request, "family/consents.html", context)


@family_data
@require_http_methods(["GET", "POST"])
def consent_answer(request: HttpRequest, child_id: UUID, consent_id: int) -> HttpResponse:
    """Explain a request in plain words and take the user's answer (or, for a younger child, their view)."""
    access, via = _open(request, child_id, "family:consent_answer")
    row = _row(access, request.user, consent_id)
    if not row.may_answer:
        raise Http404
    form = FamilyAnswerForm(request.POST if request.method == "POST" else None, view_only=row.gives_view)
    if form.is_valid():
        try:
            services.consent_answer(
                consent=row.row.consent,
                decision=form.cleaned_data.get("decision", ""),
                view=form.cleaned_data.get("view", ""),
                via=via,
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("Tack, ditt svar är sparat."))
            return redirect("family:consents", child_id=access.child.pk)
    context = {"child": access.child, "row": row, "form": form}
    return render(request, "family/consents_answer.html", context, status=400 if form.errors else 200)


@family_data
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: HttpRequest, child_id: UUID, consent_id: int) -> HttpResponse:
    """Confirm, then withdraw a consent the user gave, with immediate effect."""
    access, via = _open(request, child_id, "family:consent_withdraw")
    row = _row(access, request.user, consent_id)
    if not row.may_withdraw:
        raise Http404
    if request.method == "POST":
        try:
            services.consent_withdraw(consent=row.row.consent, via=via)
        except (PermissionDenied, ValidationError) as exc:
            raise Http404 from exc
        messages.success(request, _("Samtycket är återkallat. Uppgifterna delas inte längre."))
        return redirect("family:consents", child_id=access.child.pk)
    return render(request, "family/consents_withdraw.html", {"child": access.child, "row": row})


@family_data
@require_safe
def consent_evidence(request: HttpRequest, child_id: UUID, consent_id: int) -> FileResponse:
    """Download the signed form of the user's own answer; each download is logged.

    Only the user's own answer: another guardian's form is the same 404 as no form at all, since
    the other guardian's form names them and may reveal where they live.
    """
    actor = policy.page_actor(request)
    access = family_child_for_user(
        request.user, child_id, actor=actor, surface="export", target=EVIDENCE_TARGET, action="export"
    )
    consent = get_object_or_404(access.child.consents.select_related("child"), pk=consent_id)
    # The user's own party only: a guardian with custody today, or the child itself.
    party = services.party_of(consent, request.user, access.on)
    if party is None or not party.evidence:
        raise Http404
    response = evidence_response(party)  # 404 before anything is logged if the file is gone
    audit.record(
        actor=actor,
        action="export",
        surface="export",
        target=EVIDENCE_TARGET,
        basis=access.basis,  # the guardian's or the child's own answer
        child_id=access.child.pk,
        record_type="ConsentParty",
        record_id=str(party.pk),
    )
    return response
