"""Forms for the guidance pages: the pre-screen lists, questions and their answers."""

from django import forms
from django.utils.translation import gettext_lazy as _

from policy.screening import clean_lines, normalise_domain
from redbridge_portal.forms import FieldsOnlyFormMixin, TextBoxField


class ScreeningListsForm(FieldsOnlyFormMixin, forms.Form):
    terms = TextBoxField(
        _("Watched words and phrases"),
        rows=12,
        max_length=20_000,
        help_text=_(
            "One a line. Drafts that use any of them are pointed out to the author and the "
            "senior team, for example derogatory words or internal matters such as "
            "“staff meeting”."
        ),
        required=False,
    )
    domains = TextBoxField(
        _("The school's usual sites"),
        rows=8,
        max_length=20_000,
        help_text=_(
            "One domain a line, for example bbc.co.uk. Links to other sites are pointed out."
        ),
        required=False,
    )

    def clean_terms(self):
        terms = clean_lines(self.cleaned_data["terms"], max_length=100)
        if any(not any(ch.isalnum() for ch in term) for term in terms):
            raise forms.ValidationError(_("Each watched word needs at least one letter or digit."))
        if len(terms) > 500:
            raise forms.ValidationError(_("Keep the list to 500 words or phrases."))
        return terms

    def clean_domains(self):
        domains, bad = [], []
        for line in clean_lines(self.cleaned_data["domains"], max_length=300):
            domain = normalise_domain(line)
            (domains if domain else bad).append(domain or line)
        if bad:
            raise forms.ValidationError(
                _("These are not domains (write them like bbc.co.uk): %(bad)s")
                % {"bad": ", ".join(bad[:5])}
            )
        if len(domains) > 500:
            raise forms.ValidationError(_("Keep the list to 500 sites."))
        return sorted(set(domains))


class QuestionForm(FieldsOnlyFormMixin, forms.Form):
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    text = TextBoxField(
        _("Your question"),
        rows=5,
        if_empty=_("Write your question."),
        help_text=_(
            "For example: “Can I share the school's post about sports day on my own account?” "
            "Only you and the senior team will see it."
        ),
    )


class AnswerForm(FieldsOnlyFormMixin, forms.Form):
    answer = TextBoxField(
        _("Your answer"),
        rows=5,
        if_empty=_("Write the answer."),
        max_length=10_000,
    )


class FaqPublishForm(FieldsOnlyFormMixin, forms.Form):
    faq_question = TextBoxField(
        _("The question, as everyone will read it"),
        rows=3,
        if_empty=_("Write the question as everyone will read it."),
        help_text=_("Take out names and anything that could identify the person who asked."),
    )
    faq_answer = TextBoxField(
        _("The answer, as everyone will read it"),
        rows=5,
        if_empty=_("Write the answer as everyone will read it."),
        max_length=10_000,
    )
