from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

MAX_MEGABYTES = 500


class NavetUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fil från folkbokföringen"),
        help_text=_("En XML-fil med personposter från Navet, högst %(size)d MB.") % {"size": MAX_MEGABYTES},
    )
    dry_run = forms.BooleanField(
        label=_("Provkörning: visa vad som skulle ändras utan att spara"), required=False, initial=True
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xml"):
            raise forms.ValidationError(_("Välj en XML-fil (filnamnet slutar på .xml)."))
        limit = getattr(settings, "SAMPLAN_IMPORT_MAX_BYTES", MAX_MEGABYTES * 1024 * 1024)
        if upload.size > limit:
            raise forms.ValidationError(_("Filen är för stor. Dela upp leveransen i flera filer."))
        return upload


class SS12000SyncForm(forms.Form):
    prefix = "ss12000"  # on the same page as the upload form: its fields' ids must differ

    server = forms.ModelChoiceField(
        label=_("Skolans system"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": _("Välj ett av systemen i listan.")},
    )
    scope = forms.ChoiceField(
        label=_("Vad ska läsas?"),
        choices=[
            ("delta", _("Ändringar sedan förra körningen (allt, om systemet inte har lästs förut)")),
            ("full", _("Allt, från början")),
        ],
        initial="delta",
        widget=forms.RadioSelect,
    )
    dry_run = forms.BooleanField(
        label=_("Provkörning: visa vad som skulle ändras utan att spara"), required=False, initial=True
    )

    def __init__(self, *args, servers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["server"].queryset = servers
