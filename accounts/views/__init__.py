"""Views for signing in and out, the session, the user's own account and API tokens."""
