"""The guidance pages: the pre-screen lists (policy admins), questions to the senior team
and the frequently asked questions. A question is seen by its asker and the senior team only;
anyone else gets 404."""

from __future__ import annotations

import re
import uuid

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import FormView

from policy import questions
from policy.guidance_forms import AnswerForm, FaqPublishForm, QuestionForm, ScreeningListsForm
from policy.models import QuestionStatus
from policy.questions import QuestionError
from policy.screening import ScreeningListError, screening_lists, screening_lists_replace
from policy.views import PolicyManagerRequiredMixin
from redbridge_portal import roles
from redbridge_portal.actions import run_action


class ScreeningListsView(PolicyManagerRequiredMixin, FormView):
    template_name = "policy/screening_lists.html"
    form_class = ScreeningListsForm

    def get_initial(self):
        terms, domains = screening_lists()
        return {"terms": "\n".join(terms), "domains": "\n".join(domains)}

    def form_valid(self, form):
        try:
            screening_lists_replace(
                actor=self.request.user,
                terms=form.cleaned_data["terms"],
                domains=form.cleaned_data["domains"],
            )
        except ScreeningListError as error:
            messages.error(self.request, error.message)
            return redirect("policy:screening_lists")
        messages.success(self.request, _("The pre-screen lists were saved."))
        return redirect("policy:screening_lists")


# --- Questions ---------------------------------------------------------------------------------


def _question_or_404(request, pk):
    question = questions.question_for_page(request.user, pk)
    if question is None:
        raise Http404(_("No such question, or it is not yours to see."))
    return question


@require_GET
def question_list(request):
    is_senior = roles.is_senior_team(request.user)
    items = list(questions.question_list(request.user)[:200])
    return render(
        request,
        "policy/question_list.html",
        {
            "is_senior": is_senior,
            "waiting": [q for q in items if q.status == QuestionStatus.ASKED],
            "answered": [q for q in items if q.status == QuestionStatus.ANSWERED][:50],
        },
    )


def question_create(request):
    status = 200
    if request.method == "POST":
        form = QuestionForm(request.POST)
        if form.is_valid():
            try:
                question, created = questions.question_ask(
                    actor=request.user,
                    text=form.cleaned_data["text"],
                    form_token=form.cleaned_data.get("form_token"),
                )
            except QuestionError as error:
                form.add_error(None, error.message)
            else:
                if created:
                    messages.success(
                        request, _("Your question was sent. You will be told when it is answered.")
                    )
                return redirect(question.get_absolute_url())
        messages.error(request, _("Your question was not sent. Check the problems listed."))
        status = 400
    else:
        form = QuestionForm(initial={"form_token": uuid.uuid4()})
    return render(request, "policy/question_form.html", {"form": form}, status=status)


def _question_page(request, question, *, status=200, **forms):
    context = {
        "question": question,
        "is_senior": roles.is_senior_team(request.user),
        "can_answer": roles.may_answer_question(request.user, question),
        "can_publish": roles.may_publish_answer(request.user, question),
        "answer_form": forms.get("answer_form") or AnswerForm(),
        "publish_form": forms.get("publish_form")
        or FaqPublishForm(initial={"faq_question": question.text, "faq_answer": question.answer}),
    }
    return render(request, "policy/question_detail.html", context, status=status)


@require_GET
def question_detail(request, pk):
    return _question_page(request, _question_or_404(request, pk))


@require_POST
def question_answer(request, pk):
    question = _question_or_404(request, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The answer was not sent. Check the problems listed."))
        return _question_page(request, question, status=400, answer_form=form)
    return run_action(
        request,
        lambda: questions.question_answer(
            actor=request.user, question=question, answer=form.cleaned_data["answer"]
        ),
        success=_("Your answer was sent to the person who asked."),
        then=question.get_absolute_url(),
    )


@require_POST
def question_publish(request, pk):
    question = _question_or_404(request, pk)
    form = FaqPublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was published. Check the problems listed."))
        return _question_page(request, question, status=400, publish_form=form)
    try:
        faq = questions.faq_publish(
            actor=request.user,
            question=question,
            faq_question=form.cleaned_data["faq_question"],
            faq_answer=form.cleaned_data["faq_answer"],
        )
    except QuestionError as error:
        messages.error(request, error.message)
        return redirect(question.get_absolute_url())
    messages.success(request, _("The answer is published in the frequently asked questions."))
    return redirect(faq.get_absolute_url())


@require_GET
def faq(request):
    return render(request, "policy/faq.html", {"faqs": questions.faqs()})


# --- Personal use (section 6, clause 6.3) -----------------------------------------------------

_QUOTED = re.compile(r"[\"“]([^\"”]{10,400})[\"”]")

# How the page groups the policy's own clauses; the wording always comes from the current
# version, so a change at the annual review shows here at once.
PERSONAL_USE_GROUPS = (
    ("about", gettext_lazy("Your personal accounts and the school"), ("6.1",)),
    ("may", gettext_lazy("What you may do"), ("6.2", "6.3")),
    ("must-not", gettext_lazy("What you must not do"), ("6.4",)),
    ("breaches", gettext_lazy("If the guidelines are not followed"), ("7.1",)),
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
