"""Blocks (spärr) on a child's information: the owning authority's list, placing one, lifting one."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.reauth import mark_reauthenticated
from core.access import child_data
from sharing import policy, selectors
from sharing.display import display_for
from sharing.forms.blocks import BlockForm, BlockLiftForm
from sharing.models import Block
from sharing.services import blocks as services

SURFACE = "page"
LIST_TARGET = "sharing:blocks"
NEW_TARGET = "sharing:block_new"
LIFT_TARGET = "sharing:block_lift"
FORBIDDEN = _(
    "Bara en chef vid myndigheten som äger uppgifterna kan spärra eller häva en spärr. Vänd dig till din chef."
)


def _add_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(None if field == "__all__" or field not in form.fields else field, errors)


@child_data
@require_safe
def blocks(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """List the blocks the user's own authority placed on the child's information; others' stay unseen."""
    access = policy.child_for_user(
        request.user, child_id, actor=policy.page_actor(request), surface=SURFACE, target=LIST_TARGET
    )
    deciding_ids = set(policy.deciding_authorities(request.user).values_list("pk", flat=True))
    rows = (
        policy.own_authority_rows(access, Block.objects.all())
        .select_related("owner_authority", "created_by", "lifted_by")
        .order_by(*selectors.BLOCK_ORDER)
    )
    blocks = list(rows)
    for block in blocks:
        block.may_lift = block.lifted_at is None and block.owner_authority_id in deciding_ids
    context = {
        "child": access.child,
        "display": display_for(access),
        "blocks": blocks,
        "may_decide": bool(deciding_ids),
    }
    return render(request, "sharing/blocks.html", context)


@child_data
@require_http_methods(["GET", "POST"])
def block_new(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Place a block on a category of the owning authority's information, with its ground and reason."""
    actor = policy.page_actor(request)
    access = policy.child_for_user(request.user, child_id, actor=actor, surface=SURFACE, target=NEW_TARGET)
    authorities = policy.deciding_authorities(request.user).order_by("name")
    if not authorities.exists():
        context = {"child": access.child, "display": display_for(access), "message": FORBIDDEN}
        return render(request, "sharing/decide_forbidden.html", context, status=403)
    form = BlockForm(request.POST if request.method == "POST" else None, authorities=authorities)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.block_place(
                access=access,
                user=request.user,
                owner_authority=data["owner_authority"],
                category=data["category"],
                ground=data["ground"],
                reason=data["reason"],
                actor=actor,
                surface=SURFACE,
                target=NEW_TARGET,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Spärren gäller från nu."))
            return redirect("sharing:blocks", child_id=access.child.pk)
    context = {"child": access.child, "display": display_for(access), "form": form}
    return render(request, "sharing/block_form.html", context, status=400 if form.errors else 200)


@child_data
@require_http_methods(["GET", "POST"])
def block_lift(request: HttpRequest, child_id: UUID, block_id: int) -> HttpResponse:
    """Lift an active block after the user re-authenticates with password and a new code."""
    actor = policy.page_actor(request)
    access = policy.child_for_user(request.user, child_id, actor=actor, surface=SURFACE, target=LIFT_TARGET)
    # Only an active block of an authority the user decides for; any other is the same 404 as a missing one.
    active = policy.own_authority_rows(access, Block.objects.filter(lifted_at__isnull=True)).filter(
        owner_authority__in=policy.deciding_authorities(request.user)
    )
    block = get_object_or_404(active.select_related("owner_authority"), pk=block_id)
    data = request.POST if request.method == "POST" else None
    form = BlockLiftForm(request.user, data, request=request)
    if form.is_valid():
        mark_reauthenticated(request)
        try:
            services.block_lift(
                access=access,
                block=block,
                user=request.user,
                lift_reason=form.cleaned_data["lift_reason"],
                reauthenticated_at=timezone.now(),
                actor=actor,
                surface=SURFACE,
                target=LIFT_TARGET,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Spärren är hävd."))
            return redirect("sharing:blocks", child_id=access.child.pk)
    context = {"child": access.child, "display": display_for(access), "block": block, "form": form}
    return render(request, "sharing/block_lift.html", context, status=400 if form.errors else 200)
