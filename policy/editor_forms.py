"""Forms of the review editor, the sign-off and the search words. They validate input only;
the services in `policy.review` make the changes and hold the rules."""

from __future__ import annotations

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from policy.search_terms import parse_synonym_list
from redbridge_portal.forms import FieldsOnlyFormMixin, TextBoxField

TEXT_ROWS = 4


class RevisionField(forms.IntegerField):
    """The revision the editor started from (optimistic locking)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=0, max_value=2_000_000_000, **kwargs)


class TextPartForm(FieldsOnlyFormMixin, forms.Form):
    """The wording of a clause, a list item or a core principle."""

    text = TextBoxField(
        _("Wording"),
        rows=TEXT_ROWS,
        if_empty=_("Enter the wording; to take it out, remove it instead."),
    )
    revision = RevisionField()


class GuidelineForm(FieldsOnlyFormMixin, forms.Form):
    title = forms.CharField(label=_("Heading"), max_length=200)
    body = TextBoxField(_("Text"), rows=8)
    revision = RevisionField()


class AddClauseForm(FieldsOnlyFormMixin, forms.Form):
    number = forms.CharField(
        label=_("Clause number"),
        max_length=20,
        help_text=_("As staff will cite it, for example 6.4."),
        error_messages={"required": _("Enter the clause's number, for example 6.4.")},
    )
    text = TextBoxField(
        _("Wording"),
        rows=TEXT_ROWS,
        if_empty=_("Enter the wording of the new clause."),
    )


class AddItemForm(FieldsOnlyFormMixin, forms.Form):
    text = TextBoxField(
        _("Wording of the new item"),
        rows=3,
        if_empty=_("Enter the wording of the new item."),
    )
    parent = forms.TypedChoiceField(
        label=_("Where it goes"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("At the end of the clause's own list"))]
        for item, depth in items:
            excerpt = Truncator(item.text).chars(60)
            choices.append((item.pk, _("Inside: %(text)s") % {"text": "– " * depth + excerpt}))
        self.fields["parent"].choices = choices


class RenumberForm(FieldsOnlyFormMixin, forms.Form):
    number = forms.CharField(
        label=_("New number"),
        max_length=20,
        error_messages={"required": _("Enter the new number, for example 6.4.")},
    )
    confirm = forms.BooleanField(
        label=_("I understand that what cites the old number will point to the wrong clause"),
        error_messages={"required": _("Confirm that you have checked what cites this clause.")},
    )
    revision = RevisionField()


class SummaryForm(FieldsOnlyFormMixin, forms.Form):
    change_summary = TextBoxField(
        _("What changed, for staff"),
        rows=4,
        max_length=2000,
        help_text=_(
            "Two or three sentences. Staff read this in the email asking them to acknowledge "
            "the new version. You can change it until the draft is sent for sign-off."
        ),
        required=False,
    )


class SendBackForm(FieldsOnlyFormMixin, forms.Form):
    comments = TextBoxField(
        _("What should change"),
        rows=4,
        if_empty=_("Say what should change before sending the draft back."),
        max_length=4000,
    )


class SynonymForm(FieldsOnlyFormMixin, forms.Form):
    words = forms.CharField(
        label=_("Words that mean the same"),
        max_length=300,
        help_text=_(
            "Separated by commas, for example: photo, image, picture. A search for any of "
            "them finds the others."
        ),
        error_messages={"required": _("Enter two or more words, separated by commas.")},
    )

    def clean_words(self):
        words = parse_synonym_list(self.cleaned_data["words"])
        if len(words) < 2:
            raise forms.ValidationError(_("Enter two or more words, separated by commas."))
        if any(len(word) < 2 for word in words):
            raise forms.ValidationError(_("Each word needs at least two letters."))
        return words
