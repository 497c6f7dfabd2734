"""The home page's concerns-and-questions panel by role (issue 9)."""

import pytest
from django.test import Client
from django.urls import reverse

from approvals import concerns
from approvals.guidance import guidance_panel_context
from policy import questions
from policy.services import policy_acknowledge
from redbridge_portal.models import User

pytestmark = pytest.mark.django_db


def page_for(user):
    client = Client()
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


def test_staff_see_their_concerns_and_answers(staff_user, senior_user, policy_v1):
    page = page_for(staff_user)
    assert "Raise a concern" in page and "ask the senior team" in page
    assert "For the senior team" not in page and "The policy review" not in page
    concern, _ = concerns.concern_raise(
        actor=staff_user, description="Fake account", urgency="today"
    )
    question, _ = questions.question_ask(actor=staff_user, text="May I post about my class?")
    questions.question_answer(actor=senior_user, question=question, answer="Yes.")
    page = page_for(staff_user)
    assert "Fake account</a>: Waiting for the senior team" in page
    assert "May I post about my class?</a>: <strong>answered</strong>" in page


def test_the_senior_team_sees_open_concerns_and_unanswered_questions(
    staff_user, senior_user, policy_v1
):
    concerns.concern_raise(actor=staff_user, description="Bad review", urgency="urgent")
    questions.question_ask(actor=staff_user, text="Can I?")
    page = page_for(senior_user)
    assert "<strong>1 concern</strong> nobody has taken on, 1 urgent" in page
    assert "<strong>1 question</strong> from staff" in page


def test_policy_admins_see_the_review_and_acknowledgement_progress(
    policy_admin, staff_user, other_staff_user, policy_v1
):
    policy_acknowledge(user=staff_user, version=policy_v1)
    page = page_for(policy_admin)
    assert "<strong>1 of 3 staff</strong> have acknowledged version 1" in page
    assert "Review due by" in page


def test_the_panel_runs_a_fixed_number_of_queries(
    staff_user, senior_user, policy_admin, policy_v1, django_assert_num_queries
):
    for n in range(3):
        concerns.concern_raise(actor=staff_user, description=f"C{n}", urgency="today")
        questions.question_ask(actor=staff_user, text=f"Q{n}")
    expected = {staff_user: 2, senior_user: 4, policy_admin: 6}
    for user, count in expected.items():
        fresh = User.objects.get(pk=user.pk)
        fresh.get_all_permissions()
        with django_assert_num_queries(count):
            guidance_panel_context(fresh)
    for n in range(10):
        concerns.concern_raise(actor=staff_user, description=f"More {n}", urgency="urgent")
    fresh = User.objects.get(pk=senior_user.pk)
    fresh.get_all_permissions()
    with django_assert_num_queries(4):
        guidance_panel_context(fresh)
