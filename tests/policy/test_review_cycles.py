"""Clause 8.1: review deadlines are recorded per cycle and their reminders go out on time,
exactly once."""

from datetime import date

import pytest
import time_machine
from django.core import mail

from policy import reminders, services
from policy.models import ReviewCycle
from policy.tasks import send_review_reminders
from redbridge_portal.models import Notification, NotificationKind
from tests.factories import PolicyAdminFactory
from tests.policy.factories import publish_reviewed

pytestmark = pytest.mark.django_db


def publish_new_version(actor, on: str):
    with time_machine.travel(on, tick=False):
        draft = services.policy_review_start(actor=actor)
        return publish_reviewed(actor=actor, version=draft, change_summary="Reviewed; no changes.")


def test_loading_the_policy_opens_a_review_cycle_due_on_its_review_date(policy_v1):
    cycle = ReviewCycle.objects.get()
    assert cycle.version == policy_v1
    assert cycle.due_on == date(2023, 9, 30)
    assert cycle.is_open


def test_publishing_completes_the_open_cycle_late_and_opens_the_next(policy_v1, policy_admin):
    version2 = publish_new_version(policy_admin, "2026-11-24 10:00 +0000")
    first, second = ReviewCycle.objects.order_by("due_on")
    assert (first.completed_on, first.completed_by_version) == (date(2026, 11, 24), version2)
    assert first.on_time is False
    assert second.version == version2
    assert second.due_on == date(2027, 11, 24)
    assert second.is_open

    version3 = publish_new_version(policy_admin, "2027-09-01 10:00 +0000")
    second.refresh_from_db()
    assert second.on_time is True
    assert second.completed_by_version == version3


@pytest.mark.parametrize(
    ("today", "stage"),
    [
        (date(2027, 7, 1), None),
        (date(2027, 8, 1), "before-60"),
        (date(2027, 8, 30), "before-60"),
        (date(2027, 8, 31), "before-30"),
        (date(2027, 9, 1), "before-30"),
        (date(2027, 9, 23), "before-7"),
        (date(2027, 9, 29), "before-7"),
        (date(2027, 9, 30), "due"),
        (date(2027, 10, 6), "due"),
        (date(2027, 10, 7), "overdue-week-1"),
        (date(2027, 10, 14), "overdue-week-2"),
    ],
)
def test_the_reminder_stage_for_each_day(today, stage):
    assert reminders.reminder_stage(date(2027, 9, 30), today) == stage


def test_reminders_go_to_the_policy_admins_and_the_person_responsible_once_per_stage(
    policy_admin, django_capture_on_commit_callbacks
):
    # The person responsible in the school's file is Alex Hoyle; the policy_admin fixture is
    # Alex Hoyle too, so add a second admin to see both kinds of recipient.
    other_admin = PolicyAdminFactory()
    admin = policy_admin
    services.policy_load_from_file()
    sent_on = []
    with django_capture_on_commit_callbacks(execute=True):
        for day in (
            "2023-07-31",
            "2023-08-01",
            "2023-08-02",
            "2023-09-23",
            "2023-09-30",
            "2023-10-06",
            "2023-10-07",
            "2023-10-08",
            "2023-10-14",
        ):
            with time_machine.travel(f"{day} 07:00 +0100", tick=False):
                if send_review_reminders():
                    sent_on.append(day)
    assert sent_on == ["2023-08-01", "2023-09-23", "2023-09-30", "2023-10-07", "2023-10-14"]
    subjects = [m.subject for m in mail.outbox if m.to == [admin.email]]
    assert subjects[0] == "The Social Media Policy review is due in 60 days"
    assert subjects[-1] == "Overdue: the Social Media Policy review was due on 30 September 2023"
    assert {m.to[0] for m in mail.outbox} == {admin.email, other_admin.email}
    # Alex Hoyle is both a policy admin and the person responsible: told once, not twice.
    assert (
        Notification.objects.filter(recipient=admin, kind=NotificationKind.POLICY_REVIEW).count()
        == 5
    )


def test_a_missed_fortnight_sends_only_the_most_urgent_reminder(policy_v1, policy_admin):
    assert reminders.send_review_reminders(today=date(2023, 9, 25)) is True
    assert ReviewCycle.objects.count() == 1
    keys = list(Notification.objects.values_list("subject", flat=True))
    assert keys == ["The Social Media Policy review is due in 5 days"]


def test_a_review_due_tomorrow_is_due_in_one_day_and_the_message_names_the_date(
    policy_v1, policy_admin
):
    assert reminders.send_review_reminders(today=date(2023, 9, 29)) is True
    reminder = Notification.objects.get()
    assert reminder.subject == "The Social Media Policy review is due in 1 day"
    assert reminder.message.startswith(
        "The annual review of the Social Media Policy is due by 30 September 2023.\n"
        "Clause 8.1 asks for the policy to be reviewed every year."
    )


def test_no_reminders_once_the_review_is_done(policy_v1, policy_admin):
    publish_new_version(policy_admin, "2026-11-24 10:00 +0000")
    Notification.objects.all().delete()
    assert reminders.send_review_reminders(today=date(2026, 11, 30)) is False
    assert not Notification.objects.filter(kind=NotificationKind.POLICY_REVIEW).exists()


def test_policy_admins_see_the_review_history(policy_v1, policy_admin, client):
    publish_new_version(policy_admin, "2026-11-24 10:00 +0000")
    client.force_login(policy_admin)
    page = client.get("/policy/review/").content.decode()
    assert "Review history" in page
    assert "30 September 2023" in page
    assert "Late by" in page
    assert "24 November 2027" in page


def test_staff_can_acknowledge_the_new_version_from_the_changes_page(
    policy_v1, policy_admin, staff_client, staff_user
):
    from policy.models import Acknowledgement

    services.policy_acknowledge(user=staff_user, version=policy_v1)
    version2 = publish_new_version(policy_admin, "2026-11-24 10:00 +0000")
    page = staff_client.get("/policy/changes/").content.decode()
    assert "I have read and understood version 2" in page
    response = staff_client.post(
        "/policy/acknowledge/", {"version": "2", "next": "/policy/changes/"}
    )
    assert response.status_code == 302
    assert Acknowledgement.objects.filter(user=staff_user, version=version2).exists()
    assert "I have read and understood" not in staff_client.get("/policy/changes/").content.decode()


def test_the_subject_access_export_lists_acknowledgements(policy_v1, staff_user, policy_admin):
    from redbridge_portal.services import personal_data_export

    services.policy_acknowledge(user=staff_user, version=policy_v1)
    exported = personal_data_export(actor=policy_admin, user=staff_user)["policy"]
    assert [a["version"] for a in exported["acknowledgements"]] == [1]
    assert exported["questions"] == []
