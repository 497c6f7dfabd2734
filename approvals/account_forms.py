import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout, Submit
from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from approvals.models import Account
from redbridge_portal.models import User

# Far above any platform's limit (LinkedIn allows 3,000 characters), well inside the column.
MAX_TEXT_LIMIT = 100_000


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.email})"

    def clean(self, value):
        # An id no database column can hold is refused here: Django's own check would pass it
        # to the database in an IN (...) list, where SQLite raises instead of matching nothing.
        for pk in value or ():
            if not re.fullmatch(r"[0-9]{1,18}", str(pk)):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)


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
        # Whoever manages the account now comes first: with every member of staff listed, they
        # would otherwise be somewhere in a list of hundreds.
        current = (
            list(self.instance.managers.values_list("pk", flat=True)) if self.instance.pk else []
        )
        self.fields["managers"].queryset = (
            User.objects.filter(is_active=True)
            .annotate(
                managing=Case(
                    When(pk__in=current, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .order_by("managing", "last_name", "first_name", "pk")
        )
        self.fields["text_limit"].widget.attrs.update(min=1, max=MAX_TEXT_LIMIT)
        self.helper = FormHelper()
        # static/js/portal.js adds a box to find a person in the list.
        self.helper.layout = Layout(
            "name",
            "platform",
            "handle",
            "text_limit",
            Field("managers", wrapper_class="findable-choices"),
        )
        # Errors come from the server, next to the field and in the summary, in the portal's
        # words (the browser's own bubbles are neither).
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", submit_label))

    def clean_handle(self):
        handle = self.cleaned_data["handle"].strip()
        if not handle:
            raise forms.ValidationError(_("Enter the account's handle, such as @RedbridgeCS."))
        return handle

    def clean_text_limit(self):
        limit = self.cleaned_data["text_limit"]
        if limit is not None and not 1 <= limit <= MAX_TEXT_LIMIT:
            raise forms.ValidationError(
                _("Enter a number from 1 to %(most)s.") % {"most": f"{MAX_TEXT_LIMIT:,}"}
            )
        return limit
