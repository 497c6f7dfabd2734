"""Two senior-team members deciding on the same revision at the same moment."""

import threading

import pytest
from django.apps import apps
from django.db import connection

from approvals import services
from approvals.models import Decision
from redbridge_portal.models import AuditEvent, Notification, NotificationKind
from redbridge_portal.roles import sync_role_groups
from tests.approvals.factories import AccountFactory, submitted_post
from tests.factories import SeniorTeamFactory, StaffFactory


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no row locks and lets one writer in at a time, so there is no race to "
    "test; run with DATABASE_URL=postgres://... to check it",
)
@pytest.mark.django_db(transaction=True)
def test_two_decisions_at_once_record_exactly_one():
    # A transactional test starts from an emptied database: make the role groups again.
    sync_role_groups(apps)
    author = StaffFactory()
    first = SeniorTeamFactory(first_name="Priya", last_name="Shah")
    second = SeniorTeamFactory(first_name="Tom", last_name="Bennett")
    post = submitted_post(author, AccountFactory())
    revision_id = post.current_revision_id
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def decide(name, action):
        try:
            start.wait(timeout=10)
            action()
            outcomes[name] = "decided"
        except services.ApprovalError as error:
            outcomes[name] = error.message
        finally:
            connection.close()  # each thread has its own connection; close it

    approve = threading.Thread(
        target=decide,
        args=(
            "approve",
            lambda: services.post_approve(actor=first, post=post, revision_id=revision_id),
        ),
    )
    reject = threading.Thread(
        target=decide,
        args=(
            "reject",
            lambda: services.post_reject(
                actor=second, post=post, comment="Not this one.", revision_id=revision_id
            ),
        ),
    )
    approve.start()
    reject.start()
    approve.join(timeout=30)
    reject.join(timeout=30)

    assert sorted(outcomes) == ["approve", "reject"]
    assert list(outcomes.values()).count("decided") == 1
    loser = next(message for message in outcomes.values() if message != "decided")
    winner = Decision.objects.select_related("decided_by").get()
    assert f"{winner.decided_by} already decided" in loser
    assert Decision.objects.filter(revision_id=revision_id).count() == 1
    decided_events = AuditEvent.objects.filter(
        action__in=["post.approved", "post.rejected"], target_id=str(post.pk)
    )
    assert decided_events.count() == 1
    assert Notification.objects.filter(kind=NotificationKind.POST_DECIDED).count() == 1
    post.refresh_from_db()
    assert post.last_decision == winner
