"""Contact details are encrypted at rest: ciphertext in the table, plain text only through the ORM."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.test import override_settings

from people.models import ContactDetails

COLUMNS = ("address", "postal_code", "city", "phone")
OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def _raw(pk: int) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(COLUMNS)} FROM people_contactdetails WHERE id = %s", [pk])  # noqa: S608
        return dict(zip(COLUMNS, cursor.fetchone(), strict=True))


def test_it_stores_ciphertext_and_reads_plain_text(cast):
    contact = cast.protected_child.contact
    contact.phone = "070-123 45 67"
    contact.save()
    raw = _raw(contact.pk)
    plain = {"address": "Hemliga vägen 1", "postal_code": "99999", "city": "Hemlig", "phone": "070-123 45 67"}
    for column, value in plain.items():
        assert raw[column].startswith("gAAAA")  # a Fernet token
        assert value not in raw[column]
    assert {c: getattr(ContactDetails.objects.get(pk=contact.pk), c) for c in COLUMNS} == plain


def test_it_encrypts_the_same_text_differently_each_time(cast):
    # Random IVs: equal cities must not show up as equal ciphertexts in a leaked table.
    ContactDetails.objects.filter(pk=cast.protected_child.contact.pk).update(city="Testköping")
    assert _raw(cast.protected_child.contact.pk)["city"] != _raw(cast.child.contact.pk)["city"]
    assert cast.child.contact.city == "Testköping"


def test_it_keeps_old_data_readable_after_a_key_rotation(cast):
    with override_settings(SAMPLAN_FIELD_KEYS=[OLD_KEY]):
        contact = ContactDetails.objects.create(guardian=cast.guardian, address="Gamla vägen 2", city="Ystad")
    with override_settings(SAMPLAN_FIELD_KEYS=[NEW_KEY, OLD_KEY]):
        assert ContactDetails.objects.get(pk=contact.pk).address == "Gamla vägen 2"
        ContactDetails.objects.filter(pk=contact.pk).update(phone="0411-55 00 00")
    raw = _raw(contact.pk)
    # The first key encrypts new values; every listed key still decrypts the old ones.
    assert Fernet(NEW_KEY.encode()).decrypt(raw["phone"].encode()).decode() == "0411-55 00 00"
    assert Fernet(OLD_KEY.encode()).decrypt(raw["address"].encode()).decode() == "Gamla vägen 2"
    with override_settings(SAMPLAN_FIELD_KEYS=[NEW_KEY]), pytest.raises(ValueError, match="could not be decrypted"):
        ContactDetails.objects.get(pk=contact.pk)


def test_it_re_encrypts_a_row_with_the_new_key_when_saved(cast):
    with override_settings(SAMPLAN_FIELD_KEYS=[OLD_KEY]):
        contact = ContactDetails.objects.create(guardian=cast.guardian, address="Gamla vägen 2", city="Ystad")
    with override_settings(SAMPLAN_FIELD_KEYS=[NEW_KEY, OLD_KEY]):
        ContactDetails.objects.get(pk=contact.pk).save()
    with override_settings(SAMPLAN_FIELD_KEYS=[NEW_KEY]):
        assert ContactDetails.objects.get(pk=contact.pk).address == "Gamla vägen 2"  # the old key can go
