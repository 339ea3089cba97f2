"""Import runs (population register, SS12000) and the links from outside identifiers to Samplan rows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from organisations.models import Authority, Unit


class ImportRun(models.Model):
    """One run of an import: what it read, how far it has come and a report of what changed."""

    class Kind(models.TextChoices):
        NAVET = "navet", _("Folkbokföringen (Navet)")
        SS12000 = "ss12000", _("Skolans system (SS12000)")

    class Status(models.TextChoices):
        RUNNING = "running", _("Pågår")
        DONE = "done", _("Klar")
        REJECTED = "rejected", _("Avvisad")
        FAILED = "failed", _("Misslyckades")

    id = models.BigAutoField(primary_key=True, db_comment="Row id; the run's page names it.")
    kind = models.CharField(_("typ"), max_length=20, choices=Kind, db_comment="Which import.")
    source_name = models.CharField(
        _("fil eller adress"), max_length=300, db_comment="File name or server address read (never personal data)."
    )
    dry_run = models.BooleanField(_("provkörning"), default=False, db_comment="True: nothing was saved.")
    full = models.BooleanField(default=False, db_comment="SS12000: a full sync rather than a delta since the last run.")
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.RUNNING, db_comment="State of the run."
    )
    started_at = models.DateTimeField(auto_now_add=True, db_comment="When the run started.")
    finished_at = models.DateTimeField(null=True, blank=True, db_comment="When it finished; empty while running.")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_comment="Administrator who started it from the admin page; empty for a command.",
    )
    total = models.PositiveIntegerField(default=0, db_comment="Records expected (file size in bytes for Navet).")
    processed = models.PositiveIntegerField(default=0, db_comment="Records handled so far (bytes read for Navet).")
    counts = models.JSONField(default=dict, db_comment="Counts per kind of change, e.g. created children.")
    changes = models.JSONField(default=list, db_comment="What changed, as Swedish sentences without personal numbers.")
    unmapped = models.JSONField(
        default=list, db_comment="Rejected records and items that could not be mapped, with Swedish reasons."
    )
    error = models.CharField(max_length=500, blank=True, db_comment="Why the whole run failed or was rejected.")
    modified_after = models.DateTimeField(
        null=True, blank=True, db_comment="SS12000 delta: changes after this moment were asked for."
    )

    class Meta:
        db_table_comment = "Runs of the population-register and SS12000 imports with their reports."
        verbose_name = _("importkörning")
        verbose_name_plural = _("importkörningar")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        if self.status != self.Status.RUNNING:
            return 100
        if not self.total:
            return 0
        return min(99, self.processed * 100 // self.total)


class SS12000Server(models.Model):
    """A school or preschool administration system the municipality reads over SS12000, and whose it is.

    The page offers a sync only of the servers of an authority the administrator works for; the address is
    set here (in the Django admin), never typed on the page, so the page cannot make Samplan call anywhere else.
    """

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    name = models.CharField(_("namn"), max_length=200, db_comment="What the administrators call the system.")
    url = models.URLField(
        _("adress"), max_length=300, unique=True, db_comment="The server's base address; runs name it as their source."
    )
    authority = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        related_name="ss12000_servers",
        verbose_name=_("huvudman"),
        db_comment="The authority whose school data the server holds; its administrators may start a sync.",
    )

    class Meta:
        db_table_comment = "SS12000 servers an administrator may sync from the import page, with their authority."
        verbose_name = _("SS12000-server")
        verbose_name_plural = _("SS12000-servrar")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class SchoolUnitCode(models.Model):
    """Skolverket's school unit code of a Samplan unit: how SS12000 organisations are mapped."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="school_unit_codes", db_comment="The Samplan unit."
    )
    code = models.CharField(
        _("skolenhetskod"), max_length=20, unique=True, db_comment="Skolenhetskod from Skolverket's register."
    )

    class Meta:
        db_table_comment = "School unit codes (skolenhetskod) of Samplan units, for the SS12000 import."
        verbose_name = _("skolenhetskod")
        verbose_name_plural = _("skolenhetskoder")

    def __str__(self) -> str:
        return self.code


class ExternalLink(models.Model):
    """Which Samplan row an SS12000 object became, so a later delta or deletion finds it."""

    class Entity(models.TextChoices):
        ORGANISATION = "organisation", _("Organisation")
        PERSON = "person", _("Person")
        ENROLMENT = "enrolment", _("Inskrivning")
        PLACEMENT = "placement", _("Placering")
        DUTY = "duty", _("Tjänstgöring")

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    entity = models.CharField(max_length=20, choices=Entity, db_comment="Kind of SS12000 object.")
    external_id = models.CharField(max_length=100, db_comment="The object's id in the SS12000 server.")
    local_model = models.CharField(max_length=60, db_comment="Samplan model the object maps to.")
    local_id = models.CharField(max_length=60, db_comment="Primary key of the Samplan row.")

    class Meta:
        db_table_comment = "Links from SS12000 object ids to the Samplan rows they created or updated."
        constraints = [
            models.UniqueConstraint(fields=["entity", "external_id"], name="external_link_unique"),
        ]
