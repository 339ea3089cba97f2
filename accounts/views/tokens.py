"""API tokens: list, create (the secret is shown once) and revoke."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.forms import ApiTokenForm
from accounts.models import ApiToken
from accounts.services import api_token_create, api_token_revoke
from core.access import authenticated
from sharing.policy import is_family_user, memberships


def _may_have_tokens(user) -> bool:
    # The API serves staff work and the family view; anyone else has nothing to call it for.
    return memberships(user).exists() or is_family_user(user)


def _page(request, form: ApiTokenForm, *, created: tuple[ApiToken, str] | None = None, status: int = 200):
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    new_token, new_secret = created or (None, None)
    context = {"form": form, "tokens": tokens, "new_token": new_token, "new_secret": new_secret, "now": timezone.now()}
    return render(request, "accounts/api_tokens.html", context, status=status)


@authenticated
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    """List the user's API tokens and create a new one."""
    if not _may_have_tokens(request.user):
        return render(request, "accounts/api_tokens_forbidden.html", status=403)
    if request.method != "POST":
        return _page(request, ApiTokenForm())
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            created = api_token_create(
                user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Rendered, not redirected: the secret must never be stored, not even in the session.
            return _page(request, ApiTokenForm(), created=created, status=201)
    return _page(request, form, status=400)


@authenticated
@require_http_methods(["GET", "POST"])
def api_token_revoke_view(request, pk: int):
    """Ask for confirmation, then revoke one of the user's own tokens."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if request.method == "POST":
        api_token_revoke(token=token)
        messages.success(
            request, _("API-nyckeln ”%(name)s” är återkallad och fungerar inte längre.") % {"name": token.name}
        )
        return redirect("accounts:api_tokens")
    return render(request, "accounts/api_token_revoke.html", {"token": token})
