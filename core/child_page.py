"""What every page about one child reads besides its own content, added to the page's batch (`core.batch`).

The child's municipality (loaded after the policy's check, not with it), the municipality's wellbeing
wording for the page's templates, and the menu's family check: read with the page's own reads in one
statement, and kept where the templates and the context processors look for them.
"""

from __future__ import annotations

from collections.abc import Callable

from core import navigation
from core.batch import Batch
from organisations.models import Municipality
from sharing import policy
from wellbeing.labels import Wording, wording_from, wording_rows
from wellbeing.templatetags.indicators import remember_wording


def page_reads(request, access: policy.ChildAccess, batch: Batch) -> Callable[[], Wording]:
    """Add the reads every child page shares to the batch; return what hands them out (and gives the wording)."""
    child = access.child
    municipality = batch.first(Municipality.objects.filter(pk=child.municipality_id))
    labels = batch.add(wording_rows(child.municipality_id))
    menu = navigation.menu_reads(request, batch)

    def finish() -> Wording:
        child.municipality = municipality.value
        wording = wording_from(labels.value)
        remember_wording(request, child.municipality_id, wording)
        menu()
        return wording

    return finish
