"""`make run`'s demo policy admin can manage people, import the sample staff list and manage
the school's social media accounts."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from redbridge_portal.models import User

pytestmark = pytest.mark.django_db

SAMPLE = Path(settings.BASE_DIR) / "people" / "sample_staff_list.csv"


@pytest.fixture
def demo_admin_client(client):
    call_command("load_demo_data", stdout=io.StringIO())
    client.force_login(User.objects.get(email="policy@redbridge.example"))
    return client


def test_the_demo_policy_admin_reaches_every_page(demo_admin_client):
    for url in ("/people/", "/people/add/", "/people/import/", "/posts/accounts/"):
        assert demo_admin_client.get(url).status_code == 200, url


def test_the_sample_staff_list_previews_three_new_people_and_no_errors(demo_admin_client):
    upload = SimpleUploadedFile("sample.csv", SAMPLE.read_bytes(), content_type="text/csv")

    response = demo_admin_client.post("/people/import/", {"file": upload})
    preview = demo_admin_client.get(response["Location"])

    assert preview.context["counts"] == {
        "new": 3,
        "changed": 0,
        "unchanged": 5,
        "errors": 0,
        "to_close": 0,
    }
