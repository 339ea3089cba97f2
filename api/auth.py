"""Bearer-token authentication for the staff API; sessions are never accepted here."""

from __future__ import annotations

import hashlib

from django.http import HttpRequest
from ninja.security.http import HttpBearer

from accounts.models import User
from accounts.services import api_token_authenticate
from audit import log as audit
from sharing import policy

SCHEME = "bearer"


class TokenAuth(HttpBearer):
    """Authenticate `Authorization: Bearer <token>` against the hashed tokens in accounts."""

    def __call__(self, request: HttpRequest) -> User | None:
        # Unlike ninja's HttpBearer, never log the header: it may hold a valid secret with a typo in the scheme.
        scheme, _, token = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() != SCHEME or not token.strip():
            return None
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_authenticate(token)
        if user is None:
            return None
        # The token, not a browser session that may ride along, is who acts in this request.
        request.user = user
        request.api_token_digest = hashlib.sha256(token.encode()).hexdigest()
        return user


def actor(request: HttpRequest) -> audit.Actor:
    """Describe the token's owner for audit rows; the session column holds a hash of the token's hash."""
    return policy.actor_for(request.auth, session_key=f"api:{request.api_token_digest}")
