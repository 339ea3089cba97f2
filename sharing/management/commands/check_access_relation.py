"""Compare the precomputed access relation with the rules: `manage.py check_access_relation`."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from sharing import access_relation
from sharing.policy import today


class Command(BaseCommand):
    help = (
        "For every user × child on the given days, compare visibility, basis of access and what the user may see "
        "of a protected child according to the precomputed relation with the rules evaluated on their source rows. "
        "Prints each difference and exits non-zero if there is any."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--day",
            action="append",
            type=date.fromisoformat,
            help="Day to compare (YYYY-MM-DD); repeat for several. Default: today, 30 days ago and in 30 days.",
        )
        parser.add_argument("--user", action="append", help="Only this username; repeat for several.")

    def handle(self, *args, **options) -> None:
        on = today()
        days = options["day"] or [on - timedelta(days=30), on, on + timedelta(days=30)]
        users = User.objects.order_by("pk")
        if options["user"]:
            users = users.filter(username__in=options["user"])
        found = 0
        for difference in access_relation.differences(users.iterator(), days):
            found += 1
            self.stdout.write(difference)
        checked = ", ".join(day.isoformat() for day in days)
        if found:
            raise CommandError(f"{found} skillnader mellan åtkomstrelationen och reglerna ({checked}).")
        self.stdout.write(f"Åtkomstrelationen stämmer med reglerna för alla användare och barn ({checked}).")
