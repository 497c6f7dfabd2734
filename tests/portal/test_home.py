import pytest
from django.urls import reverse

from policy.services import policy_acknowledge, policy_load_from_file
from tests.approvals.factories import AccountFactory, submitted_post

pytestmark = pytest.mark.django_db


def test_staff_are_asked_to_read_the_policy_until_they_acknowledge_it(staff_client, staff_user):
    version, _ = policy_load_from_file()
    page = staff_client.get(reverse("home")).content.decode()
    assert "Read and acknowledge version 1" in page
    policy_acknowledge(user=staff_user, version=version)
    after = staff_client.get(reverse("home")).content.decode()
    assert "Read and acknowledge" not in after
    assert "You have acknowledged version 1" in after


def test_the_senior_team_sees_what_waits_in_the_queue(senior_client, staff_user):
    policy_load_from_file()
    submitted_post(staff_user, AccountFactory(name="X"))
    page = senior_client.get(reverse("home")).content.decode()
    assert reverse("approvals:queue") in page


def test_the_home_page_runs_a_fixed_number_of_queries(
    senior_client, staff_user, django_assert_max_num_queries
):
    policy_load_from_file()
    account = AccountFactory(name="X")
    submitted_post(staff_user, account)
    senior_client.get(reverse("home"))
    with django_assert_max_num_queries(14) as few:
        senior_client.get(reverse("home"))
    few_count = len(few.captured_queries)  # (the next request empties the log)
    for _ in range(10):
        submitted_post(staff_user, account)
    # The change is read in once, as on the user's next visit.
    senior_client.get(reverse("home"))
    with django_assert_max_num_queries(few_count):
        senior_client.get(reverse("home"))
