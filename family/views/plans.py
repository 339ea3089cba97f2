"""The child's plan in the family view: the plan in plain words, and a guardian's own answer to it.

What the family sees, and why:

- The reasons, the summary of needs, the actions (what, who, with what, when, the expected
  outcome, how far it has come), who takes part, how and when the plan is followed up, and who
  leads it and how to reach them: the parts the family agrees to and acts on (DOMAIN.md A6).
- Not the risk assessment (risk level, harmful behaviour, what triggers it, how it affects others)
  nor the contingency plan. DOMAIN.md lists them among the plan's contents but nowhere says the
  family reads them, and they may describe harm from within the family or what sets it off at
  home. Shown on a self-service page they would skip the judgement of harm a practitioner makes
  before disclosing (menprövning); the lead professional goes through them with the family.
- Of the participants' views in their own words, only the user's own: the others were given to
  the lead professional, and another guardian may have a protected identity.
- Guardians are never named to each other (one of them may have a protected identity), as in
  the family's consent and log pages.
- Whoever's answer agrees the plan at the child's age answers, for themselves, once per version sent
  to the family: a guardian in the plan, and the child from the municipality's consent age (from 18
  the young person alone). A younger child reads the plan; the lead records the child's view with
  the child.

Every page loads the child through `family_child_for_user` (which logs the read of the child) and
logs the read of the plan; the answer is written and logged by `plans.services`.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from audit import log as audit
from core.access import family_data
from family import selectors as family_selectors
from family.access import family_child_for_user
from people.models import Guardian
from plans import selectors, services
from plans.forms import FamilyAgreementForm
from plans.models import ChildPlan, PlanAgreement
from sharing import policy

SURFACE = "page"

AGREED = _("Tack, ditt svar är sparat: du instämmer i planen.")
ALL_AGREED = _("Alla vårdnadshavare har nu instämt, och planen gäller.")
NOW_AGREED = _("Alla som ska godkänna planen har nu instämt, och planen gäller.")
DISAGREED = _(
    "Tack, ditt svar är sparat. Planen gäller inte utan ert godkännande. Den ansvariga samordnaren hör av sig "
    "för att prata om hur ni vill gå vidare. Ditt svar påverkar inte annat stöd."
)


def _open(request: HttpRequest, child_id: UUID, target: str):
    actor = policy.page_actor(request)
    access = family_child_for_user(request.user, child_id, actor=actor, surface=SURFACE, target=target)
    via = services.Via(actor=actor, surface=SURFACE, target=target, basis=access.basis)
    return access, via


def _guardian(request: HttpRequest, access) -> Guardian | None:
    """Return the signed-in guardian; None for the child's own login."""
    if access.basis != policy.Basis.GUARDIAN:
        return None
    return Guardian.objects.filter(user=request.user).first()


def _state(plan: ChildPlan, request: HttpRequest, access) -> selectors.FamilyAnswer:
    """Return where the plan waits for the family, as the signed-in guardian or the child sees it."""
    say = services.family_say(access.child)
    return selectors.family_answer(
        plan, _guardian(request, access), guardians_count=not say.alone, child_counts=say.consents
    )


def _log_read(via: services.Via, plan: ChildPlan) -> None:
    audit.record(
        actor=via.actor,
        action="read",
        surface=via.surface,
        target=via.target,
        basis=via.basis,
        child_id=plan.child_id,
        record_type="ChildPlan",
        record_id=str(plan.pk),
    )


def _contact(plan: ChildPlan, child, on) -> family_selectors.Contact | None:
    """Return how to reach the plan's lead professional; without one, the child's named person leads it."""
    lead = plan.lead_professional
    if lead is None:
        return family_selectors.named_person(child, on=on)
    membership = (
        policy.memberships(lead, on=on)
        .filter(unit__authority__in=services.taking_part(plan))
        .select_related("unit")
        .order_by("pk")
        .first()
    )
    return family_selectors.Contact(
        name=lead.get_full_name() or lead.get_username(),
        title=lead.title or str(_("Ansvarig samordnare")),
        unit=membership.unit.name if membership else plan.owner_authority.name,
        phone=lead.phone,
        email=lead.email,
    )


@family_data
@require_safe
def child_plan(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Show the child's current plan in plain words, and whether it waits for the user's answer."""
    access, via = _open(request, child_id, "family:plan")
    plan = selectors.family_plan(access.child)
    context = {"child": access.child, "is_self": access.basis == policy.Basis.CHILD_SELF, "plan": plan}
    if plan is not None:
        _log_read(via, plan)
        state = _state(plan, request, access)
        context.update(
            state=state,
            participants=plan.participants.all(),
            needs=plan.needs.all(),
            actions=plan.actions.all(),
            contact=_contact(plan, access.child, access.on),
            renew_at_majority=selectors.needs_renewal_at_majority(
                plan, list(plan.versions.all()), child=access.child, on=access.on
            ),
        )
    return render(request, "family/plan.html", context)


@family_data
@require_http_methods(["GET", "POST"])
def plan_answer(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Take a guardian's or the child's own answer to the plan sent to the family: agree or not, in their own words."""
    access, via = _open(request, child_id, "family:plan_answer")
    plan = selectors.family_plan(access.child)
    guardian = _guardian(request, access)
    state = _state(plan, request, access) if plan is not None else None
    if state is None or state.version is None or state.party is None:
        raise Http404  # nothing waits for this user's answer: a younger child, a guardian outside the plan, no plan
    _log_read(via, plan)
    form = FamilyAgreementForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        answer = {"answer": form.cleaned_data["answer"], "note": form.cleaned_data["note"], "via": via}
        try:
            if guardian is None:
                services.plan_answer_by_child(plan=plan, **answer)
            else:
                services.plan_answer_by_guardian(plan=plan, guardian=guardian, **answer)
        except ValidationError as exc:
            for error in exc.messages:
                form.add_error(None, error)
        else:
            if form.cleaned_data["answer"] == PlanAgreement.Answer.AGREES:
                messages.success(request, AGREED)
                if state.version.plan.versions.filter(pk=state.version.pk, agreed_at__isnull=False).exists():
                    messages.success(request, ALL_AGREED if guardian is not None else NOW_AGREED)
            else:
                messages.success(request, DISAGREED)
            return redirect("family:plan", child_id=access.child.pk)
    context = {"child": access.child, "plan": plan, "state": state, "form": form}
    return render(request, "family/plan_answer.html", context, status=400 if form.errors else 200)
