"""Writes in bulk that bypass the model signals still announce which rows they changed.

`QuerySet.update` and `bulk_create` send no `post_save`; the models whose rows the precomputed access
relation is derived from use `MaintainedQuerySet`, which sends `changed_in_bulk` with the primary keys
it touched, so the relation is recomputed for those rows in the same transaction
(`sharing.access_relation`). Deletes need nothing here: Django sends `post_delete` for every row.
"""

from __future__ import annotations

from django.db import models
from django.dispatch import Signal

changed_in_bulk = Signal()  # sender: the model; pks: the rows written


class MaintainedQuerySet(models.QuerySet):
    def update(self, **kwargs) -> int:
        pks = list(self.values_list("pk", flat=True))
        count = super().update(**kwargs)
        if pks:
            changed_in_bulk.send(sender=self.model, pks=pks)
        return count

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        pks = [obj.pk for obj in created if obj.pk is not None]
        if pks:
            changed_in_bulk.send(sender=self.model, pks=pks)
        return created
