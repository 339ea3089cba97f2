"""Staff pages of a child's consents: the list, the request (inform instead when shared anyway), answers and changes."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from audit import log as audit
from core.access import child_data
from organisations.models import Authority
from sharing import consent_selectors as selectors
from sharing import duty_to_report, policy
from sharing.display import display_for
from sharing.evidence import evidence_response
from sharing.forms import consents as forms
from sharing.models import Consent, ConsentParty
from sharing.services import consents as services

SURFACE = "page"
PER_PAGE = 20
EVIDENCE_TARGET = "sharing:consent_evidence"


def _open(request: HttpRequest, child_id: UUID, target: str) -> tuple[policy.ChildAccess, services.Via]:
    actor = policy.page_actor(request)
    access = policy.child_for_user(request.user, child_id, actor=actor, surface=SURFACE, target=target)
    return access, services.Via(user=request.user, actor=actor, surface=SURFACE, target=target)


def _owner(request: HttpRequest) -> Authority:
    owner = policy.user_authorities(request.user).order_by("pk").first()
    if owner is None:
        raise Http404
    return owner


def _managed(access: policy.ChildAccess, consent_id: int, **filters) -> Consent:
    """Return one of the child's consents the user's authority keeps; any other is the same 404."""
    queryset = policy.consents_managed_by(access).filter(**filters).select_related("child", "owner_authority")
    return get_object_or_404(queryset, pk=consent_id)


def _apply(form, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@child_data
@require_safe
def consents(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """List the child's consents the user may see: asked by the user's authority or naming it as recipient."""
    access, _via = _open(request, child_id, "sharing:consents")
    visible = selectors.with_details(policy.consents_for(access)).order_by("-created_at", "-pk")
    page = Paginator(visible, PER_PAGE).get_page(request.GET.get("sida"))
    managed = set(policy.consents_managed_by(access).values_list("pk", flat=True))
    context = {
        "child": access.child,
        "display": display_for(access),
        "page": page,
        "rows": selectors.consent_rows(page, access=access),
        "managed": managed,
        "may_request": policy.user_authorities(request.user).exists(),
        "warning_days": services.rules_for(access.child).expiry_warning_days,
    }
    return render(request, "sharing/consent_list.html", context)


@child_data
@require_http_methods(["GET", "POST"])
def consent_new(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Ask for consent; when the information is shared anyway under a duty, send the user to inform instead."""
    access, via = _open(request, child_id, "sharing:consent_new")
    if (refusal := duty_to_report.report_first(request, access)) is not None:
        return refusal  # never ask the family's consent while a report that must be made is not made
    owner = _owner(request)
    rules = services.rules_for(access.child)
    form = forms.ConsentRequestForm(
        request.POST if request.method == "POST" else None,
        owner=owner,
        max_days=rules.consent_max_days,
        municipality_id=access.child.municipality_id,
    )
    if request.method == "POST" and request.POST.get("shared_under_duty") == "yes":
        # Inform, don't ask: nothing is created, and the next page explains why and records the information.
        return redirect("sharing:consent_notice", child_id=access.child.pk)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.consent_request(
                child=access.child,
                owner_authority=owner,
                purpose=data["purpose"],
                categories=data["categories"],
                recipients=list(data["recipients"]),
                to_plan_participants=data["to_plan_participants"],
                teams=list(data.get("teams", [])),
                valid_from=services.day_start(data["valid_from"]),
                valid_until=forms.until_moment(data["valid_until"]),
                via=via,
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Begäran om samtycke är registrerad. Vårdnadshavarna kan svara i familjevyn."))
            return redirect("sharing:consents", child_id=access.child.pk)
    context = {"child": access.child, "display": display_for(access), "form": form, "owner": owner}
    return render(request, "sharing/consent_form.html", context, status=400 if form.errors else 200)


@child_data
@require_http_methods(["GET", "POST"])
def consent_notice(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Explain that consent must not be asked for a share that happens anyway, and record that the family was told."""
    access, via = _open(request, child_id, "sharing:consent_notice")
    owner = _owner(request)
    form = forms.FamilyNoticeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.family_notice_record(child=access.child, owner_authority=owner, via=via, **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Det är registrerat att familjen har informerats."))
            return redirect("sharing:consents", child_id=access.child.pk)
    context = {"child": access.child, "display": display_for(access), "form": form, "message": services.NOT_ASKED}
    return render(request, "sharing/consent_notice.html", context, status=400 if form.errors else 200)


@child_data
@require_http_methods(["GET", "POST"])
def consent_record_answer(request: HttpRequest, child_id: UUID, consent_id: int, party_id: int) -> HttpResponse:
    """Document a written or oral answer from one party, with an uploaded form or a note."""
    access, via = _open(request, child_id, "sharing:consent_record_answer")
    consent = _managed(access, consent_id, status=Consent.Status.REQUESTED)
    party = get_object_or_404(consent.parties.select_related("guardian"), pk=party_id, decided_at__isnull=True)
    view_only = party.decision == ConsentParty.Decision.VIEW_ONLY
    post = request.method == "POST"
    form = forms.AnswerForm(request.POST if post else None, request.FILES if post else None, view_only=view_only)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.consent_record_answer(
                consent=consent,
                party=party,
                decision=data.get("decision", ""),
                method=data["method"],
                evidence=data["evidence"],
                evidence_note=data["evidence_note"],
                view=data.get("view", ""),
                via=via,
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Svaret är registrerat."))
            return redirect("sharing:consents", child_id=access.child.pk)
    row = selectors.consent_rows([consent], access=access)[0]
    context = {
        "child": access.child,
        "display": display_for(access),
        "form": form,
        "row": row,
        "party_name": selectors.party_label(party),
    }
    return render(request, "sharing/consent_answer.html", context, status=400 if form.errors else 200)


@child_data
@require_http_methods(["GET", "POST"])
def consent_limit(request: HttpRequest, child_id: UUID, consent_id: int) -> HttpResponse:
    """Narrow a consent in force at once: fewer categories or recipients, or an earlier end."""
    access, via = _open(request, child_id, "sharing:consent_limit")
    consent = _managed(access, consent_id, status=Consent.Status.GIVEN)
    form = forms.LimitForm(request.POST if request.method == "POST" else None, consent=consent)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.consent_limit(
                consent=consent,
                categories=data["categories"],
                recipients=list(data.get("recipients", [])),
                # A consent without the plan's participants offers no box: it stays without them.
                to_plan_participants=data.get("to_plan_participants", False),
                teams=list(data.get("teams", [])),  # a consent without teams offers no boxes: it stays without
                # The same last day keeps the current end, which may fall within that day.
                valid_until=min(forms.until_moment(data["valid_until"]), consent.valid_until),
                via=via,
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Samtycket är begränsat från och med nu."))
            return redirect("sharing:consents", child_id=access.child.pk)
    context = {"child": access.child, "display": display_for(access), "form": form, "action": "limit"}
    return render(request, "sharing/consent_change.html", context, status=400 if form.errors else 200)


@child_data
@require_http_methods(["GET", "POST"])
def consent_extend(request: HttpRequest, child_id: UUID, consent_id: int) -> HttpResponse:
    """Ask for a longer or wider consent; the current one stands until the family gives the new one."""
    access, via = _open(request, child_id, "sharing:consent_extend")
    consent = _managed(access, consent_id, status=Consent.Status.GIVEN)
    max_days = services.rules_for(access.child).consent_max_days
    form = forms.ExtendForm(request.POST if request.method == "POST" else None, consent=consent, max_days=max_days)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.consent_extend(
                consent=consent,
                categories=data["categories"],
                recipients=list(data["recipients"]),
                to_plan_participants=data["to_plan_participants"],
                teams=list(data.get("teams", [])),
                valid_until=forms.until_moment(data["valid_until"]),
                via=via,
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(
                request, _("En ny begäran är skickad. Nuvarande samtycke gäller tills familjen har svarat.")
            )
            return redirect("sharing:consents", child_id=access.child.pk)
    context = {"child": access.child, "display": display_for(access), "form": form, "action": "extend"}
    return render(request, "sharing/consent_change.html", context, status=400 if form.errors else 200)


@child_data
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: HttpRequest, child_id: UUID, consent_id: int) -> HttpResponse:
    """Confirm, then withdraw a consent on a party's word, with immediate effect."""
    access, via = _open(request, child_id, "sharing:consent_withdraw")
    consent = _managed(access, consent_id, status=Consent.Status.GIVEN)
    form = forms.WithdrawForm(request.POST if request.method == "POST" else None, consent=consent)
    if form.is_valid():
        try:
            services.consent_withdraw(
                consent=consent, party=form.cleaned_data["party"], note=form.cleaned_data["note"], via=via
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, services.NOT_IN_FORCE if isinstance(exc, PermissionDenied) else exc)
        else:
            messages.success(request, _("Samtycket är återkallat. Mottagarna ser inte längre uppgifterna."))
            return redirect("sharing:consents", child_id=access.child.pk)
    row = selectors.consent_rows([consent], access=access)[0]
    context = {"child": access.child, "display": display_for(access), "form": form, "row": row}
    return render(request, "sharing/consent_withdraw.html", context, status=400 if form.errors else 200)


@child_data
@require_http_methods(["GET", "POST"])
def consent_cancel(request: HttpRequest, child_id: UUID, consent_id: int) -> HttpResponse:
    """Confirm, then take back a request that is still waiting for answers."""
    access, via = _open(request, child_id, "sharing:consent_cancel")
    consent = _managed(access, consent_id, status=Consent.Status.REQUESTED)
    if request.method == "POST":
        services.consent_cancel(consent=consent, via=via)
        messages.success(request, _("Begäran är återtagen."))
        return redirect("sharing:consents", child_id=access.child.pk)
    row = selectors.consent_rows([consent], access=access)[0]
    return render(
        request, "sharing/consent_cancel.html", {"child": access.child, "display": display_for(access), "row": row}
    )


@child_data
@require_safe
def consent_evidence(request: HttpRequest, child_id: UUID, consent_id: int, party_id: int) -> FileResponse:
    """Download the signed form of one party's answer, for those who may see the consent; each download is logged.

    The form is served only here, after the policy: uploaded files have no public URL (no MEDIA_URL
    is served). The file name names the consent, not the family, and the form is always an attachment.
    """
    actor = policy.page_actor(request)
    access = policy.child_for_user(
        request.user, child_id, actor=actor, surface="export", target=EVIDENCE_TARGET, action="export"
    )
    # The asking authority and the recipients named in it see a consent; any other consent is the same 404.
    consent = get_object_or_404(policy.consents_for(access), pk=consent_id)
    party = get_object_or_404(consent.parties.exclude(evidence=""), pk=party_id)
    response = evidence_response(party)  # 404 before anything is logged if the file is gone
    own = consent.owner_authority_id in access.authority_ids
    audit.record(
        actor=actor,
        action="export",
        surface="export",
        target=EVIDENCE_TARGET,
        # The asking authority reads its own record; a recipient reads it because the consent names it.
        basis=policy.Basis.OWN_RECORD if own else f"{policy.Basis.CONSENT}:{consent.pk}",
        child_id=access.child.pk,
        record_type="ConsentParty",
        record_id=str(party.pk),
    )
    return response
