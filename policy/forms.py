from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _


class ChangesForm(forms.Form):
    """Pick two versions to compare."""

    old = forms.TypedChoiceField(label=_("From version"), coerce=int)
    new = forms.TypedChoiceField(label=_("To version"), coerce=int)

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (
                v.number,
                _("Version %(number)s (%(status)s)")
                % {"number": v.number, "status": v.get_status_display().lower()},
            )
            for v in versions
        ]
        self.fields["old"].choices = choices
        self.fields["new"].choices = choices
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "row g-2 align-items-end changes-form"
        self.helper.field_class = ""
        self.helper.disable_csrf = True
        self.helper.add_input(Submit("compare", _("Compare"), css_class="btn-secondary"))

    def clean(self):
        data = super().clean()
        if data.get("old") is not None and data.get("old") == data.get("new"):
            raise forms.ValidationError(_("Choose two different versions to compare."))
        return data
