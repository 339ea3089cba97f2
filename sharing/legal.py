"""Legal references the pages cite, chosen by date from versioned data (`LegalReference`), never from code constants."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils import timezone

from sharing.models import LegalReference

# The keys Samplan cites; each has one row per version of the law (seeded by migration, edited in the admin).
DUTY_TO_REPORT = "duty_to_report"  # anmälningsskyldighet när barn far illa (SoL)
EMERGENCY_ACCESS = "emergency_access"  # nödåtkomst i sammanhållen journalföring (PDL)
DUTY_TO_INFORM = "duty_to_inform"  # uppgiftsskyldighet bryter sekretess (OSL 10 kap. 28 §)
CONSENT = "consent"  # samtycke häver sekretess (OSL 12 kap. 2–3 §)


def reference_in_force(key: str, *, on: date | None = None) -> LegalReference | None:
    """Return the version of the reference in force on a day (today by default), or None if none is recorded."""
    on = on or timezone.localdate()
    return (
        LegalReference.objects.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on), key=key, valid_from__lte=on)
        .order_by("-valid_from")
        .first()
    )
