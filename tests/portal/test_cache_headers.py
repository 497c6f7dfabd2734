"""Signed-in pages are not kept by the browser: Back after signing out on a shared computer
must not show the last page again."""

import pytest
from django.urls import reverse

from tests.approvals.factories import AccountFactory, submitted_post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url_name", ["home", "notifications", "policy:contents", "approvals:my_posts"]
)
def test_signed_in_pages_are_not_stored(staff_client, url_name):
    response = staff_client.get(reverse(url_name))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_post_page_is_not_stored(staff_client, staff_user):
    post = submitted_post(staff_user, AccountFactory())
    response = staff_client.get(post.get_absolute_url())
    assert "no-store" in response["Cache-Control"]


def test_a_refused_page_is_not_stored_either(staff_client):
    response = staff_client.get(reverse("approvals:queue"))
    assert response.status_code == 403
    assert "no-store" in response["Cache-Control"]
