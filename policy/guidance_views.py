"""The guidance pages: the pre-screen lists (policy admins), questions to the senior team
and the frequently asked questions. A question is seen by its asker and the senior team only;
anyone else gets 404."""

from __future__ import annotations

import re

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django.views.generic import FormView

from policy import questions
from policy.guidance_forms import AnswerForm, FaqPublishForm, QuestionForm, ScreeningListsForm
from policy.screening import screening_lists, screening_lists_replace
from policy.views import PolicyManagerRequiredMixin
from redbridge_portal import roles
from redbridge_portal.actions import run_action
from redbridge_portal.mixins import (
    ObjectPageView,
    PersonalListsView,
    PostedFormMixin,
    RoleRequiredMixin,
    SendOnceFormView,
)


class ScreeningListsView(PolicyManagerRequiredMixin, FormView):
    template_name = "policy/screening_lists.html"
    form_class = ScreeningListsForm

    def get_initial(self):
        terms, domains = screening_lists()
        return {"terms": "\n".join(terms), "domains": "\n".join(domains)}

    def form_valid(self, form):
        return run_action(
            self.request,
            lambda: screening_lists_replace(actor=self.request.user, **form.cleaned_data),
            success=_("The pre-screen lists were saved."),
            then=reverse("policy:screening_lists"),
        )


# --- Questions ---------------------------------------------------------------------------------


class QuestionListView(PersonalListsView):
    template_name = "policy/question_list.html"
    lists = staticmethod(questions.question_lists)


class QuestionCreateView(RoleRequiredMixin, SendOnceFormView):
    allowed = staticmethod(roles.is_staff_member)
    refused = _("Only members of staff can ask the senior team a question.")
    template_name = "policy/question_form.html"
    form_class = QuestionForm
    service = staticmethod(questions.question_ask)
    sent_message = _("Your question was sent. You will be told when it is answered.")
    not_sent_message = _("Your question was not sent. Check the problems listed.")


class QuestionPageView(ObjectPageView):
    template_name = "policy/question_detail.html"
    context_object_name = "question"
    find = staticmethod(questions.question_for_page)
    not_found = _("No such question, or it is not yours to see.")
    form_classes = {"answer_form": AnswerForm, "publish_form": FaqPublishForm}

    def empty_forms(self):
        # The published wording starts as the original, for the senior team to reword so
        # that nobody can be identified.
        question = self.object
        initial = {"faq_question": question.text, "faq_answer": question.answer}
        return {**super().empty_forms(), "publish_form": FaqPublishForm(initial=initial)}

    def get_context_data(self, **kwargs):
        user, question = self.request.user, self.object
        return super().get_context_data(
            is_senior=roles.is_senior_team(user),
            can_answer=roles.may_answer_question(user, question),
            can_publish=roles.may_publish_answer(user, question),
            **kwargs,
        )


class QuestionAnswerView(PostedFormMixin, QuestionPageView):
    form_name = "answer_form"
    service = staticmethod(questions.question_answer)
    invalid_message = _("The answer was not sent. Check the problems listed.")
    success_message = _("Your answer was sent to the person who asked.")


class QuestionPublishView(PostedFormMixin, QuestionPageView):
    """Publishing makes a frequently asked question; the person goes to it."""

    form_name = "publish_form"
    service = staticmethod(questions.faq_publish)
    invalid_message = _("Nothing was published. Check the problems listed.")
    success_message = _("The answer is published in the frequently asked questions.")

    def success_url(self, faq):
        return faq.get_absolute_url()


@require_GET
def faq(request):
    return render(request, "policy/faq.html", {"faqs": questions.faqs()})


# --- Personal use (section 6, clause 6.3) -----------------------------------------------------

_QUOTED = re.compile(r"[\"“]([^\"”]{10,400})[\"”]")

# How the page groups the policy's own clauses; the wording always comes from the current
# version, so a change at the annual review shows here at once.
PERSONAL_USE_GROUPS = (
    ("about", _("Your personal accounts and the school"), ("6.1",)),
    ("may", _("What you may do"), ("6.2", "6.3")),
    ("must-not", _("What you must not do"), ("6.4",)),
    ("breaches", _("If the guidelines are not followed"), ("7.1",)),
)


def disclaimer_from(clause) -> str:
    """The statement clause 6.3 asks staff to put on their profile, as the clause words it."""
    match = _QUOTED.search(clause.text if clause else "")
    return match.group(1).strip() if match else ""


@require_GET
def personal_use(request):
    from policy import selectors

    version = selectors.current_version()
    groups, disclaimer = [], ""
    if version is not None:
        document = selectors.policy_document(version)
        for slug, title, numbers in PERSONAL_USE_GROUPS:
            clauses = [document.clause(n) for n in numbers if document.clause(n)]
            if clauses:
                groups.append({"slug": slug, "title": title, "clauses": clauses})
        disclaimer = disclaimer_from(document.clause("6.3"))
    return render(
        request,
        "policy/personal_use.html",
        {"version": version, "groups": groups, "disclaimer": disclaimer},
    )
