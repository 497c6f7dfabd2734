"""Questions to the senior team ("When in doubt, ask") and the frequently asked questions
published from their answers.

A question is seen by its asker and the senior team only. Answering notifies the asker; an
answer can then be published, reworded so nobody can be identified, for everyone to read, and
the policy search finds it. Status changes happen only here, in a locked transaction with an
audit row.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from policy.models import (
    FrequentlyAskedQuestion,
    Question,
    QuestionStatus,
)
from redbridge_portal import roles
from redbridge_portal.actions import ActionRefused, create_once, written
from redbridge_portal.models import NotificationKind
from redbridge_portal.services import audit_record, notify, senior_team_except

KIND_ASKED = NotificationKind.QUESTION_ASKED
KIND_ANSWERED = NotificationKind.QUESTION_ANSWERED


class QuestionError(ActionRefused):
    """A refused action on a question, with a message a user can read."""


# --- Reads -----------------------------------------------------------------------------------


def visible_questions(user) -> QuerySet[Question]:
    """The senior team see every question; anyone else only those they asked."""
    return roles.senior_team_or_own(user, Question.objects.all(), "asker")


def question_for_page(user, pk: int) -> Question | None:
    return (
        visible_questions(user).select_related("asker", "answered_by", "faq").filter(pk=pk).first()
    )


def question_lists(user) -> dict:
    """The questions page: whether the person is on the senior team, the questions they may
    see that wait for an answer, and the latest answered ones. One query."""
    asked = list(
        visible_questions(user).select_related("asker", "answered_by").order_by("-created_at")[:200]
    )
    return {
        "is_senior": roles.is_senior_team(user),
        "waiting": [q for q in asked if q.status == QuestionStatus.ASKED],
        "answered": [q for q in asked if q.status == QuestionStatus.ANSWERED][:50],
    }


# Answered questions stay on the asker's home panel this long, so they see the answer.
RECENT_DAYS = 14


def home_panel_context(user) -> dict:
    """The home page's questions: the person's own (waiting, or answered lately) and, for the
    senior team, how many wait and since when. One query, two for the senior team."""
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    context = {
        "guidance_my_questions": list(
            Question.objects.filter(asker=user)
            .filter(Q(status=QuestionStatus.ASKED) | Q(answered_at__gte=since))
            .order_by("-created_at")[:5]
        ),
    }
    if roles.is_senior_team(user):
        context["guidance_questions"] = Question.objects.filter(
            status=QuestionStatus.ASKED
        ).aggregate(count=Count("pk"), oldest=Min("created_at"))
    return context


def faqs() -> list[dict]:
    """Every published FAQ as plain data (the policy search reads it on each search)."""
    return list(
        FrequentlyAskedQuestion.objects.order_by("-published_at", "-id").values(
            "pk", "question", "answer", "published_at"
        )
    )


# --- Actions ---------------------------------------------------------------------------------


def question_ask(*, actor, text: str, form_token: uuid.UUID | None = None) -> tuple[Question, bool]:
    """Record a question and tell the senior team. Returns (question, created)."""
    text = written(text, or_refuse=QuestionError(_("Write your question.")))
    if not roles.is_staff_member(actor):
        raise QuestionError(_("Only members of staff can ask the senior team a question."))

    def ask() -> Question:
        question = Question.objects.create(asker=actor, text=text, form_token=form_token)
        audit_record(actor=actor, action="question.asked", target=question)
        notify(
            recipients=senior_team_except(actor),
            kind=KIND_ASKED,
            subject=_("A question for the senior team"),
            message=_(
                "%(person)s asked: %(text)s\nPlease answer it in the portal; they will be told."
            )
            % {"person": actor, "text": text[:300] + ("…" if len(text) > 300 else "")},
            url=question.get_absolute_url(),
            key=f"question:{question.pk}:asked",
        )
        return question

    return create_once(
        Question, owner_field="asker", owner=actor, form_token=form_token, create=ask
    )


def question_answer(*, actor, question: Question | int, answer: str) -> Question:
    """A senior-team member answers; the asker is told."""
    answer = written(answer, or_refuse=QuestionError(_("Write the answer.")))
    with transaction.atomic():
        pk = question if isinstance(question, int) else question.pk
        locked = Question.objects.select_for_update().select_related("asker").get(pk=pk)
        if not roles.may_answer_question(actor, locked):
            if not roles.is_senior_team(actor):
                raise QuestionError(_("Only the senior team can answer questions."))
            raise QuestionError(_("This question has already been answered."))
        locked.status = QuestionStatus.ANSWERED
        locked.answer = answer
        locked.answered_by = actor
        locked.answered_at = timezone.now()
        locked.save(update_fields=["status", "answer", "answered_by", "answered_at"])
        audit_record(actor=actor, action="question.answered", target=locked)
        notify(
            recipients=[locked.asker],
            kind=KIND_ANSWERED,
            subject=_("Your question has been answered"),
            message=_("%(person)s answered your question.\n%(answer)s")
            % {"person": actor, "answer": answer[:1000]},
            url=locked.get_absolute_url(),
        )
    return locked


def faq_publish(
    *, actor, question: Question | int, faq_question: str, faq_answer: str
) -> FrequentlyAskedQuestion:
    """Publish an answered question for everyone, in the (anonymised) words given. Once only."""
    refusal = QuestionError(_("Write the question and the answer as everyone will read them."))
    faq_question = written(faq_question, or_refuse=refusal)
    faq_answer = written(faq_answer, or_refuse=refusal)
    with transaction.atomic():
        pk = question if isinstance(question, int) else question.pk
        locked = Question.objects.select_for_update().get(pk=pk)
        if not roles.may_publish_answer(actor, locked):
            if not roles.is_senior_team(actor):
                raise QuestionError(_("Only the senior team can publish answers."))
            if locked.status != QuestionStatus.ANSWERED:
                raise QuestionError(_("Answer the question before publishing it."))
            raise QuestionError(_("This answer is already published."))
        faq = FrequentlyAskedQuestion.objects.create(
            question=faq_question, answer=faq_answer, source=locked, published_by=actor
        )
        audit_record(actor=actor, action="question.published_as_faq", target=faq)
    return faq
