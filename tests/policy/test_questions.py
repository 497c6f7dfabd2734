"""Questions to the senior team and frequently asked questions."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from policy import questions, search
from policy.models import FrequentlyAskedQuestion, Question, QuestionStatus
from policy.questions import QuestionError
from redbridge_portal.models import AuditEvent, Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TEXT = "Can I share the school's post about the Year 9 trip on my own Facebook account?"


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def ask(user, text=TEXT):
    return questions.question_ask(actor=user, text=text)[0]


def test_asking_tells_the_senior_team_and_answering_tells_the_asker(
    staff_user, senior_user, second_senior_user
):
    question = ask(staff_user)
    told = Notification.objects.filter(url=question.get_absolute_url())
    assert {n.recipient for n in told} == {senior_user, second_senior_user}
    questions.question_answer(actor=senior_user, question=question, answer="Yes, share it.")
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED and question.answered_by == senior_user
    mine = Notification.objects.get(recipient=staff_user)
    assert mine.subject == "Your question has been answered" and "Yes, share it." in mine.message
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {
        "question.asked",
        "question.answered",
    }


def test_illegal_moves_are_refused(staff_user, senior_user, second_senior_user):
    question = ask(staff_user)
    with pytest.raises(QuestionError):
        questions.question_answer(actor=staff_user, question=question, answer="Me")
    with pytest.raises(QuestionError):
        questions.question_answer(actor=senior_user, question=question, answer="  ")
    with pytest.raises(QuestionError):  # not answered yet
        questions.faq_publish(
            actor=senior_user, question=question, faq_question="q", faq_answer="a"
        )
    questions.question_answer(actor=senior_user, question=question, answer="Yes.")
    with pytest.raises(QuestionError):  # answered once
        questions.question_answer(actor=second_senior_user, question=question, answer="No.")
    with pytest.raises(QuestionError):
        questions.faq_publish(actor=staff_user, question=question, faq_question="q", faq_answer="a")
    questions.faq_publish(actor=senior_user, question=question, faq_question="q", faq_answer="a")
    with pytest.raises(QuestionError):  # published once
        questions.faq_publish(
            actor=senior_user, question=question, faq_question="q", faq_answer="a"
        )
    with pytest.raises(QuestionError):
        questions.question_ask(actor=staff_user, text="\x00 ")


def test_the_same_form_sent_twice_asks_once(staff_user):
    token = uuid.uuid4()
    first, created = questions.question_ask(actor=staff_user, text=TEXT, form_token=token)
    again, created_again = questions.question_ask(actor=staff_user, text=TEXT, form_token=token)
    assert created and not created_again and first == again
    assert Question.objects.count() == 1


def test_only_the_asker_and_the_senior_team_see_a_question(
    staff_user, other_staff_user, senior_user, policy_admin
):
    question = ask(staff_user)
    url = question.get_absolute_url()
    assert client_for(staff_user).get(url).status_code == 200
    assert client_for(senior_user).get(url).status_code == 200
    assert client_for(other_staff_user).get(url).status_code == 404
    assert client_for(policy_admin).get(url).status_code == 404
    other = client_for(other_staff_user)
    answer = other.post(reverse("policy:question_answer", args=[question.pk]), {"answer": "x"})
    assert answer.status_code == 404
    assert "Year 9 trip" not in other.get(reverse("policy:question_list")).content.decode()


def test_an_anonymised_answer_is_published_for_everyone_and_found_by_search(
    staff_user, other_staff_user, senior_user, policy_v1
):
    question = ask(staff_user)
    senior = client_for(senior_user)
    senior.post(reverse("policy:question_answer", args=[question.pk]), {"answer": "Yes."})
    page = senior.get(question.get_absolute_url()).content.decode()
    assert "Publish it for everyone" in page
    empty = senior.post(reverse("policy:question_publish", args=[question.pk]), {})
    assert empty.status_code == 400
    published = senior.post(
        reverse("policy:question_publish", args=[question.pk]),
        {
            "faq_question": "Can I share a school post about a trip on my own account?",
            "faq_answer": "Yes: sharing the school's published posts is welcome.",
        },
    )
    faq = FrequentlyAskedQuestion.objects.get()
    assert published.status_code == 302 and published["Location"] == faq.get_absolute_url()
    listing = client_for(other_staff_user).get(reverse("policy:faq")).content.decode()
    assert "sharing the school&#x27;s published posts is welcome" in listing
    assert str(staff_user) not in listing
    results = search.search_policy("sharing welcome")
    assert [hit.kind for hit in results.hits] == ["faq"]
    assert results.hits[0].url == faq.get_absolute_url()
    assert not [h for h in search.search_policy("zebra crossing").hits if h.kind == "faq"]


def test_the_ask_page_refuses_an_empty_question_and_sends_a_real_one(staff_user):
    staff = client_for(staff_user)
    assert staff.get(reverse("policy:question_create")).status_code == 200
    bad = staff.post(reverse("policy:question_create"), {"text": "   "})
    assert bad.status_code == 400 and "Write your question" in bad.content.decode()
    good = staff.post(reverse("policy:question_create"), {"text": TEXT})
    question = Question.objects.get()
    assert good["Location"] == question.get_absolute_url()
    assert "Waiting for an answer" in staff.get(question.get_absolute_url()).content.decode()


def test_only_members_of_staff_ask_on_the_page_and_in_the_service(senior_user):
    nobody = UserFactory(roles=[])  # an account with no role: not on the staff
    page = client_for(nobody)
    assert page.get(reverse("policy:question_create")).status_code == 403
    assert page.post(reverse("policy:question_create"), {"text": TEXT}).status_code == 403
    with pytest.raises(QuestionError, match="Only members of staff can ask"):
        questions.question_ask(actor=nobody, text=TEXT)
    assert not Question.objects.exists()
    assert not Notification.objects.filter(recipient=senior_user).exists()


def test_question_pages_run_a_fixed_number_of_queries(staff_user, senior_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    senior = client_for(senior_user)
    first = ask(staff_user)

    def count(url):
        with CaptureQueriesContext(connection) as captured:
            assert senior.get(url).status_code == 200
        return len(captured)

    senior.get(reverse("policy:question_list"))
    few = count(reverse("policy:question_list")), count(first.get_absolute_url())
    for n in range(10):
        other = ask(staff_user, text=f"Question {n}")
        questions.question_answer(actor=senior_user, question=other, answer="Yes")
    senior.get(
        reverse("policy:question_list")
        # The change is read in once, as on the user's next visit.
    )
    assert (count(reverse("policy:question_list")), count(first.get_absolute_url())) == few
