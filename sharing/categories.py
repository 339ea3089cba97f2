"""Information categories: every record of child information carries one."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    IDENTITY = "identity", _("Identitet och vårdnadshavare")
    NAMED_PERSON = "named_person", _("Namngiven person")
    EDUCATION = "education", _("Förskola och skola")
    HEALTH = "health", _("Hälso- och sjukvård")
    SOCIAL = "social", _("Socialtjänst")
    POLICE = "police", _("Polis")
    LEISURE = "leisure", _("Kultur och fritid")
    PLAN = "plan", _("Barnets plan")


# A category as the information it names, to read within a sentence ("uppgifter om hälsa och vård som ... har").
CATEGORY_CONTENTS = {
    Category.IDENTITY: _("uppgifter om identitet och vårdnadshavare"),
    Category.NAMED_PERSON: _("uppgifter om namngiven person"),
    Category.EDUCATION: _("uppgifter om förskola och skola"),
    Category.HEALTH: _("uppgifter om hälsa och vård"),
    Category.SOCIAL: _("uppgifter från socialtjänsten"),
    Category.POLICE: _("uppgifter från polisen"),
    Category.LEISURE: _("uppgifter om kultur och fritid"),
    Category.PLAN: _("barnets plan"),
}

# Who the named person is, and the child's identity, is the shared starting point of the model:
# every practitioner with a relation to the child may see it whichever authority recorded it.
OPEN_TO_ANY_RELATION = frozenset({Category.IDENTITY, Category.NAMED_PERSON})

UNIT_TYPE_CATEGORY = {
    "maternity_clinic": Category.HEALTH,
    "child_health_centre": Category.HEALTH,
    "preschool": Category.EDUCATION,
    "school": Category.EDUCATION,
    "upper_secondary": Category.EDUCATION,
    "social_services_team": Category.SOCIAL,
    "child_psychiatry": Category.HEALTH,
    "first_line": Category.HEALTH,
    "habilitation": Category.HEALTH,
    "primary_care": Category.HEALTH,
    "police": Category.POLICE,
    "leisure": Category.LEISURE,
    "civil_society": Category.LEISURE,
}


def category_for_unit_type(unit_type: str) -> Category:
    """Return the category of records a unit of this type makes; unknown types fail closed."""
    try:
        return UNIT_TYPE_CATEGORY[unit_type]
    except KeyError as exc:
        raise ValueError(f"Unit type {unit_type!r} has no information category.") from exc
