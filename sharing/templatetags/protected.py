"""Print what `sharing.display` decided: a name, or the one protected-identity marker in its place."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def protected_marker() -> SafeString:
    """Render the one marker for something masked because of protected identity."""
    return SafeString(render_to_string("components/protected_marker.html").strip())


@register.filter
def or_masked(value) -> SafeString:
    """Print a value the display decision produced, or the marker when it is None (masked)."""
    if value is None:
        return protected_marker()
    return conditional_escape(value)


@register.filter
def unit_for(unit, display) -> SafeString:
    """Print a unit's name as `display` (a `sharing.display.Display`) allows it."""
    if unit is None:
        return SafeString("")
    return or_masked(display.unit(unit.pk, unit.name))


@register.filter
def staff_for(user, display) -> SafeString:
    """Print a staff member's name as `display` allows it."""
    if user is None:
        return SafeString("")
    return or_masked(display.staff(user.pk, user.get_full_name() or user.get_username()))


@register.filter
def recorded_for(row, display) -> SafeString:
    """Print a name recorded in a plan version (snapshot participant or agreement) as `display` allows."""
    return or_masked(display.recorded(row))


@register.filter
def participant_for(participant, display) -> SafeString:
    """Print a plan participant's name: staff as `display` allows, the family and others as written."""
    return or_masked(display.participant(participant))
