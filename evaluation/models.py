"""A pilot to evaluate: where and from when a new way of working runs, and what it is compared with."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from organisations.models import Municipality, Unit


class Pilot(models.Model):
    """A pilot in one area of a municipality, compared with a baseline period and a control group."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="pilots", db_comment="Municipality running the pilot."
    )
    name = models.CharField(_("namn"), max_length=200, db_comment="Name of the pilot, in Swedish.")
    area = models.CharField(
        _("pilotområde"),
        max_length=100,
        blank=True,
        db_comment="Area (Unit.area) where the pilot runs; empty when the pilot is a set of units.",
    )
    units = models.ManyToManyField(
        Unit, blank=True, related_name="pilots", verbose_name=_("pilotenheter")
    )  # the units running the pilot (a many-to-many field takes no column comment)
    control_area = models.CharField(
        _("kontrollområde"),
        max_length=100,
        blank=True,
        db_comment="Area that is the control group; empty means every other area of the municipality.",
    )
    control_units = models.ManyToManyField(
        Unit,
        blank=True,
        related_name="control_pilots",
        verbose_name=_("kontrollenheter"),
    )  # the units that are the control group, instead of a control area
    start = models.DateField(_("start"), db_comment="First day of the pilot.")
    months = models.PositiveSmallIntegerField(
        _("månader"),
        default=12,
        db_comment="Planned length in months of the pilot period (and of the baseline when no baseline is given).",
    )
    baseline_start = models.DateField(
        _("baslinjen från och med"), null=True, blank=True, db_comment="First day of the baseline period, if chosen."
    )
    baseline_end = models.DateField(
        _("baslinjen till och med"), null=True, blank=True, db_comment="Last day of the baseline period, if chosen."
    )
    ended_on = models.DateField(
        _("avslutad"), null=True, blank=True, db_comment="Last day of the pilot when it was ended; empty while it runs."
    )

    class Meta:
        db_table_comment = "Pilots evaluated against a baseline period before the start and a control area."
        verbose_name = _("pilot")
        verbose_name_plural = _("piloter")
        ordering = ["municipality", "start", "name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="pilot_unique_name")]

    def __str__(self) -> str:
        return self.name
