"""Take a directory user's access away at once: for the directory's removal hook (docs/identity.md)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.staff_oidc import staff_deprovision


class Command(BaseCommand):
    help = "Deprovision a staff user signed in through the organisation's provider: inactive, memberships ended."

    def add_arguments(self, parser):
        parser.add_argument("username", help="The username the provider gives (preferred_username).")

    def handle(self, *args, username: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError("No user has that username; nothing was changed.")
        if user.has_usable_password():
            raise CommandError("That is a local account; block it in the admin instead. Nothing was changed.")
        staff_deprovision(user)
        self.stdout.write("The user is deprovisioned; open sessions end on their next request.")
