"""The people picker: a search within the allowed staff, as a form post without JavaScript and a typeahead with it.

Without JavaScript the picker is a text field and a **Sök** button inside the form: the button sends the form,
the page comes back with everything that was entered and at most `selectors.MAX_RESULTS` matches as radio
buttons, and nothing is saved (`use_picker` turns the posted form into an unbound one holding the posted values).
The search is `selectors.staff_search`, the same as the typeahead's. The whole allowed set is never listed.
With JavaScript (`static/js/people-picker.js`) the same place shows the typeahead combobox instead.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from directory import selectors
from directory.limits import search_over_limit
from directory.selectors import PLAN, scope_sign
from sharing.display import MASKED

# The name of the Sök button; its value is the name (with the form's prefix) of the picker that searches.
SEARCH_BUTTON = "picker-search"


def query_name(name: str) -> str:
    """Return the name of a picker's search field: its own, so it never collides with the form's fields."""
    return f"{name}-q"


class PeoplePicker(forms.Select):
    """Without JavaScript a search field with a Sök button and the matches as radio buttons; with it, a typeahead."""

    template_name = "components/people_picker.html"

    def __init__(self, *, authorities: Iterable[int] | None = None, purpose: str = PLAN, attrs=None):
        super().__init__(attrs=attrs)
        self.authorities = None if authorities is None else sorted(set(authorities))
        self.purpose = purpose
        self.scope = scope_sign(self.authorities, purpose=purpose)
        self.query: str | None = None  # what the Sök button sent, if it did
        self.limited = False  # the user searched too often this minute: the search is refused, nothing listed
        self.display = None  # the page's sharing.display.Display: the chosen person is named only as it allows

    def use_required_attribute(self, initial) -> bool:
        return False  # the search field may stay empty when a person is chosen; the form's validation decides

    def render(self, name, value, attrs=None, renderer=None):
        # The project's template engine, not the form renderer's: the component lives in templates/components/.
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))  # noqa: S308

    def _chosen(self, values: list[str]) -> list[tuple[str, str]]:
        """Return the chosen person (value and label), if any, read from the field's own queryset."""
        keys = [value for value in values if value and str(value).isdigit()]
        choices = getattr(self, "choices", None)
        queryset = getattr(choices, "queryset", None)
        if not keys or queryset is None:
            return []
        label = choices.field.label_from_instance
        return [(str(user.pk), self._shown(user, label(user))) for user in queryset.filter(pk__in=keys)[:1]]

    def _shown(self, user, label: str) -> str:
        """Name the chosen person as the page's display allows: a protected child's staff may locate the child."""
        if self.display is None:
            return label
        shown = self.display.staff(user.pk, label)
        return label if shown is not None else str(MASKED)

    def get_context(self, name, value, attrs):
        # Not Select.get_context: its option groups would list the whole allowed set.
        context = forms.Widget.get_context(self, name, value, attrs)
        chosen = self._chosen(context["widget"]["value"])
        attrs_of = context["widget"]["attrs"]
        picker = {
            "scope": self.scope,
            "url": reverse("directory:people_search"),
            "query_name": query_name(name),
            "button": SEARCH_BUTTON,
            "chosen": chosen[0] if chosen else None,
            "searched": self.query is not None,
            "query": self.query or "",
            "limited": self.limited,
            "optional": not self.is_required,
            "describedby": " ".join(
                part for part in (attrs_of.get("aria-describedby"), f"{attrs_of.get('id')}-fallback-hint") if part
            ),
        }
        if self.query is not None and not self.limited:
            hits = selectors.staff_search(self.query, self.authorities, purpose=self.purpose)
            shown = {value for value, _label in chosen}
            picker |= {
                "hits": [hit for hit in hits if str(hit.pk) not in shown],
                "count": len(hits),
                "too_short": len(self.query.strip()) < selectors.MIN_CHARS,
                "max_results": selectors.MAX_RESULTS,
            }
        context["picker"] = picker
        return context


def use_picker(
    form: forms.BaseForm,
    name: str,
    *,
    user,
    authorities: Iterable[int] | None = None,
    purpose: str = PLAN,
    display=None,
) -> None:
    """Render the form's staff field `name` as a people picker searching the same set its queryset allows.

    `display` (the page's `sharing.display.Display`, on a child's pages) decides whether the person already
    chosen is named or shown as the protected marker, as everywhere else on the page.

    If the picker's Sök button sent the form, the form becomes unbound, holding what was posted as its initial
    values: `is_valid()` is False (nothing is saved), no field shows an error, and the picker shows the matches.
    The search counts against `user`'s SAMPLAN_PEOPLE_SEARCH_PER_MINUTE with the typeahead's; over the limit
    the picker lists nobody and says, in Swedish, to wait a minute.
    """
    field = form.fields[name]
    widget = PeoplePicker(authorities=authorities, purpose=purpose, attrs=field.widget.attrs)
    widget.is_required = field.required
    widget.display = display
    field.widget = widget
    widget.choices = field.choices
    key = form.add_prefix(name)
    if form.is_bound and form.data.get(SEARCH_BUTTON) == key:
        widget.query = str(form.data.get(query_name(key), ""))[:100]
        widget.limited = bool(search_over_limit(user.pk))
        form.initial = {
            other: form.fields[other].widget.value_from_datadict(form.data, form.files, form.add_prefix(other))
            for other in form.fields
        }
        form.is_bound = False
