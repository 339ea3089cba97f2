"""The precomputed access relation: maintained in the same transaction as every write to its sources.

`sharing.models.AccessRelation` holds, for each way a staff user relates to a child (the rows of
`sharing.policy.relations.RELATIONS`), the days it holds. Each relation derives its own rows as one
queryset (`Relation.derive`), so the rules stay written once; this module compiles that queryset to
SQL and wraps it in INSERT … SELECT, so rows are derived in the database, one statement per relation
however many rows a write fans out to (a head teacher's membership: tens of thousands):

- a write to a relation's source row (an enrolment, a named-person assignment, an assignment, a
  handover proposal, a report of concern) recomputes the rows of that source row;
- a write to a membership or to a user's `is_active` recomputes every row of that user;
- a change of a child's name or birth date rewrites the child's sort and search keys
  (`sharing.ChildSortKeys`, folded in Python once per name, copied into the rows in SQL);
- deleting a user or a child deletes their rows.

Bulk writes (`QuerySet.update`, `bulk_create`) announce their rows through `core.maintained`;
`rebuild()` recomputes everything (the `rebuild_access_relation` command, the demo data, the migration).
Time-based ends need no job: every row carries its first and last day, and reads compare with the day.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from itertools import islice

from django.db import connection, transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.signals import post_delete, post_save, pre_save

from accounts.models import User
from core.copy_insert import copy_insert
from core.maintained import changed_in_bulk
from organisations.models import Membership
from people.models import Child
from sharing.models import AccessRelation, ChildSortKeys
from sharing.policy.relations import (
    RANKS,
    RELATIONS,
    Relation,
    visible_children,
    visible_children_by_rules,
    with_access,
    with_access_by_rules,
)
from sharing.policy.rules import basis_label

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


# Each column of the relation and the derived column (`Relation.derive`) it is filled from; None: the
# relation's basis and its rank, given as parameters.
_FILLED_FROM = {
    "user_id": "derived_user",
    "child_id": "derived_child",
    "basis": None,
    "rank": None,
    "source_id": "derived_source",
    "membership_id": "derived_membership",
    "valid_from": "derived_from",
    "valid_to": "derived_to",
    "shows_identity": "derived_shows_identity",
    "name_key": "derived_name_key",
    "search_key": "derived_search_key",
    "birth_date": "derived_birth_date",
}


def _add_sort_keys(children: QuerySet[Child]) -> int:
    """Compute and store the sort keys of the given children that have none yet."""
    added = 0
    rows = children.filter(sort_keys__isnull=True).values_list("pk", "family_name", "given_name").iterator(BATCH)
    while batch := list(islice(rows, BATCH)):
        copy_insert(
            ChildSortKeys,
            [
                ChildSortKeys(child_id=pk, name_key=name_key(family, given), search_key=search_key(family, given))
                for pk, family, given in batch
            ],
        )
        added += len(batch)
    return added


def _insert(relation: Relation, *, users=None, sources=None) -> int:
    """Derive a relation's rows (or the slice of some users or source rows) in one INSERT … SELECT.

    The relation's own queryset (`Relation.derive`) is compiled to SQL as it stands, with the child's
    sort keys and birth date joined on, and wrapped; the rules stay written once, in `RELATIONS`.
    """
    rows = relation.derive(users=users, sources=sources).annotate(
        derived_name_key=F("child__sort_keys__name_key"),
        derived_search_key=F("child__sort_keys__search_key"),
        derived_birth_date=F("child__birth_date"),
    )
    if users is not None or sources is not None:
        _add_sort_keys(Child.objects.filter(pk__in=rows.values("derived_child")))
    select, params = rows.query.get_compiler(connection=connection).as_sql()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in _FILLED_FROM)
    values = ", ".join("%s" if derived is None else f"d.{quote(derived)}" for derived in _FILLED_FROM.values())
    sql = f"INSERT INTO {quote(AccessRelation._meta.db_table)} ({columns}) SELECT {values} FROM ({select}) d"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, (relation.basis, RANKS[relation.basis], *params))
        return cursor.rowcount


def refresh_sources(relation: Relation, source_ids: Iterable[int]) -> None:
    """Recompute the rows of some source rows of one relation: one DELETE and one INSERT … SELECT per batch."""
    source_ids = list(source_ids)
    with transaction.atomic():
        for first in range(0, len(source_ids), BATCH):
            batch = source_ids[first : first + BATCH]
            AccessRelation.objects.filter(basis=relation.basis, source_id__in=batch).delete()
            _insert(relation, sources=batch)


def refresh_users(user_ids: Iterable[int]) -> None:
    """Recompute every row of some users (their memberships or their being active changed).

    One DELETE, then one INSERT … SELECT per relation, whatever the size of the users' caseloads.
    """
    user_ids = list(user_ids)
    with transaction.atomic():
        AccessRelation.objects.filter(user__in=user_ids).delete()
        for relation in RELATIONS:
            _insert(relation, users=user_ids)


def refresh_child_keys(child_ids: Iterable) -> None:
    """Fold some children's names into their sort keys again and copy the keys and birth dates into their rows.

    A few statements per batch of children, whatever the number of children or rows.
    """
    child_ids = list(child_ids)
    for first in range(0, len(child_ids), BATCH):
        batch = child_ids[first : first + BATCH]
        ChildSortKeys.objects.filter(child__in=batch).delete()
        _add_sort_keys(Child.objects.filter(pk__in=batch))
        keys = ChildSortKeys.objects.filter(child=OuterRef("child"))
        AccessRelation.objects.filter(child__in=batch).update(
            name_key=Subquery(keys.values("name_key")),
            search_key=Subquery(keys.values("search_key")),
            birth_date=Subquery(Child.objects.filter(pk=OuterRef("child")).values("birth_date")),
        )


def rebuild(progress: Callable[[str, int, float], None] | None = None) -> int:
    """Recompute the whole relation from the rules, in one transaction; return the number of rows written.

    The children's sort keys are computed first (in Python, once per child); then each relation is
    derived with one INSERT … SELECT. On PostgreSQL the table is truncated and its indexes are
    dropped and built again after the inserts (faster than maintaining them row by row), then
    analysed. `progress(step, rows, seconds)` is told after each step: "keys", a relation's basis,
    "indexes".
    """
    report = progress or (lambda step, rows, seconds: None)
    postgres = connection.vendor == "postgresql"
    indexes = AccessRelation._meta.indexes
    written = 0
    with transaction.atomic():
        started = time.monotonic()
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                cursor.execute(f"TRUNCATE {ChildSortKeys._meta.db_table}, {AccessRelation._meta.db_table}")
            with connection.schema_editor() as editor:
                for index in indexes:
                    editor.remove_index(AccessRelation, index)
        else:
            ChildSortKeys.objects.all().delete()
            AccessRelation.objects.all().delete()
        report("keys", _add_sort_keys(Child.objects.all()), time.monotonic() - started)
        for relation in RELATIONS:
            started = time.monotonic()
            rows = _insert(relation)
            written += rows
            report(relation.basis, rows, time.monotonic() - started)
        if postgres:
            started = time.monotonic()
            with connection.schema_editor() as editor:
                for index in indexes:
                    editor.add_index(AccessRelation, index)
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {ChildSortKeys._meta.db_table}, {AccessRelation._meta.db_table}")
            report("indexes", written, time.monotonic() - started)
    return written


def progress_line(step: str, rows: int, seconds: float) -> str:
    """Describe a step of `rebuild` in words for the commands that run it."""
    if step == "keys":
        return f"Namnnycklar för {rows} barn: {seconds:.1f} s"
    if step == "indexes":
        return f"Index byggda och statistik uppdaterad för {rows} rader: {seconds:.1f} s"
    return f"{basis_label(step)}: {rows} rader på {seconds:.1f} s"


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


_KEYED_FIELDS = {"family_name", "given_name", "birth_date"}


def _child_saved(sender, instance, update_fields=None, **kwargs) -> None:
    if update_fields is None or _KEYED_FIELDS & set(update_fields):
        refresh_child_keys([instance.pk])


def _child_deleted(sender, instance, **kwargs) -> None:
    AccessRelation.objects.filter(child=instance.pk).delete()
    ChildSortKeys.objects.filter(child=instance.pk).delete()


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
