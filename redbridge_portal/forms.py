from datetime import date

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from redbridge_portal import roles
from redbridge_portal.models import SchoolClosure

# Dates a school's records can sensibly carry. Further out, a page that adds or takes away a
# day or a month (the calendar's "next month", an "up to and including" filter) would overflow
# Python's calendar, which ends at 9999-12-31.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2099, 12, 31)


def sensible_date_validators() -> list:
    return [
        MinValueValidator(EARLIEST_DATE, _("Enter a date in the year 2000 or later.")),
        MaxValueValidator(LATEST_DATE, _("Enter a date before the year 2100.")),
    ]


class NoTagHelper(FormHelper):
    """Templates write the <form> tag and the buttons themselves (one primary button each)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form_tag = False
        self.disable_csrf = True


class FieldsOnlyFormMixin:
    """For a form whose template writes the <form> tag, the CSRF token and its one primary
    button: crispy renders the fields only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NoTagHelper()


class TextBoxField(forms.CharField):
    """A box for a few sentences, `rows` high. `if_empty` is what to say when a required box is
    left empty (or holds only spaces, which the field strips)."""

    def __init__(self, label, *, rows: int, if_empty=None, max_length: int = 5000, **kwargs):
        if if_empty:
            kwargs["error_messages"] = {"required": if_empty}
        widget = forms.Textarea(attrs={"rows": rows})
        super().__init__(label=label, max_length=max_length, widget=widget, **kwargs)


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

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not roles.may_use_password(user):
            raise forms.ValidationError(
                _("Staff sign in with their school account: use the button above."),
                code="sso_only",
            )


class PortalPasswordResetForm(PasswordResetForm):
    """Django's form, for the portal's accounts: with SSO_ONLY only superusers have a portal
    password; otherwise someone given an account (with no password yet) who has never signed
    in may choose their first password this way."""

    def get_users(self, email):
        for user in self._people_with_email(email):
            if not roles.may_use_password(user):
                continue
            if user.has_usable_password() or user.last_login is None:
                yield user

    @staticmethod
    def _people_with_email(email):
        from redbridge_portal.models import User

        return User.objects.filter(email__iexact=email, is_active=True)


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
        from redbridge_portal.services.closures import closure_problems

        cleaned = super().clean()
        first, last = cleaned.get("first_day"), cleaned.get("last_day")
        if first and last:
            for field, message in closure_problems(first, last):
                self.add_error(field, message)
        return cleaned


class TwoFactorCodeForm(forms.Form):
    """A six-digit code from the authenticator app, or a backup code."""

    token = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6-digit code your authenticator app shows now, or one backup code."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        # The templates write the <form> (with the page's "next" field): a second one from
        # crispy would be a form inside a form, which browsers silently drop.
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.add_input(Submit("submit", submit_label or _("Continue")))

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        if not token.isalnum():
            raise forms.ValidationError(_("Enter the code using only letters and numbers."))
        return token


class AuditLogFilterForm(forms.Form):
    """The audit log's filters; every field is optional."""

    action = forms.ChoiceField(label=_("What happened"), required=False)
    person = forms.CharField(
        label=_("Who"), required=False, max_length=100, help_text=_("A name or email address.")
    )
    record = forms.CharField(
        label=_("Record"),
        required=False,
        max_length=100,
        help_text=_("Part of the record's name, such as a post's title."),
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=sensible_date_validators(),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=sensible_date_validators(),
    )
    hide_sign_ins = forms.BooleanField(label=_("Hide signing in and out"), required=False)

    def __init__(self, *args, families=(), **kwargs):
        from redbridge_portal.audit_words import family_in_words

        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Anything"))] + [
            (family, family_in_words(family)) for family in families
        ]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        if first and last and last < first:
            self.add_error("date_to", _("The end date must be on or after the start date."))
        return cleaned


class PeopleSearchForm(forms.Form):
    search = forms.CharField(label=_("Name or email address"), required=False, max_length=100)


class AnonymiseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand this cannot be undone"),
        help_text=_("The person's name and email address are removed for good."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
