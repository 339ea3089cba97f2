"""Authorities (secrecy domains), their units, and staff memberships with roles."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.maintained import MaintainedQuerySet


class Municipality(models.Model):
    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    name = models.CharField(_("namn"), max_length=100, unique=True, db_comment="Municipality name.")
    code = models.CharField(_("kommunkod"), max_length=4, unique=True, db_comment="SCB four-digit code.")

    class Meta:
        db_table_comment = "A municipality whose rules (e.g. named-person stages) Samplan applies."
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Authority(models.Model):
    """A separate secrecy domain: a municipal committee, a region service, the police ..."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id; records name their owning authority by it.")

    class Kind(models.TextChoices):
        MUNICIPAL_COMMITTEE = "municipal_committee", _("Kommunal nämnd")
        REGION = "region", _("Region")
        POLICE = "police", _("Polisen")
        INDEPENDENT = "independent", _("Enskild huvudman")
        CIVIL_SOCIETY = "civil_society", _("Civilsamhälle")

    class Sector(models.TextChoices):
        EDUCATION = "education", _("Utbildning")
        SOCIAL_SERVICES = "social_services", _("Socialtjänst")
        CULTURE_LEISURE = "culture_leisure", _("Kultur och fritid")
        CHILD_HEALTH = "child_health", _("Barnhälsovård (BVC/BHV)")
        MATERNITY = "maternity", _("Mödrahälsovård (BMM)")
        CHILD_PSYCHIATRY = "child_psychiatry", _("Barn- och ungdomspsykiatri (BUP)")
        FIRST_LINE = "first_line", _("Första linjen")
        HABILITATION = "habilitation", _("Habilitering")
        PRIMARY_CARE = "primary_care", _("Primärvård")
        POLICE = "police", _("Polis")
        CIVIL_SOCIETY = "civil_society", _("Civilsamhälle")

    name = models.CharField(_("namn"), max_length=200, unique=True, db_comment="Authority name.")
    kind = models.CharField(_("typ"), max_length=30, choices=Kind, db_comment="Kind of principal.")
    sector = models.CharField(_("verksamhet"), max_length=30, choices=Sector, db_comment="Field of work.")
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="authorities",
        verbose_name=_("kommun"),
        db_comment="Municipality the authority serves (a region may serve several; this is the home one).",
    )

    class Meta:
        db_table_comment = "A myndighet/nämnd: each is its own secrecy domain and owns the records it makes."
        verbose_name = _("myndighet")
        verbose_name_plural = _("myndigheter")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    id = models.BigAutoField(primary_key=True, db_comment="Row id.")

    class Type(models.TextChoices):
        MATERNITY_CLINIC = "maternity_clinic", _("Barnmorskemottagning (BMM)")
        CHILD_HEALTH_CENTRE = "child_health_centre", _("Barnavårdscentral (BVC)")
        PRESCHOOL = "preschool", _("Förskola")
        SCHOOL = "school", _("Grundskola")
        UPPER_SECONDARY = "upper_secondary", _("Gymnasieskola")
        SOCIAL_SERVICES_TEAM = "social_services_team", _("Socialtjänstenhet")
        CHILD_PSYCHIATRY = "child_psychiatry", _("BUP-mottagning")
        FIRST_LINE = "first_line", _("Första linjen")
        HABILITATION = "habilitation", _("Habilitering")
        PRIMARY_CARE = "primary_care", _("Vårdcentral")
        POLICE = "police", _("Polisområde")
        LEISURE = "leisure", _("Fritidsgård/kultur")
        CIVIL_SOCIETY = "civil_society", _("Förening")

    authority = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        related_name="units",
        verbose_name=_("myndighet"),
        db_comment="Authority (secrecy domain) the unit belongs to.",
    )
    name = models.CharField(_("namn"), max_length=200, db_comment="Unit name.")
    unit_type = models.CharField(_("enhetstyp"), max_length=30, choices=Type, db_comment="Kind of unit.")
    area = models.CharField(_("område"), max_length=100, blank=True, db_comment="Geographic area or district.")
    phone = models.CharField(_("telefon"), max_length=40, blank=True, db_comment="Public phone number.")

    class Meta:
        db_table_comment = "A preschool, school, BVC, social services team ... under an authority."
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["authority", "name"], name="unit_unique_name_per_authority")]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", _("Yrkesverksam")
    MIDWIFE = "midwife", _("Barnmorska")
    CHILD_HEALTH_NURSE = "child_health_nurse", _("BVC-sjuksköterska")
    HEAD_TEACHER = "head_teacher", _("Rektor")
    SOCIAL_WORKER = "social_worker", _("Socialsekreterare")
    MANAGER = "manager", _("Chef")
    ANALYST = "analyst", _("Analytiker")
    ADMINISTRATOR = "administrator", _("Administratör")
    INTAKE = "intake", _("Mottagning")  # the one way in: triages requests for support and routes them
    REGISTRAR = "registrar", _("Registrator")  # registers children, guardians and enrolments by hand (registration)


class Membership(models.Model):
    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("användare"),
        db_comment="Staff user.",
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("enhet"),
        db_comment="Unit the user works at.",
    )
    role = models.CharField(_("roll"), max_length=30, choices=Role, db_comment="Role at the unit.")
    valid_from = models.DateField(_("från"), db_comment="First day of the membership.")
    valid_to = models.DateField(_("till"), null=True, blank=True, db_comment="Last day; empty while current.")

    objects = MaintainedQuerySet.as_manager()  # bulk writes keep the access relation current

    class Meta:
        db_table_comment = "A staff user's role at a unit for a period."
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role", "valid_from"], name="membership_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="membership_dates_ordered",
            ),
        ]
        indexes = [models.Index(fields=["unit", "role"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"
