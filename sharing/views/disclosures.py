"""Disclosure decisions about a child: the owning authority's list, the decision form, revocation."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from core.access import child_data
from sharing import policy
from sharing.display import display_for
from sharing.forms.disclosures import DisclosureForm
from sharing.models import DisclosureDecision
from sharing.services import disclosures as services

SURFACE = "page"
LIST_TARGET = "sharing:disclosures"
NEW_TARGET = "sharing:disclosure_new"
REVOKE_TARGET = "sharing:disclosure_revoke"
FORBIDDEN = _(
    "Bara en chef vid myndigheten som äger uppgifterna kan fatta beslut om utlämnande. Vänd dig till din chef."
)


@dataclass(frozen=True)
class DecisionRow:
    decision: DisclosureDecision
    state: str | Promise
    categories: list[str]
    recipients: list[str]
    revocable: bool


def _state(decision: DisclosureDecision, now) -> str | Promise:
    if decision.outcome == DisclosureDecision.Outcome.REFUSE:
        return _("Lämnas inte ut")
    if decision.revoked_at is not None:
        return _("Återkallat")
    if decision.valid_until <= now:
        return _("Har upphört")
    return _("Gäller")


def _rows(access: policy.ChildAccess, *, deciding_ids: set[int]) -> list[DecisionRow]:
    decisions = (
        policy.own_authority_rows(access, DisclosureDecision.objects.all())
        .select_related("owner_authority", "decided_by", "revoked_by")
        .prefetch_related("categories", "recipients")
        .order_by("-decided_at", "-pk")
    )
    now = timezone.now()
    return [
        DecisionRow(
            decision=decision,
            state=_state(decision, now),
            categories=[row.get_category_display() for row in decision.categories.all()],
            recipients=sorted(recipient.name for recipient in decision.recipients.all()),
            revocable=decision.owner_authority_id in deciding_ids and services.is_revocable(decision, at=now),
        )
        for decision in decisions
    ]


@child_data
@require_safe
def disclosures(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """List the decisions to disclose or not to disclose that the user's own authority made about the child."""
    access = policy.child_for_user(
        request.user, child_id, actor=policy.page_actor(request), surface=SURFACE, target=LIST_TARGET
    )
    deciding_ids = set(policy.deciding_authorities(request.user).values_list("pk", flat=True))
    context = {
        "child": access.child,
        "display": display_for(access),
        "rows": _rows(access, deciding_ids=deciding_ids),
        "may_decide": bool(deciding_ids),
    }
    return render(request, "sharing/disclosures.html", context)


@child_data
@require_http_methods(["GET", "POST"])
def disclosure_new(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Record a decision to disclose, or not to disclose, with its legal basis and justification."""
    actor = policy.page_actor(request)
    access = policy.child_for_user(request.user, child_id, actor=actor, surface=SURFACE, target=NEW_TARGET)
    authorities = policy.deciding_authorities(request.user).order_by("name")
    if not authorities.exists():
        context = {"child": access.child, "display": display_for(access), "message": FORBIDDEN}
        return render(request, "sharing/decide_forbidden.html", context, status=403)
    form = DisclosureForm(request.POST if request.method == "POST" else None, authorities=authorities)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.disclosure_decide(
                access=access,
                user=request.user,
                owner_authority=data["owner_authority"],
                outcome=data["outcome"],
                legal_basis=data["legal_basis"],
                categories=data["categories"],
                recipients=data["recipients"],
                purpose=data["purpose"],
                necessary=data["necessary"],
                relevant=data["relevant"],
                proportionate=data["proportionate"],
                valid_until=data["valid_until"],
                actor=actor,
                surface=SURFACE,
                target=NEW_TARGET,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(None if field == "__all__" else field, errors)
        else:
            messages.success(request, _("Beslutet är registrerat."))
            return redirect("sharing:disclosures", child_id=access.child.pk)
    context = {"child": access.child, "display": display_for(access), "form": form}
    return render(request, "sharing/disclosure_form.html", context, status=400 if form.errors else 200)


@child_data
@require_http_methods(["GET", "POST"])
def disclosure_revoke(request: HttpRequest, child_id: UUID, decision_id: int) -> HttpResponse:
    """Confirm, then revoke a disclose decision of the user's own authority that is still in force."""
    actor = policy.page_actor(request)
    access = policy.child_for_user(request.user, child_id, actor=actor, surface=SURFACE, target=REVOKE_TARGET)
    # Only a decision the user may decide on; any other (another authority's, missing) is the same 404.
    decisions = policy.own_authority_rows(access, DisclosureDecision.objects.all()).filter(
        owner_authority__in=policy.deciding_authorities(request.user)
    )
    decision = get_object_or_404(decisions.select_related("owner_authority"), pk=decision_id)
    if not services.is_revocable(decision):
        raise Http404
    if request.method == "POST":
        try:
            services.disclosure_revoke(
                access=access, decision=decision, user=request.user, actor=actor, surface=SURFACE, target=REVOKE_TARGET
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Beslutet är återkallat. Mottagarna ser inte längre uppgifterna."))
        return redirect("sharing:disclosures", child_id=access.child.pk)
    categories = [row.get_category_display() for row in decision.categories.all()]
    recipients = sorted(recipient.name for recipient in decision.recipients.all())
    context = {
        "child": access.child,
        "display": display_for(access),
        "decision": decision,
        "categories": categories,
        "recipients": recipients,
    }
    return render(request, "sharing/disclosure_revoke.html", context)
