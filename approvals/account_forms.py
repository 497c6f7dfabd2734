from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from approvals.models import Account
from redbridge_portal.models import User


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.email})"


class SocialAccountForm(forms.ModelForm):
    managers = PersonChoiceField(
        label=_("Who manages it"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The people who look after the account and put approved posts on it."),
    )

    class Meta:
        model = Account
        fields = ["name", "platform", "handle", "text_limit", "managers"]
        labels = {"text_limit": _("Most characters in one post")}

    def __init__(self, *args, submit_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["managers"].queryset = User.objects.filter(is_active=True).order_by(
            "last_name", "first_name"
        )
        self.fields["text_limit"].min_value = 1
        self.fields["text_limit"].widget.attrs["min"] = 1
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", submit_label))

    def clean_handle(self):
        handle = self.cleaned_data["handle"].strip()
        if not handle:
            raise forms.ValidationError(_("Enter the account's handle, such as @RedbridgeCS."))
        return handle

    def clean_text_limit(self):
        limit = self.cleaned_data["text_limit"]
        if limit is not None and limit < 1:
            raise forms.ValidationError(_("The limit must be at least 1 character."))
        return limit
