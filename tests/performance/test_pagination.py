"""Long lists page with a deferred join: the page's ids first (from the index alone), then
only those rows with what the page shows. Page 200 of the queue then costs what page 1 does;
these tests hold that every page still shows the right rows in the right order."""

from __future__ import annotations

import pytest

from approvals import selectors
from approvals.models import Campaign, PostStatus
from tests.approvals.factories import AccountFactory
from tests.performance import builders


@pytest.mark.parametrize("per_page", [1, 7, 25])
def test_every_page_shows_the_rows_of_the_ordered_list(
    db, senior_user, per_page, django_assert_num_queries
):
    authors = builders.people(3)
    builders.posts(
        40,
        status=PostStatus.PUBLISHED,
        authors=authors,
        accounts=[AccountFactory(), AccountFactory()],
        comments=False,
    )
    queryset = selectors.queue(status=PostStatus.PUBLISHED)
    expected = list(queryset.values_list("pk", flat=True))
    shown = []
    number = 1
    while True:
        page = selectors.paginate_capped(queryset, number, per_page=per_page)
        rows = list(page.object_list)
        shown += [post.pk for post in rows]
        # What the page shows was fetched with it (no query per row in the template).
        with django_assert_num_queries(0):
            assert all(post.author.email for post in rows)
        if not page.has_next:
            break
        number += 1
    assert shown == expected


def test_a_page_past_the_end_shows_the_last_page(db):
    builders.posts(30, status=PostStatus.SUBMITTED, authors=builders.people(2), comments=False)
    queryset = selectors.queue()
    page = selectors.paginate_capped(queryset, 99, per_page=25)
    assert page.number == 2
    assert [p.pk for p in page.object_list] == list(queryset.values_list("pk", flat=True))[25:]


def test_annotated_lists_page_too(db, staff_user, senior_user):
    builders.campaigns(30, proposer=staff_user, decider=senior_user)
    queryset = selectors.campaign_list().order_by("-starts_on", "title", "pk")
    page = selectors.paginate_capped(queryset, 2, per_page=25)
    assert [c.pk for c in page.object_list] == list(
        Campaign.objects.order_by("-starts_on", "title", "pk").values_list("pk", flat=True)
    )[25:]
    assert all(c.post_count == 0 for c in page.object_list)
