from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from people.services import EXTRA_ROLES
from redbridge_portal import roles
from redbridge_portal.forms import FieldsOnlyFormMixin

ROLE_HELP = {
    roles.SENIOR_TEAM: _("Approves, sends back or rejects posts and campaigns."),
    roles.POLICY_ADMIN: _("Runs the policy review, manages people, the accounts and the calendar."),
}


class RolesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(
            choices=[(role, f"{role}: {ROLE_HELP[role]}") for role in EXTRA_ROLES],
            required=False,
            label=_("Roles as well as Staff"),
            **kwargs,
        )


class PersonAddForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(
        label=_("School email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    extra_roles = RolesField()

    def __init__(self, *args, allowed_domains=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed_domains = list(allowed_domains)
        if self.allowed_domains:
            self.fields["email"].help_text = _("An address ending %(domains)s.") % {
                "domains": _(" or ").join(f"@{d}" for d in self.allowed_domains)
            }
        self.helper = FormHelper()
        # Errors come from the server, next to the field and in the summary, in the portal's
        # words (the browser's own bubbles are neither).
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", _("Add this person")))

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        domain = email.rpartition("@")[2]
        if self.allowed_domains and domain not in self.allowed_domains:
            raise forms.ValidationError(
                _("Use the person's school email address (ending %(domains)s).")
                % {"domains": _(" or ").join(f"@{d}" for d in self.allowed_domains)}
            )
        return email


class PersonRolesForm(FieldsOnlyFormMixin, forms.Form):
    extra_roles = RolesField()


class StaffImportForm(forms.Form):
    file = forms.FileField(
        label=_("Staff list (CSV file)"),
        help_text=_(
            "The first row names the columns: Email, and Name (or First name and Last name); "
            "optionally Roles, or Senior team and Policy admin (yes or no)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    deactivate_missing = forms.BooleanField(
        label=_("Close the accounts of people who are not in this file (leavers)"),
        required=False,
        help_text=_("You will see who would be closed before anything changes."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        # Errors come from the server, next to the field and in the summary, in the portal's
        # words (the browser's own bubbles are neither).
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", _("Upload and preview")))


class StaffImportConfirmForm(forms.Form):
    only_valid_rows = forms.BooleanField(
        label=_("Import only the rows without errors"), required=False
    )
    # The counts the admin saw: if the accounts changed since, the import stops and shows
    # the new preview instead (the rows themselves are kept on the server).
    expected = forms.CharField(widget=forms.HiddenInput, max_length=200)

    def clean_expected(self):
        try:
            values = [int(part) for part in self.cleaned_data["expected"].split(",")]
        except ValueError:
            raise forms.ValidationError(_("Open the preview again.")) from None
        if len(values) != 5:
            raise forms.ValidationError(_("Open the preview again."))
        return dict(zip(("new", "changed", "unchanged", "errors", "to_close"), values, strict=True))
