"""The people picker: a drop-down of the allowed staff that JavaScript turns into a typeahead combobox."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from directory.selectors import PLAN, scope_sign


class PeoplePicker(forms.Select):
    """Without JavaScript a plain select of the allowed set; with it, a search within the same set."""

    template_name = "components/people_picker.html"

    def __init__(self, *, authorities: Iterable[int] | None = None, purpose: str = PLAN, attrs=None):
        super().__init__(attrs=attrs)
        self.scope = scope_sign(authorities, purpose=purpose)

    def render(self, name, value, attrs=None, renderer=None):
        # The project's template engine, not the form renderer's: the component lives in templates/components/.
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))  # noqa: S308

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["picker"] = {"scope": self.scope, "url": reverse("directory:people_search")}
        return context


def use_picker(field: forms.ModelChoiceField, *, authorities: Iterable[int] | None = None, purpose: str = PLAN) -> None:
    """Render a staff field as a people picker searching the same set its queryset allows."""
    field.widget = PeoplePicker(authorities=authorities, purpose=purpose, attrs=field.widget.attrs)
    field.widget.choices = field.choices
