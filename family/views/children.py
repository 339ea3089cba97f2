"""The family's start page and one child's page: who the child's named person is and how to reach them."""

from __future__ import annotations

from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from audit import log as audit
from core import workspace
from core.access import family_data
from family import selectors
from family.access import family_child_for_user, family_children
from sharing import policy

SURFACE = "page"


def shown_children(request: HttpRequest, *, target: str) -> list:
    """Return the children the family user may follow, writing one read row per child listed."""
    children = list(family_children(request.user).order_by("family_name", "given_name"))
    who = policy.page_actor(request)
    for child in children:
        audit.record(
            actor=who,
            action="read",
            surface=SURFACE,
            target=target,
            basis=policy.family_basis(child, request.user),
            child_id=child.pk,
            record_type="Child",
            record_id=str(child.pk),
        )
    return children


@family_data
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """List the children the user may follow; explain what a parent without custody can do instead."""
    if not policy.is_family_user(request.user):
        raise Http404  # staff without a family relation: the family view does not exist for them
    children = shown_children(request, target="family:home")
    waiting = workspace.family_waiting(request.user, [child.pk for child in children])
    for child in children:
        child.waiting = waiting[child.pk]  # what waits for this guardian's answer (my work today)
    context = {
        "children": children,
        "is_child": hasattr(request.user, "child_self"),
    }
    return render(request, "family/home.html", context)


@family_data
@require_safe
def child(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Show the child's named person and how to reach them, with links to consents and the log extract."""
    access = family_child_for_user(
        request.user, child_id, actor=policy.page_actor(request), surface=SURFACE, target="family:child"
    )
    context = {
        "child": access.child,
        "is_self": access.basis == policy.Basis.CHILD_SELF,
        "contact": selectors.named_person(access.child, on=access.on),
    }
    return render(request, "family/child.html", context)


# The menu's "Samtycken" and "Logg" are per child: each leads to a choice of child, or straight to the only one.
CHOICES = {"consents": "family:consents", "log": "family:child_log"}


def _choose(request: HttpRequest, kind: str) -> HttpResponse:
    if not policy.is_family_user(request.user):
        raise Http404  # staff without a family relation: the family view does not exist for them
    children = shown_children(request, target=f"family:choose_{kind}")
    if len(children) == 1:
        return redirect(CHOICES[kind], children[0].pk)
    return render(request, "family/choose.html", {"children": children, "kind": kind, "url_name": CHOICES[kind]})


@family_data
@require_safe
def choose_log(request: HttpRequest) -> HttpResponse:
    """Lead to the log of each child the user may follow."""
    return _choose(request, "log")


@family_data
@require_safe
def choose_consents(request: HttpRequest) -> HttpResponse:
    """Lead to the consents of each child the user may follow."""
    return _choose(request, "consents")
