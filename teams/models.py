"""Multi-agency teams (barnombudsteam, samverkansforum) and who takes part in them, for which authority.

A team holds no child data: it is a standing group of staff from several authorities. A consent may
name a team as recipient (`sharing.Consent.recipient_teams`); the policy then reads, at each moment,
which authorities the team's current members take part for.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organisations.models import Authority, Municipality


class Team(models.Model):
    """A multi-agency team of a municipality."""

    class Kind(models.TextChoices):
        BARNOMBUDSTEAM = "barnombudsteam", _("Barnombudsteam")
        SAMVERKANSFORUM = "samverkansforum", _("Samverkansforum")
        OTHER = "other", _("Annat team")

    id = models.BigAutoField(primary_key=True, db_comment="Row id; consents name it as a recipient.")
    name = models.CharField(_("namn"), max_length=200, db_comment="Team name, unique within the municipality.")
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="teams",
        verbose_name=_("kommun"),
        db_comment="Municipality the team works in.",
    )
    kind = models.CharField(_("typ"), max_length=30, choices=Kind, db_comment="Kind of team.")
    description = models.TextField(_("beskrivning"), blank=True, db_comment="What the team does, in plain words.")
    active = models.BooleanField(
        _("aktivt"), default=True, db_comment="False once the team has stopped meeting; an inactive team opens nothing."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_comment="When the team was created.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_comment="Who created the team."
    )

    class Meta:
        db_table_comment = "Multi-agency teams (barnombudsteam, samverkansforum); they hold no child data."
        verbose_name = _("team")
        verbose_name_plural = _("team")
        ordering = ["-active", "name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="team_unique_name")]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    """A staff user taking part in a team for one of the authorities they work for, for a period."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Ledamot")
        CHAIR = "chair", _("Ordförande")

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="members", verbose_name=_("team"), db_comment="The team."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="team_memberships",
        verbose_name=_("person"),
        db_comment="Staff user taking part.",
    )
    authority = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("myndighet"),
        db_comment="Authority the user takes part for; one the user worked for when added.",
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role, default=Role.MEMBER, db_comment="Role in the team.")
    joined_on = models.DateField(_("med från"), db_comment="First day as a member.")
    left_on = models.DateField(
        _("slutade"),
        null=True,
        blank=True,
        db_comment="First day no longer a member (exclusive); empty while current. Rows are never deleted.",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_comment="Who added the member."
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_comment="Who ended the membership.",
    )

    class Meta:
        db_table_comment = "Who takes part in each team, for which authority, and when; history is kept."
        verbose_name = _("teammedlem")
        verbose_name_plural = _("teammedlemmar")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"], condition=Q(left_on__isnull=True), name="team_member_current_once"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")), name="team_member_dates"
            ),
        ]
        indexes = [models.Index(fields=["team", "left_on"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.team}"
