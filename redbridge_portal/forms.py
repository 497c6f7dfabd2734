from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from redbridge_portal.models import SchoolClosure


class LoginForm(AuthenticationForm):
    """Django's login form, asking for the school email address."""

    username = forms.EmailField(
        label=_("School email address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "That email address and password do not match an account. Check both and try again."
        ),
        "inactive": _("This account has been closed. Ask the school office if you need it."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Sign in")))


class EmailPreferencesForm(forms.Form):
    """One checkbox per kind of notification that may be turned off."""

    def __init__(self, *args, preferences, **kwargs):
        super().__init__(*args, **kwargs)
        for preference in preferences:
            if preference["mandatory"]:
                continue
            self.fields[preference["kind"]] = forms.BooleanField(
                label=preference["label"],
                required=False,
                initial=preference["email_enabled"],
            )
        self.helper = FormHelper()
        self.helper.form_tag = False

    def enabled_kinds(self) -> list[str]:
        return [kind for kind, wanted in self.cleaned_data.items() if wanted]


class SchoolClosureForm(forms.ModelForm):
    class Meta:
        model = SchoolClosure
        fields = ["name", "first_day", "last_day"]
        widgets = {
            "first_day": forms.DateInput(attrs={"type": "date"}),
            "last_day": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {"first_day": _("First day closed"), "last_day": _("Last day closed")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_day"), cleaned.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", _("The last day must be on or after the first day."))
        return cleaned
