"""The published log joins no more than six tables (PostgreSQL took 40 to 60 ms to plan the
eight-table join it had); who decided comes in a second query. The page and its CSV still
show who approved and who recorded each post, in a fixed number of queries."""

from __future__ import annotations

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals import selectors
from approvals.models import PostStatus
from tests.approvals.factories import AccountFactory
from tests.performance import builders


def _published(count, deciders):
    return builders.posts(
        count,
        status=PostStatus.PUBLISHED,
        authors=builders.people(3),
        accounts=[AccountFactory()],
        deciders=deciders,
        comments=False,
    )


def test_the_log_query_joins_at_most_six_tables(db):
    sql = str(selectors.published_log()[:25].query)
    assert sql.count(" JOIN ") <= 5


def test_the_page_names_who_approved_each_post(client, staff_user):
    deciders = builders.people(2)
    _published(4, deciders)
    client.force_login(staff_user)
    html = client.get(reverse("approvals:published_log")).content.decode()
    for decider in deciders:
        assert str(decider) in html


def test_the_csv_names_who_approved_and_who_recorded(client, staff_user):
    deciders = builders.people(2)
    posts = _published(30, deciders)
    client.force_login(staff_user)
    client.get(reverse("approvals:published_log"))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("approvals:published_log_csv"))
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 31
    by_pk = {row[0]: row for row in rows[1:]}
    for post in posts:
        row = by_pk[str(post.pk)]
        assert row[6] == str(
            deciders[[d.pk for d in deciders].index(post.last_decision.decided_by_id)]
        )
        assert row[8] == str(post.author)  # the builders record the author as publisher
    few = len(captured)
    _published(30, deciders)
    client.get(reverse("approvals:published_log"))  # the new people are read in, as before
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("approvals:published_log_csv"))
        b"".join(response.streaming_content)
    assert len(captured) == few
