"""Every page the benchmark (bench/) loads runs a fixed number of queries: the same with a few
rows as with many, and the number pinned here, so a regression (a query per row, a lost
select_related) fails the build.

Counted as a signed-in user who has been on the page before meets it, for the whole request:
who is signed in is looked up on every request (the session, the user and their permissions,
the unread count), never kept between requests, so that a role removed or an account closed
takes effect at once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from approvals import services as approval_services
from approvals.models import PostStatus
from policy import services as policy_services
from policy.services import policy_load_from_file
from tests.approvals.factories import ALL_CONFIRMED, AccountFactory, content, submitted_post
from tests.factories import StaffFactory
from tests.performance import builders
from tests.policy.factories import publish_reviewed

FEW, MANY = 3, 60

# Queries per request, whatever the data. Every signed-in request starts with the session, the
# user, their permissions and the unread count in the navigation (SIGNED_IN); the page's own
# come on top. The user's own and their groups' permissions are one query
# (redbridge_portal.backends.PortalModelBackend), not ModelBackend's two.
SIGNED_IN = 4
# Outside the senior team, the navigation also asks whether the person looks after one of the
# school's accounts (they may then read the content calendar).
STAFF_SIGNED_IN = SIGNED_IN + 1
EXPECTED = {
    # The current version and the user's latest acknowledgement; the policy's text is cached
    # per published version.
    "policy_contents": STAFF_SIGNED_IN + 2,
    "clause_permalink": STAFF_SIGNED_IN + 1,
    # The current version, the search words (read for each search, so a change is used at once
    # by every process), one full-text query each for clauses, list items, principles and
    # guidelines, and the published FAQs.
    "policy_search": STAFF_SIGNED_IN + 7,
    # The campaigns waiting, and the page: a capped count and its rows; the school closures
    # since the oldest wait on the page (waiting is counted in school hours); the filter's
    # choices (accounts, campaigns).
    "queue_first_page": SIGNED_IN + 6,
    "queue_filtered": SIGNED_IN + 7,  # + the chosen account, checked by the form
    "queue_author_search": SIGNED_IN + 6,  # the typed author is matched in the rows' queries
    "queue_deep_page": SIGNED_IN + 6,
    # The post, its current images, its revisions (with their images), decisions, comments,
    # and the pre-screen lists.
    "post_long_timeline": SIGNED_IN + 8,
    "my_posts": STAFF_SIGNED_IN + 2,  # a capped count and the page's rows
    "published_log": STAFF_SIGNED_IN + 4,  # + the account filter's choices
    "login_page": 0,
}


def page_queries(
    client, url: str, data: dict | None = None, *, warm_data: dict | None = None
) -> tuple[int, list[str]]:
    """The queries of a request for the page by a signed-in user who has been here before.
    `warm_data`: what to ask for on the first visit, when `data` must be asked for the first
    time to be counted (a search, whose results are cached per published version)."""
    client.get(url, warm_data or data or {})  # signs the session's refresh time
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data or {})
    assert response.status_code == 200, (url, response.status_code)
    return len(captured), [query["sql"] for query in captured.captured_queries]


def url_name(url: str) -> str:
    return resolve(url).url_name


def assert_pinned(name: str, few: tuple[int, list[str]], many: tuple[int, list[str]]) -> None:
    few_count, few_sql = few
    many_count, many_sql = many
    assert many_count == few_count, (
        f"{name}: {few_count} queries with {FEW} rows but {many_count} with {MANY}:\n"
        + "\n".join(many_sql)
    )
    assert few_count == EXPECTED[name], (
        f"{name}: {few_count} queries, pinned at {EXPECTED[name]}:\n" + "\n".join(few_sql)
    )


# --- The policy ---------------------------------------------------------------------------------


def _publish_reviews(admin, count: int) -> None:
    for number in range(count):
        draft = policy_services.policy_review_start(actor=admin)
        publish_reviewed(actor=admin, version=draft, change_summary=f"Review {number}.")


def _policy_with_history(admin) -> None:
    """More versions, and many staff who acknowledged them."""
    _publish_reviews(admin, 2)
    from policy.models import Acknowledgement
    from policy.selectors import current_version

    version = current_version()
    Acknowledgement.objects.bulk_create(
        Acknowledgement(user=user, version=version) for user in builders.people(MANY)
    )


@pytest.mark.parametrize(
    ("name", "url", "data", "warm_data"),
    [
        ("policy_contents", "/policy/", None, None),
        ("clause_permalink", "/policy/clause/4.4/", None, None),
        # A search nobody has made yet (its results are then kept, and the repeat costs none).
        ("policy_search", "/policy/search/", {"q": "confidential information"}, {"q": "senior"}),
    ],
)
def test_policy_pages(client, staff_user, policy_admin, name, url, data, warm_data):
    policy_load_from_file()
    client.force_login(staff_user)
    few = page_queries(client, url, data, warm_data=warm_data)
    _policy_with_history(policy_admin)  # new versions: the search is new again
    builders.notifications(staff_user, MANY)
    many = page_queries(client, url, data, warm_data=warm_data)
    assert_pinned(name, few, many)


# --- The senior team's queue ----------------------------------------------------------------


def _queue_rows(count: int, status: str, senior, account=None):
    authors = builders.people(min(count, 6))
    accounts = [account] if account else [AccountFactory() for _ in range(min(count, 4))]
    campaign_list = builders.campaigns(min(count, 5), proposer=authors[0], decider=senior)
    return builders.posts(
        count,
        status=status,
        authors=authors,
        accounts=accounts,
        campaign_list=campaign_list,
    )


def test_queue_first_page(client, senior_user, second_senior_user):
    client.force_login(senior_user)
    _queue_rows(FEW, PostStatus.SUBMITTED, second_senior_user)
    few = page_queries(client, reverse("approvals:queue"))
    _queue_rows(MANY, PostStatus.SUBMITTED, second_senior_user)
    builders.notifications(senior_user, MANY)
    many = page_queries(client, reverse("approvals:queue"))
    assert_pinned("queue_first_page", few, many)


def test_queue_filtered(client, senior_user, second_senior_user):
    client.force_login(senior_user)
    account = AccountFactory()
    filters = {"status": PostStatus.PUBLISHED, "account": account.pk}
    _queue_rows(FEW, PostStatus.PUBLISHED, second_senior_user, account=account)
    few = page_queries(client, reverse("approvals:queue"), filters)
    _queue_rows(MANY, PostStatus.PUBLISHED, second_senior_user, account=account)
    many = page_queries(client, reverse("approvals:queue"), filters)
    assert_pinned("queue_filtered", few, many)


def test_queue_author_search(client, senior_user, second_senior_user):
    client.force_login(senior_user)
    jo = StaffFactory(first_name="Jo", last_name="Bloggs", email="jo.bloggs@redbridge.example")
    filters = {"author": "jo blog"}

    def rows(count):
        builders.posts(
            count,
            status=PostStatus.SUBMITTED,
            authors=[jo, *builders.people(2)],
            deciders=[second_senior_user],
        )

    rows(FEW)
    few = page_queries(client, reverse("approvals:queue"), filters)
    rows(MANY)
    many = page_queries(client, reverse("approvals:queue"), filters)
    assert_pinned("queue_author_search", few, many)


def test_queue_deep_page(client, senior_user, second_senior_user):
    """A page far into a long list costs what the first page of a short one does."""
    client.force_login(senior_user)
    _queue_rows(FEW, PostStatus.PUBLISHED, second_senior_user)
    few = page_queries(client, reverse("approvals:queue"), {"status": PostStatus.PUBLISHED})
    _queue_rows(MANY, PostStatus.PUBLISHED, second_senior_user)
    many = page_queries(
        client, reverse("approvals:queue"), {"status": PostStatus.PUBLISHED, "page": 3}
    )
    assert_pinned("queue_deep_page", few, many)


# --- A post, my posts, the published log ---------------------------------------------------


def test_post_page_with_a_long_timeline(client, staff_user, senior_user, policy_admin):
    policy_load_from_file()
    account = AccountFactory()
    post = submitted_post(staff_user, account, text="Version 1")
    client.force_login(senior_user)
    few = page_queries(client, post.get_absolute_url())
    for n in range(2, 12):
        approval_services.post_comment(
            actor=senior_user, post=post, body=f"Round {n}", clauses=["4.4"]
        )
        approval_services.post_request_changes(
            actor=senior_user, post=post, comment=f"Change round {n}"
        )
        post.refresh_from_db()
        approval_services.post_update(
            actor=staff_user,
            post=post,
            content=content(
                account, text=f"Version {n} of the post about the trees.", purpose=post.purpose
            ),
            new_media=[],
            remove_media_ids=[],
            submit=True,
            self_check=ALL_CONFIRMED,
        )
        post.refresh_from_db()
    many = page_queries(client, post.get_absolute_url())
    assert post.revisions.count() == 11
    assert_pinned("post_long_timeline", few, many)


@pytest.mark.parametrize("status", ["", PostStatus.PUBLISHED])
def test_my_posts(client, staff_user, senior_user, status):
    client.force_login(staff_user)
    account = AccountFactory()
    for state in (PostStatus.DRAFT, PostStatus.SUBMITTED, PostStatus.PUBLISHED):
        builders.posts(1, status=state, authors=[staff_user], accounts=[account])
    data = {"status": status} if status else None
    few = page_queries(client, reverse("approvals:my_posts"), data)
    campaign_list = builders.campaigns(5, proposer=staff_user, decider=senior_user)
    accounts = [AccountFactory() for _ in range(4)]
    for state in (PostStatus.DRAFT, PostStatus.CHANGES_REQUESTED, PostStatus.PUBLISHED):
        builders.posts(
            MANY // 3,
            status=state,
            authors=[staff_user],
            accounts=accounts,
            campaign_list=campaign_list,
            deciders=builders.people(3),
        )
    many = page_queries(client, reverse("approvals:my_posts"), data)
    assert_pinned("my_posts", few, many)


def test_published_log(client, staff_user, senior_user):
    client.force_login(staff_user)
    builders.posts(FEW, status=PostStatus.PUBLISHED, authors=[staff_user])
    few = page_queries(client, reverse("approvals:published_log"))
    campaign_list = builders.campaigns(5, proposer=staff_user, decider=senior_user)
    builders.posts(
        MANY,
        status=PostStatus.PUBLISHED,
        authors=builders.people(6),
        accounts=[AccountFactory() for _ in range(4)],
        campaign_list=campaign_list,
        deciders=builders.people(3),
    )
    many = page_queries(client, reverse("approvals:published_log"))
    assert_pinned("published_log", few, many)


def test_login_page(client, db):
    StaffFactory()
    few = page_queries(client, reverse("login"))
    builders.people(MANY)
    many = page_queries(client, reverse("login"))
    assert_pinned("login_page", few, many)
