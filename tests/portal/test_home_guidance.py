"""The home page's concerns-and-questions panel by role."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from concerns import services as concerns
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


def test_the_home_page_runs_a_fixed_number_of_queries_for_each_role(
    staff_user, senior_user, policy_admin, policy_v1
):
    def queries(user) -> int:
        client = Client()
        client.force_login(user)
        client.get(reverse("home"))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("home")).status_code == 200
        return len(captured)

    for n in range(3):
        concerns.concern_raise(actor=staff_user, description=f"C{n}", urgency="today")
        questions.question_ask(actor=staff_user, text=f"Q{n}")
    people = (staff_user, senior_user, policy_admin)
    few = {user: queries(user) for user in people}
    for n in range(10):
        concerns.concern_raise(actor=staff_user, description=f"More {n}", urgency="urgent")
        questions.question_ask(actor=staff_user, text=f"More {n}")
        policy_acknowledge(
            user=User.objects.create_user(f"extra{n}@example.org"), version=policy_v1
        )
    assert {user: queries(user) for user in people} == few
    # The senior team's and policy admins' panels add their own few queries, no more.
    assert few[staff_user] < few[senior_user] <= few[staff_user] + 8
    assert few[staff_user] < few[policy_admin] <= few[staff_user] + 8
