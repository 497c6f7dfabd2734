import io

import pytest
from django.apps import apps

from approvals.demo import load_demo
from approvals.models import Account, CampaignStatus, Post, PostStatus
from redbridge_portal.models import AuditEvent, Notification
from tests.factories import SeniorTeamFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_people():
    StaffFactory(email="staff@redbridge.example", first_name="Sam", last_name="Patel")
    StaffFactory(email="staff2@redbridge.example", first_name="Jo", last_name="Okafor")
    SeniorTeamFactory(email="senior@redbridge.example", first_name="Priya", last_name="Shah")
    SeniorTeamFactory(email="senior2@redbridge.example", first_name="Tom", last_name="Bennett")


def counts():
    models = [m for m in apps.get_app_config("approvals").get_models()]
    return {m._meta.label: m.objects.count() for m in models} | {
        "audit": AuditEvent.objects.count(),
        "notifications": Notification.objects.count(),
    }


def test_the_demo_has_the_accounts_with_their_real_limits_and_posts_in_every_state(
    demo_people, policy_v1
):
    load_demo(stdout=io.StringIO())
    limits = dict(Account.objects.values_list("platform", "text_limit"))
    assert limits == {"x": 280, "facebook": 63206, "instagram": 2200, "linkedin": 3000}
    statuses = set(Post.objects.values_list("status", flat=True))
    assert statuses >= {
        PostStatus.DRAFT,
        PostStatus.SUBMITTED,
        PostStatus.CHANGES_REQUESTED,
        PostStatus.APPROVED,
        PostStatus.PUBLISHED,
        PostStatus.REJECTED,
    }
    published = Post.objects.get(status=PostStatus.PUBLISHED)
    assert published.last_decision.decided_by.first_name == "Tom"
    assert AuditEvent.objects.filter(action="post.published").count() == 1
    assert Post.objects.filter(media__isnull=False).exists()
    from approvals.models import Campaign

    assert set(Campaign.objects.values_list("status", flat=True)) == {
        CampaignStatus.APPROVED,
        CampaignStatus.PROPOSED,
    }


def test_loading_the_demo_twice_changes_nothing(demo_people, policy_v1):
    load_demo(stdout=io.StringIO())
    first = counts()
    out = io.StringIO()
    load_demo(stdout=out)
    assert counts() == first
    assert "0 created" in out.getvalue()


def test_without_the_demo_people_only_the_accounts_are_made():
    out = io.StringIO()
    load_demo(stdout=out)
    assert Account.objects.count() == 4
    assert Post.objects.count() == 0
    assert "skipped" in out.getvalue()


def test_every_page_opens_for_every_demo_person(client, demo_people, policy_v1):
    """A smoke walk over the demo content: every page answers, none fails."""
    from django.urls import reverse

    from approvals.models import Campaign, PostMedia
    from approvals.selectors import may_see_post
    from redbridge_portal import roles
    from redbridge_portal.models import User

    load_demo(stdout=io.StringIO())
    for_everyone = [
        reverse("approvals:my_posts"),
        reverse("approvals:post_create"),
        reverse("approvals:campaign_list"),
        reverse("approvals:published_log"),
        reverse("approvals:published_log_csv"),
        *(c.get_absolute_url() for c in Campaign.objects.all()),
    ]
    # Edit and record-publication pages answer by the post's state too (a redirect, a refusal):
    # they must never fail, and each must open for someone.
    by_state = [
        reverse(name, args=[post.pk])
        for post in Post.objects.all()
        for name in ("approvals:post_edit", "approvals:post_mark_published")
    ] + [m.get_absolute_url() for m in PostMedia.objects.all()]
    opened = set()
    for person in User.objects.filter(email__endswith="@redbridge.example"):
        client.force_login(person)
        for url in for_everyone:
            assert client.get(url).status_code == 200, (person, url)
        queue = client.get(reverse("approvals:queue")).status_code
        assert queue == (200 if roles.can_decide_posts(person) else 403), person
        for post in Post.objects.all():
            expected = 200 if may_see_post(person, post) else 404
            assert client.get(post.get_absolute_url()).status_code == expected, (person, post)
        for url in by_state:
            status = client.get(url).status_code
            assert status in (200, 302, 403, 404), (person, url, status)
            if status == 200:
                opened.add(url)
    media = {m.get_absolute_url() for m in PostMedia.objects.all()}
    assert media and media <= opened  # every image opens for someone
    assert {"/edit/", "/published/"} <= {
        part for url in opened for part in ("/edit/", "/published/") if part in url
    }
