"""Indicator names in templates, from the municipality's wording (`wellbeing.labels.wording_for`).

The municipality is the one of the page's `child`. The wording is read once per request (or per
render, for documents rendered without one, such as the plan PDF) and language.
"""

from __future__ import annotations

from django import template
from django.utils import translation

from wellbeing.labels import Wording, wording_for

register = template.Library()


def _wording(context) -> Wording:
    municipality_id = getattr(context.get("child"), "municipality_id", None)
    request = context.get("request")
    cache = _request_cache(request) if request is not None else context.render_context
    key = _key(municipality_id)
    if key not in cache:
        cache[key] = wording_for(municipality_id)
    return cache[key]


def _request_cache(request) -> dict:
    return request.__dict__.setdefault("_indicator_wordings", {})


def _key(municipality_id: int | None) -> tuple:
    return ("indicator_wording", municipality_id, translation.get_language())


def remember_wording(request, municipality_id: int | None, wording: Wording) -> None:
    """Keep a wording a page has already read (`labels.wording_from`) for this request's templates."""
    _request_cache(request)[_key(municipality_id)] = wording


@register.simple_tag(takes_context=True)
def indicator_label(context, code: str) -> str:
    """The indicator's name in the child's municipality's wording."""
    return _wording(context).label(code)


@register.simple_tag(takes_context=True)
def indicator_labels(context, codes) -> str:
    """The indicators' names, comma-separated."""
    return ", ".join(_wording(context).labels(codes))


@register.simple_tag(takes_context=True)
def wheel_name(context) -> str:
    """The wheel's name in the municipality's wording (e.g. Välbefinnandehjulet, Min livsblomma)."""
    return _wording(context).wheel_name
