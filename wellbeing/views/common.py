"""Shared helpers of the wellbeing pages: loading the child through the policy, and form errors."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from sharing import policy
from wellbeing.services import Via

SURFACE = "page"


def open_child(request: HttpRequest, child_id: UUID, target: str) -> tuple[policy.ChildAccess, Via]:
    """Load the child through the policy (Http404 otherwise) and describe writes made from this page."""
    who = policy.page_actor(request)
    access = policy.child_for_user(request.user, child_id, actor=who, surface=SURFACE, target=target)
    return access, Via(actor=who, surface=SURFACE, target=target, basis=access.basis)


def log_rows(rows, access: policy.ChildAccess, via: Via) -> None:
    """Log reads of other authorities' records shown on the page."""
    policy.log_shared_reads(rows, actor=via.actor, surface=SURFACE, target=via.target, access=access)


def add_errors(form, exc: ValidationError) -> None:
    """Put a service's messages on the form's fields (or above the form)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)
