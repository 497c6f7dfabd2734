"""Forms for concerns. They validate input and nothing else."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from approvals.images import clean_uploaded_image
from concerns.models import ConcernUrgency
from redbridge_portal.forms import FieldsOnlyFormMixin, TextBoxField


class FirstOptionRadioSelect(forms.RadioSelect):
    """Radios whose field links to the first option, so the error summary's link has a target
    (Django's RadioSelect gives the group no id)."""

    def id_for_label(self, id_, index=None):
        if index is None and id_:
            return f"{id_}_0"
        return super().id_for_label(id_, index)


class ConcernForm(FieldsOnlyFormMixin, forms.Form):
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    link = forms.URLField(
        label=_("Link to what you saw (optional)"),
        help_text=_("The web address of the post or page, if you have it."),
        required=False,
        max_length=500,
        assume_scheme="https",
    )
    description = TextBoxField(
        _("What is it?"),
        rows=6,
        if_empty=_("Say what you saw and why it may need a response."),
        help_text=_(
            "What you saw, where, who it concerns and why you think the school may need to "
            "respond. Do not reply to it or share it further."
        ),
    )
    urgency = forms.ChoiceField(
        label=_("How urgent is it?"),
        choices=ConcernUrgency.choices,
        widget=FirstOptionRadioSelect,
        error_messages={"required": _("Choose how urgent it is.")},
    )
    screenshot = forms.FileField(
        label=_("Screenshot (optional)"),
        help_text=_("A picture of what you saw, in case it is deleted. JPEG, PNG, GIF or WebP."),
        required=False,
    )

    def clean_screenshot(self):
        upload = self.cleaned_data.get("screenshot")
        return clean_uploaded_image(upload) if upload else None


class ConcernActionForm(FieldsOnlyFormMixin, forms.Form):
    body = TextBoxField(
        _("What was done"),
        rows=3,
        if_empty=_("Say what was done."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs["id"] = "id_action_body"


class ConcernResolveForm(FieldsOnlyFormMixin, forms.Form):
    outcome = TextBoxField(
        _("Outcome"),
        rows=3,
        if_empty=_("Say what the outcome was."),
        help_text=_("What the school did in the end. The person who raised it will read this."),
    )
