"""The shared form pieces in templates/components/: one field, one group of choices, one error summary for all."""

from __future__ import annotations

import re

from django import forms
from django.template.loader import render_to_string

from core.tests.test_form_accessibility import templates


class _Form(forms.Form):
    name = forms.CharField(label="Namn", help_text="Som i folkbokföringen.")
    agree = forms.BooleanField(label="Jag förstår")
    colours = forms.MultipleChoiceField(
        label="Färger",
        choices=[("red", "Röd"), ("blue", "Blå")],
        help_text="Välj minst en.",
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        raise forms.ValidationError("Formuläret går inte att skicka.")


def _failed() -> _Form:
    form = _Form(data={})
    form.is_valid()
    return form


def test_it_renders_a_field_as_label_help_text_error_and_widget_described_by_both():
    html = render_to_string("components/field.html", {"field": _failed()["name"]})
    order = [
        html.index(part)
        for part in ('<label class="ds-label" for="id_name">', 'id="id_name_helptext"', 'id="id_name_error"', "<input")
    ]
    assert order == sorted(order)
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'class="ds-validation-message"' in html


def test_it_puts_a_check_box_before_its_label():
    html = render_to_string("components/field.html", {"field": _failed()["agree"]})
    assert (
        html.index('<input type="checkbox"') < html.index('<label for="id_agree">') < html.index('id="id_agree_error"')
    )
    assert html.count("<input") == 1


def test_it_groups_choices_in_a_fieldset_described_by_its_help_text():
    html = render_to_string("components/choices_field.html", {"field": _failed()["colours"]})
    assert '<fieldset class="ds-fieldset" id="id_colours" aria-describedby="id_colours_helptext">' in html
    assert '<legend class="ds-label">Färger</legend>' in html
    assert 'id="id_colours_error"' in html
    assert '<label for="id_colours_0">Röd</label>' in html


def test_it_links_every_error_of_the_summary_to_its_field_and_lists_the_form_s_own_errors():
    html = render_to_string("components/error_summary.html", {"form": _failed()})
    assert 'class="ds-error-summary error-summary" role="alert"' in html and 'tabindex="-1"' in html
    assert "<li>Formuläret går inte att skicka.</li>" in html
    assert re.search(r'<a href="#id_name">[^<]+</a>', html)
    assert '<a href="#id_colours">' in html  # a group of choices has no label of its own: its fieldset
    assert render_to_string("components/error_summary.html", {"form": _Form()}).strip() == ""


def test_it_keeps_the_shared_pieces_in_one_place():
    copies = [
        str(path)
        for path in templates()
        if re.fullmatch(r"_(\w*_)?(field|errors|error_summary)\.html", path.name)
        or path.name.endswith("pagination.html")
        if "components" not in path.parts
    ]
    assert not copies, f"use the shared pieces in templates/components/: {copies}"
