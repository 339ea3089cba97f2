"""Children, guardians, siblings, enrolments and the encrypted contact-details store."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import EncryptedTextField
from core.maintained import MaintainedQuerySet
from organisations.models import Authority, Unit


class IdentityKind(models.TextChoices):
    PERSONNUMMER = "personnummer", _("Personnummer")
    SAMORDNINGSNUMMER = "samordningsnummer", _("Samordningsnummer")
    RESERVE = "reserve", _("Reservnummer")


class Protection(models.TextChoices):
    NONE = "none", _("Ingen")
    CONFIDENTIALITY_MARKING = "sekretessmarkering", _("Sekretessmarkering")
    PROTECTED_REGISTRATION = "skyddad_folkbokforing", _("Skyddad folkbokföring")


class Source(models.TextChoices):
    """Where a fact came from: by hand in Samplan, the population register (Navet) or school data (SS12000)."""

    UNKNOWN = "unknown", _("Okänd källa")
    MANUAL = "manual", _("Registrerad för hand")
    NAVET = "navet", _("Folkbokföringen (Navet)")
    SS12000 = "ss12000", _("Skolans system (SS12000)")
    DEMO = "demo", _("Demodata")


def source_field() -> models.CharField:
    return models.CharField(
        _("källa"),
        max_length=20,
        choices=Source,
        default=Source.UNKNOWN,
        db_comment="Where the fact came from: manual, navet, ss12000, demo, or unknown for rows from before sources.",
    )


def source_note_field() -> models.CharField:
    return models.CharField(
        _("källans uppgift"),
        max_length=200,
        blank=True,
        db_comment="Who or what recorded the fact: the registrar and authority, or the import run.",
    )


class Child(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False, db_comment="Opaque id used in URLs.")
    identity_kind = models.CharField(
        _("typ av nummer"), max_length=20, choices=IdentityKind, db_comment="Which kind of identity number."
    )
    identity_number = models.CharField(
        _("identitetsnummer"),
        max_length=16,
        unique=True,
        db_comment="Normalised 12-digit personnummer/samordningsnummer, or a reserve number.",
    )
    given_name = models.CharField(_("förnamn"), max_length=100, db_comment="Given name(s).")
    family_name = models.CharField(_("efternamn"), max_length=100, db_comment="Family name.")
    birth_date = models.DateField(
        _("födelsedatum"), db_comment="Birth date (derived from the number), or expected date before birth."
    )
    is_expected = models.BooleanField(
        _("ofött barn"), default=False, db_comment="True while the child is not yet born (maternity care)."
    )
    languages = models.JSONField(
        _("språk"), default=list, blank=True, db_comment="Languages the child speaks, as ISO 639-1 codes."
    )
    protection = models.CharField(
        _("skyddade personuppgifter"),
        max_length=30,
        choices=Protection,
        default=Protection.NONE,
        db_comment="Protected identity: hides address, unit and contacts from those without explicit need.",
    )
    municipality = models.ForeignKey(
        "organisations.Municipality",
        on_delete=models.PROTECT,
        related_name="children",
        db_comment="Municipality whose rules apply to the child.",
    )
    user = models.OneToOneField(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="child_self",
        db_comment="The child's own login for the family view, from the municipality's configured age.",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_comment="When the record was created.")
    source = source_field()
    source_note = source_note_field()
    deceased_on = models.DateField(
        _("avliden"),
        null=True,
        blank=True,
        db_comment="Date of death from the population register; family view and reminders stop, nothing deleted.",
    )
    moved_out_on = models.DateField(
        _("utflyttad"),
        null=True,
        blank=True,
        db_comment="Date the child moved out of the municipality (or emigrated); the record is kept for retention.",
    )

    objects = MaintainedQuerySet.as_manager()  # bulk writes keep the access relation current

    class Meta:
        db_table_comment = "A child (or expected child) Samplan supports."
        verbose_name = _("barn")
        verbose_name_plural = _("barn")
        ordering = ["family_name", "given_name"]
        indexes = [
            models.Index(fields=["birth_date"]),
            # The children of a municipality in id order with what decides whether they are in a follow-up's scope
            # (evaluation.sql's `c`): read from the index alone, merged with other tables' child-ordered indexes.
            models.Index(
                fields=["municipality", "id"], include=["birth_date", "is_expected"], name="child_municipality_scope"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def is_protected(self) -> bool:
        return self.protection != Protection.NONE

    @property
    def listed_name(self) -> str | None:
        """The name to show in a list not annotated by the policy: none for a protected child (sharing.display)."""
        from sharing.display import listed_name  # the display module imports this one

        return listed_name(self)


class Guardian(models.Model):
    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    identity_number = models.CharField(
        _("identitetsnummer"), max_length=16, unique=True, db_comment="Normalised identity number."
    )
    given_name = models.CharField(_("förnamn"), max_length=100, db_comment="Given name(s).")
    family_name = models.CharField(_("efternamn"), max_length=100, db_comment="Family name.")
    protection = models.CharField(
        _("skyddade personuppgifter"),
        max_length=30,
        choices=Protection,
        default=Protection.NONE,
        db_comment="Protected identity of the guardian.",
    )
    user = models.OneToOneField(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guardian",
        db_comment="Login for the family view, when the guardian has one.",
    )
    source = source_field()
    source_note = source_note_field()

    class Meta:
        db_table_comment = "A parent or other adult with a relation to a child."
        verbose_name = _("vårdnadshavare")
        verbose_name_plural = _("vårdnadshavare")
        ordering = ["family_name", "given_name"]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def is_protected(self) -> bool:
        return self.protection != Protection.NONE

    @property
    def listed_name(self) -> str | None:
        """The name to show in a list not annotated by the policy: none for a protected child (sharing.display)."""
        from sharing.display import listed_name  # the display module imports this one

        return listed_name(self)


class Guardianship(models.Model):
    id = models.BigAutoField(primary_key=True, db_comment="Row id.")

    class Relation(models.TextChoices):
        PARENT = "parent", _("Förälder")
        APPOINTED = "appointed", _("Särskilt förordnad vårdnadshavare")
        PARENT_WITHOUT_CUSTODY = "parent_without_custody", _("Förälder utan vårdnad")

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="guardianships", db_comment="The child.")
    guardian = models.ForeignKey(
        Guardian, on_delete=models.CASCADE, related_name="guardianships", db_comment="The adult."
    )
    relation = models.CharField(_("relation"), max_length=30, choices=Relation, db_comment="Kind of relation.")
    has_custody = models.BooleanField(_("vårdnad"), default=True, db_comment="True if the adult has custody.")
    valid_from = models.DateField(_("från"), db_comment="First day of the relation.")
    valid_to = models.DateField(_("till"), null=True, blank=True, db_comment="Last day; empty while current.")
    source = source_field()
    source_note = source_note_field()

    class Meta:
        db_table_comment = "Custody and parent relations between children and adults."
        verbose_name = _("vårdnadsrelation")
        verbose_name_plural = _("vårdnadsrelationer")
        constraints = [
            models.UniqueConstraint(fields=["child", "guardian", "valid_from"], name="guardianship_unique"),
        ]


class SiblingLink(models.Model):
    """A sibling relation recorded explicitly (half-siblings in other homes, for example)."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+", db_comment="One child.")
    sibling = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+", db_comment="The other child.")

    class Meta:
        db_table_comment = "Explicit sibling links; siblings through shared guardians are derived."
        verbose_name = _("syskonrelation")
        verbose_name_plural = _("syskonrelationer")
        constraints = [
            models.UniqueConstraint(fields=["child", "sibling"], name="sibling_unique"),
            models.CheckConstraint(condition=~Q(child=models.F("sibling")), name="sibling_not_self"),
        ]


class Enrolment(models.Model):
    """A child enrolled at, or listed with, a unit. Owned by the unit's authority."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id; audit rows name it.")

    class Kind(models.TextChoices):
        MATERNITY = "maternity", _("Inskriven i mödrahälsovården")
        CHILD_HEALTH = "child_health", _("Listad på BVC")
        PRESCHOOL = "preschool", _("Förskola")
        PRESCHOOL_CLASS = "preschool_class", _("Förskoleklass")
        SCHOOL = "school", _("Grundskola")
        UPPER_SECONDARY = "upper_secondary", _("Gymnasieskola")
        OTHER = "other", _("Annan kontakt")

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="enrolments", db_comment="The child.")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="enrolments", db_comment="The unit.")
    kind = models.CharField(_("typ"), max_length=20, choices=Kind, db_comment="Kind of enrolment.")
    start = models.DateField(_("från"), db_comment="First day.")
    end = models.DateField(_("till"), null=True, blank=True, db_comment="Last day; empty while current.")
    owner_authority = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        related_name="+",
        db_comment="Authority that owns this record (the unit's authority).",
    )
    category = models.CharField(max_length=30, db_comment="Information category of the record.")
    source = source_field()
    source_note = source_note_field()

    objects = MaintainedQuerySet.as_manager()  # bulk writes keep the access relation current

    class Meta:
        db_table_comment = "Enrolments of children in units: preschool, school, BVC listing ..."
        verbose_name = _("inskrivning")
        verbose_name_plural = _("inskrivningar")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="enrolment_dates_ordered"
            ),
        ]
        indexes = [models.Index(fields=["unit", "end"]), models.Index(fields=["child", "start"])]


class ContactDetails(models.Model):
    """Address and phone, stored apart from the child record and encrypted at rest."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")

    child = models.OneToOneField(
        Child, on_delete=models.CASCADE, null=True, blank=True, related_name="contact", db_comment="The child."
    )
    guardian = models.OneToOneField(
        Guardian, on_delete=models.CASCADE, null=True, blank=True, related_name="contact", db_comment="The adult."
    )
    address = EncryptedTextField(_("adress"), blank=True, db_comment="Street address (encrypted).")
    postal_code = EncryptedTextField(_("postnummer"), blank=True, db_comment="Postal code (encrypted).")
    city = EncryptedTextField(_("ort"), blank=True, db_comment="Postal town (encrypted).")
    phone = EncryptedTextField(_("telefon"), blank=True, db_comment="Phone number (encrypted).")

    class Meta:
        db_table_comment = "Encrypted contact details, apart from the main tables."
        verbose_name = _("kontaktuppgifter")
        verbose_name_plural = _("kontaktuppgifter")
        constraints = [
            models.CheckConstraint(
                condition=Q(child__isnull=False, guardian__isnull=True) | Q(child__isnull=True, guardian__isnull=False),
                name="contact_one_owner",
            ),
        ]
