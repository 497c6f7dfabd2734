"""The annual review: start, edit, publish; acknowledgements; comparing versions."""

import datetime

import pytest
import time_machine
from django.core import mail

from policy import selectors, services
from policy.diff import compare_documents, word_diff
from policy.models import (
    Acknowledgement,
    Clause,
    ListItem,
    PolicyVersion,
    PolicyVersionStatus,
    Section,
)
from policy.services import PolicyError
from redbridge_portal.models import AuditEvent, Notification, NotificationKind
from tests.factories import StaffFactory
from tests.policy.factories import publish_reviewed

pytestmark = pytest.mark.django_db

REVIEW_DAY = datetime.datetime(2026, 3, 16, 10, tzinfo=datetime.UTC)


def _counts(version):
    return (
        version.sections.count(),
        Clause.objects.filter(version=version).count(),
        ListItem.objects.filter(clause__version=version).count(),
        ListItem.objects.filter(clause__version=version, parent__isnull=False).count(),
        version.principles.count(),
        version.guidelines.count(),
    )


def test_starting_the_review_makes_a_deep_copy(policy_v1, policy_admin):
    draft = services.policy_review_start(actor=policy_admin)
    assert draft.number == 2
    assert draft.status == PolicyVersionStatus.DRAFT
    assert draft.based_on == policy_v1
    assert _counts(draft) == _counts(policy_v1)
    old = selectors.policy_document(policy_v1)
    new = selectors.policy_document(draft)
    assert compare_documents(old, new).changes == []
    # Nested items point at items of the draft, never the published version's.
    copied = ListItem.objects.filter(clause__version=draft, parent__isnull=False)
    assert not copied.exclude(parent__clause__version=draft).exists()
    # Editing the draft leaves the published wording alone.
    clause = Clause.objects.get(version=draft, number="4.4")
    clause.text = "Rewritten."
    clause.save()
    assert Clause.objects.get(version=policy_v1, number="4.4").text.startswith("Any communications")
    assert AuditEvent.objects.filter(action="policy.review_started").count() == 1


def test_only_one_draft_at_a_time(policy_v1, policy_admin):
    services.policy_review_start(actor=policy_admin)
    with pytest.raises(PolicyError, match="already being reviewed"):
        services.policy_review_start(actor=policy_admin)
    assert PolicyVersion.objects.drafts().count() == 1


def test_staff_cannot_run_the_review(policy_v1, staff_user, policy_admin):
    with pytest.raises(PolicyError):
        services.policy_review_start(actor=staff_user)
    draft = services.policy_review_start(actor=policy_admin)
    with pytest.raises(PolicyError):
        publish_reviewed(actor=staff_user, version=draft, change_summary="x")
    with pytest.raises(PolicyError):
        services.policy_review_discard(actor=staff_user, version=draft)
    draft.refresh_from_db()
    assert draft.is_draft


def test_there_is_nothing_to_review_before_the_policy_is_loaded(policy_admin):
    with pytest.raises(PolicyError, match="no published version"):
        services.policy_review_start(actor=policy_admin)


def _edit_draft(draft):
    """Change a nested rule in 4.4, add clause 8.3, remove clause 8.2."""
    item = ListItem.objects.get(
        clause__version=draft, clause__number="4.4", text__startswith="criticising"
    )
    item.text = "criticising or arguing with colleagues, parents, students or competitors or;"
    item.save()
    section = Section.objects.get(version=draft, number="8")
    Clause.objects.create(
        section=section, number="8.3", order=3, text="Policy admins review this policy each year."
    )
    Clause.objects.get(version=draft, number="8.2").delete()


@time_machine.travel(REVIEW_DAY)
def test_a_review_round_trip(
    policy_v1, policy_admin, staff_user, other_staff_user, django_capture_on_commit_callbacks
):
    assert selectors.current_version() == policy_v1  # cached now
    draft = services.policy_review_start(actor=policy_admin)
    _edit_draft(draft)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        published = publish_reviewed(
            actor=policy_admin, version=draft, change_summary="Clause 8.2 moved; 8.3 added"
        )
    assert callbacks  # the notification emails are queued after commit
    assert published.status == PolicyVersionStatus.PUBLISHED
    assert published.last_review_date == datetime.date(2026, 3, 16)
    assert published.next_review_due == datetime.date(2027, 3, 16)
    assert published.published_by == policy_admin
    assert not published.review_overdue()
    policy_v1.refresh_from_db()
    assert policy_v1.status == PolicyVersionStatus.SUPERSEDED
    # The old wording is still there, at its own version.
    assert Clause.objects.filter(version=policy_v1, number="8.2").exists()
    assert selectors.current_version() == published  # the cache was dropped
    event = AuditEvent.objects.get(action="policy.published")
    assert event.target_id == str(published.pk) and event.actor == policy_admin
    notified = Notification.objects.filter(kind=NotificationKind.POLICY_PUBLISHED)
    everyone = {policy_admin, staff_user, other_staff_user, published.signed_off_by}
    assert {n.recipient for n in notified} == everyone
    assert all("version 2" in n.subject for n in notified)
    assert notified.first().url == "/policy/changes/?old=1&new=2"
    # One email each asking to read it (the sign-off's own emails are about the draft).
    asked = [m for m in mail.outbox if "Please read version 2" in m.subject]
    assert len(asked) == len(everyone)

    comparison = compare_documents(
        selectors.policy_document(policy_v1), selectors.policy_document(published)
    )
    by_key = {change.key: change for change in comparison.changes}
    assert set(by_key) == {"clause:4.4", "clause:8.2", "clause:8.3"}
    assert by_key["clause:8.2"].status == "removed"
    assert by_key["clause:8.3"].status == "added"
    changed = by_key["clause:4.4"]
    assert changed.status == "changed"
    # "colleagues, parents or competitors" -> "colleagues, parents, students or competitors"
    assert [s.text for s in changed.segments if s.op == "delete"] == ["parents"]
    assert [s.text for s in changed.segments if s.op == "insert"] == ["parents, students"]
    assert "criticising or arguing with colleagues, " in "".join(
        s.text for s in changed.segments if s.op == "equal"
    )
    assert comparison.unchanged_count > 20


@time_machine.travel(datetime.datetime(2026, 1, 31, 10, tzinfo=datetime.UTC))
def test_the_review_period_comes_from_the_settings(policy_v1, policy_admin, settings):
    settings.POLICY_REVIEW_PERIOD_MONTHS = 1
    draft = services.policy_review_start(actor=policy_admin)
    published = publish_reviewed(actor=policy_admin, version=draft, change_summary="No changes.")
    assert published.next_review_due == datetime.date(2026, 2, 28)


def test_publishing_needs_a_summary_and_a_draft(policy_v1, policy_admin):
    draft = services.policy_review_start(actor=policy_admin)
    with pytest.raises(PolicyError, match="summary"):
        publish_reviewed(actor=policy_admin, version=draft, change_summary="  ")
    with pytest.raises(PolicyError, match="already been published"):
        services.policy_version_publish(actor=policy_admin, version=policy_v1)
    publish_reviewed(actor=policy_admin, version=draft, change_summary="Done.")
    with pytest.raises(PolicyError, match="already been published"):
        services.policy_version_publish(actor=policy_admin, version=draft)


def test_an_empty_draft_cannot_be_published(policy_v1, policy_admin):
    draft = services.policy_review_start(actor=policy_admin)
    Section.objects.filter(version=draft).delete()
    with pytest.raises(PolicyError, match="at least one section"):
        publish_reviewed(actor=policy_admin, version=draft, change_summary="x")


def test_a_superseded_version_cannot_be_published_again(policy_v1, policy_admin):
    draft = services.policy_review_start(actor=policy_admin)
    publish_reviewed(actor=policy_admin, version=draft, change_summary="x")
    policy_v1.refresh_from_db()
    with pytest.raises(PolicyError):
        publish_reviewed(actor=policy_admin, version=policy_v1, change_summary="x")


def test_discarding_the_draft(policy_v1, policy_admin):
    draft = services.policy_review_start(actor=policy_admin)
    services.policy_review_discard(actor=policy_admin, version=draft)
    assert not PolicyVersion.objects.drafts().exists()
    assert _counts(policy_v1)[1] == 17
    with pytest.raises(PolicyError, match="Only a draft"):
        services.policy_review_discard(actor=policy_admin, version=policy_v1)
    # A new review can start again, with the next free number.
    assert services.policy_review_start(actor=policy_admin).number == 2


def test_acknowledging_is_idempotent(policy_v1, staff_user):
    first = services.policy_acknowledge(user=staff_user, version=policy_v1)
    again = services.policy_acknowledge(user=staff_user, version=policy_v1)
    assert first.pk == again.pk
    assert first.acknowledged_at == again.acknowledged_at
    assert Acknowledgement.objects.count() == 1


def test_only_the_current_version_can_be_acknowledged(policy_v1, policy_admin, staff_user):
    draft = services.policy_review_start(actor=policy_admin)
    with pytest.raises(PolicyError):
        services.policy_acknowledge(user=staff_user, version=draft)
    publish_reviewed(actor=policy_admin, version=draft, change_summary="x")
    policy_v1.refresh_from_db()
    with pytest.raises(PolicyError, match="not the current policy"):
        services.policy_acknowledge(user=staff_user, version=policy_v1)
    assert not Acknowledgement.objects.exists()


def test_the_acknowledgement_report_lists_everyone(policy_v1, staff_user, other_staff_user):
    services.policy_acknowledge(user=staff_user, version=policy_v1)
    StaffFactory(is_active=False)
    rows = selectors.acknowledgement_report(policy_v1)
    assert [(row.user, bool(row.acknowledged_at)) for row in rows] == [
        (other_staff_user, False),
        (staff_user, True),
    ]


def test_clauses_by_number_gives_the_current_wording(policy_v1):
    found = selectors.clauses_by_number(["4.4", "9.9", "1.1", "4.4"])
    assert list(found) == ["4.4", "1.1"]
    assert found["4.4"].section.title == "Use of social media"
    assert len(found["4.4"].item_tree) == 5


def test_current_version_is_none_before_loading_and_then_the_published_one(
    db, policy_admin, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert selectors.current_version() is None
    services.policy_load_from_file()
    assert selectors.current_version().number == 1
    draft = services.policy_review_start(actor=policy_admin)
    assert selectors.current_version().number == 1  # a draft is not the current version
    publish_reviewed(actor=policy_admin, version=draft, change_summary="New.")
    with django_assert_num_queries(1):
        assert selectors.current_version() == draft


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("a b c", "a b c", [("equal", "a b c")]),
        ("a b c", "a x c", [("equal", "a "), ("delete", "b"), ("insert", "x"), ("equal", " c")]),
        ("", "new", [("insert", "new")]),
    ],
)
def test_word_diff(old, new, expected):
    assert [(s.op, s.text) for s in word_diff(old, new)] == expected


def test_add_months_keeps_the_day_or_the_end_of_the_month():
    assert services.add_months(datetime.date(2026, 3, 16), 12) == datetime.date(2027, 3, 16)
    assert services.add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert services.add_months(datetime.date(2026, 11, 30), 3) == datetime.date(2027, 2, 28)
