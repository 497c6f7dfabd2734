import io

import pytest
from django.apps import apps
from django.urls import reverse

from approvals.demo import load_demo
from approvals.models import Account, Campaign, CampaignStatus, Post, PostMedia, PostStatus
from redbridge_portal.models import AuditEvent, Notification, User
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


SAM = "staff@redbridge.example"  # staff: wrote the draft, the trees, the concert, the rival
JO = "staff2@redbridge.example"  # staff: wrote the trip, the results, the sports post
PRIYA = "senior@redbridge.example"  # senior team
TOM = "senior2@redbridge.example"  # senior team

# The demo's posts, each named by its author and the state the demo leaves it in.
SAMS_DRAFT = (SAM, PostStatus.DRAFT)
SAMS_WAITING = (SAM, PostStatus.SUBMITTED)  # with a photo
JOS_CHANGES_REQUESTED = (JO, PostStatus.CHANGES_REQUESTED)
SAMS_APPROVED = (SAM, PostStatus.APPROVED)
JOS_PUBLISHED = (JO, PostStatus.PUBLISHED)
SAMS_REJECTED = (SAM, PostStatus.REJECTED)
JOS_WAITING = (JO, PostStatus.SUBMITTED)  # with a photo

# (post page, edit page, record-publication page) for each person and post. 404: not theirs to
# see or change. The edit page sends the author back to the post (302) once it is published or
# rejected; the record-publication page opens only on an approved post, for its author and the
# senior team, and sends anyone else who may record it back to the post.
PAGES = {
    SAM: {
        SAMS_DRAFT: (200, 200, 302),
        SAMS_WAITING: (200, 200, 302),
        JOS_CHANGES_REQUESTED: (404, 404, 404),
        SAMS_APPROVED: (200, 200, 200),
        JOS_PUBLISHED: (200, 404, 404),
        SAMS_REJECTED: (200, 302, 302),
        JOS_WAITING: (404, 404, 404),
    },
    JO: {
        SAMS_DRAFT: (404, 404, 404),
        SAMS_WAITING: (404, 404, 404),
        JOS_CHANGES_REQUESTED: (200, 200, 302),
        SAMS_APPROVED: (404, 404, 404),
        JOS_PUBLISHED: (200, 302, 302),
        SAMS_REJECTED: (404, 404, 404),
        JOS_WAITING: (200, 200, 302),
    },
    **dict.fromkeys(
        (PRIYA, TOM),
        {
            SAMS_DRAFT: (404, 404, 404),  # never sent to them
            SAMS_WAITING: (200, 404, 302),
            JOS_CHANGES_REQUESTED: (200, 404, 302),
            SAMS_APPROVED: (200, 404, 200),
            JOS_PUBLISHED: (200, 404, 302),
            SAMS_REJECTED: (200, 404, 302),
            JOS_WAITING: (200, 404, 302),
        },
    ),
}

# The photos go with their posts: seen by whoever may see the post.
PHOTOS = {
    SAM: {SAMS_WAITING: 200, JOS_WAITING: 404},
    JO: {SAMS_WAITING: 404, JOS_WAITING: 200},
    PRIYA: {SAMS_WAITING: 200, JOS_WAITING: 200},
    TOM: {SAMS_WAITING: 200, JOS_WAITING: 200},
}

QUEUE = {SAM: 403, JO: 403, PRIYA: 200, TOM: 200}


def test_every_page_opens_for_every_demo_person(client, demo_people, policy_v1):
    """A walk over the demo content: every page answers each demo person as their role and
    the post's state say, and none fails."""
    load_demo(stdout=io.StringIO())
    posts = {(post.author.email, post.status): post for post in Post.objects.all()}
    # The tables name every demo person, post and photo, so none is left out of the walk.
    assert len(posts) == Post.objects.count() and set(posts) == set(PAGES[SAM])
    assert set(PAGES) == set(User.objects.values_list("email", flat=True))
    with_photos = {(m.post.author.email, m.post.status) for m in PostMedia.objects.all()}
    assert with_photos == set(PHOTOS[SAM])
    for_everyone = [
        reverse("approvals:my_posts"),
        reverse("approvals:post_create"),
        reverse("approvals:campaign_list"),
        reverse("approvals:published_log"),
        reverse("approvals:published_log_csv"),
        *(c.get_absolute_url() for c in Campaign.objects.all()),
    ]
    for email, pages in PAGES.items():
        client.force_login(User.objects.get(email=email))
        for url in for_everyone:
            assert client.get(url).status_code == 200, (email, url)
        assert client.get(reverse("approvals:queue")).status_code == QUEUE[email], email
        for key, expected in pages.items():
            post = posts[key]
            urls = (
                post.get_absolute_url(),
                reverse("approvals:post_edit", args=[post.pk]),
                reverse("approvals:post_mark_published", args=[post.pk]),
            )
            for url, status in zip(urls, expected, strict=True):
                response = client.get(url)
                assert response.status_code == status, (email, key, url)
                if status == 302:
                    assert response["Location"] == post.get_absolute_url(), (email, key, url)
        for key, status in PHOTOS[email].items():
            (photo,) = PostMedia.objects.filter(post=posts[key])
            assert client.get(photo.get_absolute_url()).status_code == status, (email, key)
