"""The precomputed access relation: maintained in the same transaction as every write to its sources.

`sharing.models.AccessRelation` holds, for each way a staff user relates to a child (the rows of
`sharing.policy.relations.RELATIONS`), the days it holds. Each relation derives its own rows
(`Relation.derive`), so the rules stay written once; this module only stores what they give:

- a write to a relation's source row (an enrolment, a named-person assignment, an assignment, a
  handover proposal, a report of concern) recomputes the rows of that source row;
- a write to a membership or to a user's `is_active` recomputes every row of that user;
- a change of a child's name or birth date rewrites the child's sort and search keys;
- deleting a user or a child deletes their rows.

Bulk writes (`QuerySet.update`, `bulk_create`) announce their rows through `core.maintained`;
`rebuild()` recomputes everything (the `rebuild_access_relation` command, the demo data, the migration).
Time-based ends need no job: every row carries its first and last day, and reads compare with the day.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_save

from accounts.models import User
from core.maintained import changed_in_bulk
from organisations.models import Membership
from people.models import Child
from sharing.models import AccessRelation
from sharing.policy.relations import (
    RANKS,
    RELATIONS,
    Derived,
    Relation,
    visible_children,
    visible_children_by_rules,
    with_access,
    with_access_by_rules,
)

BATCH = 5000

# Swedish alphabetical order puts å, ä, ö after z (in that order); the keys spell them with the
# three characters that follow "z" in code-point order, so a binary ("C") comparison sorts as Swedes expect.
_SORT_LETTERS = str.maketrans({"å": "{", "ä": "|", "ö": "}"})
_SWEDISH_LETTERS = {"å", "ä", "ö"}
_FOLDED = {"æ": "ä", "ø": "ö", "ü": "y", "ß": "ss"}  # as Swedish dictionaries sort them


def fold(text: str) -> str:
    """Return text lower-cased with accents removed, except å ä ö, which are letters of their own in Swedish."""
    folded = []
    for char in text.lower():
        if char in _SWEDISH_LETTERS:
            folded.append(char)
        elif char in _FOLDED:
            folded.append(_FOLDED[char])
        else:
            folded.append("".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)))
    return " ".join("".join(folded).split())


def name_key(family_name: str, given_name: str) -> str:
    """Return the sort key of a name: family name, then given name, folded, å ä ö after z."""
    return f"{fold(family_name)} {fold(given_name)}".translate(_SORT_LETTERS)[:210]


def search_key(family_name: str, given_name: str) -> str:
    """Return the name words, folded, each preceded by a space: a term matches the start of a word."""
    words = f"{fold(family_name)} {fold(given_name)}".replace("-", " ").split()
    return "".join(f" {word}" for word in words)[:210]


def search_terms(text: str) -> list[str]:
    """Return the words of a search folded as `search_key` folds names."""
    return fold(text).replace("-", " ").split()


def _store(rows: Iterable[tuple[Relation, Derived]]) -> int:
    """Write derived rows in batches, with the children's sort and search keys."""
    written = 0
    rows = iter(rows)
    while batch := list(islice(rows, BATCH)):
        keys = {
            pk: (name_key(family, given), search_key(family, given), born)
            for pk, family, given, born in Child.objects.filter(pk__in={row.child_id for _, row in batch}).values_list(
                "pk", "family_name", "given_name", "birth_date"
            )
        }
        AccessRelation.objects.bulk_create(
            [
                AccessRelation(
                    user_id=row.user_id,
                    child_id=row.child_id,
                    basis=relation.basis,
                    rank=RANKS[relation.basis],
                    source_id=row.source_id,
                    membership_id=row.membership_id,
                    valid_from=row.valid_from,
                    valid_to=row.valid_to,
                    shows_identity=row.shows_identity,
                    name_key=keys[row.child_id][0],
                    search_key=keys[row.child_id][1],
                    birth_date=keys[row.child_id][2],
                )
                for relation, row in batch
                if row.child_id in keys
            ],
            batch_size=BATCH,
        )
        written += len(batch)
    return written


def _derived(relations: Iterable[Relation], **narrow) -> Iterator[tuple[Relation, Derived]]:
    for relation in relations:
        for row in relation.derive(**narrow):
            yield relation, row


def refresh_sources(relation: Relation, source_ids: Iterable[int]) -> None:
    """Recompute the rows of some source rows of one relation."""
    source_ids = list(source_ids)
    with transaction.atomic():
        AccessRelation.objects.filter(basis=relation.basis, source_id__in=source_ids).delete()
        _store(_derived([relation], sources=source_ids))


def refresh_users(user_ids: Iterable[int]) -> None:
    """Recompute every row of some users (their memberships or their being active changed)."""
    user_ids = list(user_ids)
    with transaction.atomic():
        AccessRelation.objects.filter(user__in=user_ids).delete()
        _store(_derived(RELATIONS, users=user_ids))


def refresh_child_keys(child_ids: Iterable[int]) -> None:
    """Rewrite the sort and search keys of some children's rows from their names and birth dates."""
    for pk, family, given, born in Child.objects.filter(pk__in=list(child_ids)).values_list(
        "pk", "family_name", "given_name", "birth_date"
    ):
        AccessRelation.objects.filter(child=pk).exclude(
            name_key=name_key(family, given), search_key=search_key(family, given), birth_date=born
        ).update(name_key=name_key(family, given), search_key=search_key(family, given), birth_date=born)


def rebuild() -> int:
    """Recompute the whole relation from the rules; return the number of rows written."""
    with transaction.atomic():
        AccessRelation.objects.all().delete()
        return _store(_derived(RELATIONS))


# --- Signals: every write to a source keeps the relation current in its own transaction ---

_BY_SOURCE = {relation.source: relation for relation in RELATIONS}


def _source_saved(sender, instance, **kwargs) -> None:
    refresh_sources(_BY_SOURCE[sender], [instance.pk])


def _source_deleted(sender, instance, **kwargs) -> None:
    AccessRelation.objects.filter(basis=_BY_SOURCE[sender].basis, source_id=instance.pk).delete()


def _membership_changed(sender, instance, **kwargs) -> None:
    refresh_users([instance.user_id])


def _user_will_save(sender, instance, update_fields=None, **kwargs) -> None:
    if update_fields is not None and "is_active" not in update_fields:
        return  # a login stamp or a password change: the relation does not read them
    before = User.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first() if instance.pk else None
    instance._access_relation_active_changed = before is not None and before != instance.is_active


def _user_saved(sender, instance, **kwargs) -> None:
    if getattr(instance, "_access_relation_active_changed", False):
        refresh_users([instance.pk])
        instance._access_relation_active_changed = False


def _user_deleted(sender, instance, **kwargs) -> None:
    AccessRelation.objects.filter(user=instance.pk).delete()


def _child_saved(sender, instance, created=False, **kwargs) -> None:
    if not created:
        refresh_child_keys([instance.pk])


def _child_deleted(sender, instance, **kwargs) -> None:
    AccessRelation.objects.filter(child=instance.pk).delete()


def _bulk_changed(sender, pks, **kwargs) -> None:
    if sender in _BY_SOURCE:
        refresh_sources(_BY_SOURCE[sender], pks)
    elif sender is Membership:
        refresh_users(set(Membership.objects.filter(pk__in=pks).values_list("user_id", flat=True)))
    elif sender is Child:
        refresh_child_keys(pks)


def connect() -> None:
    """Connect the signals (from `SharingConfig.ready`)."""
    for source in _BY_SOURCE:
        post_save.connect(_source_saved, sender=source, dispatch_uid=f"access_relation_{source.__name__}_saved")
        post_delete.connect(_source_deleted, sender=source, dispatch_uid=f"access_relation_{source.__name__}_deleted")
    post_save.connect(_membership_changed, sender=Membership, dispatch_uid="access_relation_membership_saved")
    post_delete.connect(_membership_changed, sender=Membership, dispatch_uid="access_relation_membership_deleted")
    pre_save.connect(_user_will_save, sender=User, dispatch_uid="access_relation_user_will_save")
    post_save.connect(_user_saved, sender=User, dispatch_uid="access_relation_user_saved")
    post_delete.connect(_user_deleted, sender=User, dispatch_uid="access_relation_user_deleted")
    post_save.connect(_child_saved, sender=Child, dispatch_uid="access_relation_child_saved")
    post_delete.connect(_child_deleted, sender=Child, dispatch_uid="access_relation_child_deleted")
    changed_in_bulk.connect(_bulk_changed, dispatch_uid="access_relation_bulk")


# --- Consistency: the relation must answer exactly as the rules evaluated on their sources ---


def _answers(children: QuerySet[Child]) -> dict:
    return {
        pk: (basis, shown, need)
        for pk, basis, shown, need in children.values_list("pk", "basis", "identity_shown", "protected_need")
    }


def differences(users: Iterable[User], days: Iterable[date]) -> Iterator[str]:
    """Yield, in words, every user × child × day where the relation and the rules disagree.

    Compared: whether the child is visible, the basis of access, whether its identity is shown and
    whether the user may see its protected details (a secrecy assessment).
    """
    days = list(days)
    for user in users:
        for day in days:
            by_rules = _answers(with_access_by_rules(visible_children_by_rules(user, on=day), user, on=day))
            by_relation = _answers(with_access(visible_children(user, on=day), user, on=day))
            for child in sorted(by_rules.keys() | by_relation.keys(), key=str):
                expected, found = by_rules.get(child), by_relation.get(child)
                if expected == found:
                    continue
                who = f"{user.get_username()} den {day.isoformat()}, barn {child}"
                if found is None:
                    yield f"{who}: reglerna ger åtkomst ({expected[0]}) men relationen saknar den."
                elif expected is None:
                    yield f"{who}: relationen ger åtkomst ({found[0]}) men reglerna gör det inte."
                else:
                    yield (
                        f"{who}: reglerna ger grund {expected[0]}, identitet visas {_yes(expected[1])}, skyddade "
                        f"uppgifter {_yes(expected[2])}; relationen ger grund {found[0]}, identitet visas "
                        f"{_yes(found[1])}, skyddade uppgifter {_yes(found[2])}."
                    )


def _yes(value: bool) -> str:
    return "ja" if value else "nej"
