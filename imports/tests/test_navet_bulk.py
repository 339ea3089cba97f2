"""The bulk path: a batch large enough that its rows and audit rows are streamed with COPY."""

from __future__ import annotations

from datetime import date, timedelta

from audit import log as audit_log
from audit.models import AuditEvent
from core.copy_insert import copy_insert
from core.personnummer import with_check_digit
from imports.navet_file import ChildPost, GuardianPost
from imports.tests.helpers import PRODUCED, navet_bytes, run_navet
from people.models import Child, Guardian, Guardianship, Source
from sharing.models import ChildSortKeys

CHILDREN = 80  # 80 children, 80 guardians, 120 custody rows: 280 audit rows in one batch


def _posts() -> list[ChildPost]:
    posts = []
    for index in range(CHILDREN):
        born = PRODUCED - timedelta(days=400 + index)
        guardians = [
            GuardianPost(with_check_digit(date(1980, 1, 1) + timedelta(days=index), 990), "Åsa", f"Öberg{index}")
        ]
        if index % 2:  # every other child shares the previous child's guardian as well
            guardians.append(
                GuardianPost(with_check_digit(date(1980, 1, 1) + timedelta(days=index - 1), 990), "Åsa", "B")
            )
        posts.append(
            ChildPost(with_check_digit(born, 985), f"Barn{index}", f"Ärlig{index}", "9999", born, guardians=guardians)
        )
    return posts


def test_a_large_batch_keeps_the_audit_chain_the_sort_keys_and_idempotence(cast):

    content = navet_bytes(_posts())
    run = run_navet(content)
    assert run.counts["children_created"] == CHILDREN
    children = Child.objects.filter(source=Source.NAVET)
    assert children.count() == CHILDREN
    assert set(children.values_list("source_note", flat=True)) == {f"import navet {run.pk}"}
    # the access relation's sort keys came with the children, in the same transaction
    assert ChildSortKeys.objects.filter(child__in=children).count() == CHILDREN
    assert ChildSortKeys.objects.get(child__given_name="Barn0").name_key == "|rlig0 barn0"  # ä sorts after z
    rows = AuditEvent.objects.filter(username=f"import navet {run.pk}")
    created = Guardian.objects.filter(source=Source.NAVET).count() + CHILDREN
    created += Guardianship.objects.filter(source=Source.NAVET).count()
    assert rows.count() == created >= audit_log.COPY_FROM  # the rows went through COPY
    assert set(rows.filter(record_type="Child").values_list("record_id", flat=True)) == {
        str(pk) for pk in children.values_list("pk", flat=True)
    }
    checked, problem = audit_log.verify()
    assert problem is None and checked >= created
    before = AuditEvent.objects.count()
    again = run_navet(content)
    assert set(again.counts) == set() and AuditEvent.objects.count() == before


def test_copy_insert_takes_keys_from_the_sequence_and_the_next_ordinary_insert_follows(cast):
    guardians = [
        Guardian(identity_number=with_check_digit(date(1975, 1, day), 986), given_name="A", family_name="B")
        for day in (1, 2)
    ]
    copy_insert(Guardian, guardians)
    assert all(guardian.pk for guardian in guardians)
    assert set(Guardian.objects.filter(pk__in=[g.pk for g in guardians]).values_list("given_name", flat=True)) == {"A"}
    later = Guardian.objects.create(
        identity_number=with_check_digit(date(1975, 1, 3), 986), given_name="C", family_name="D"
    )
    assert later.pk > max(guardian.pk for guardian in guardians)
