"""Reminders move through time: each threshold sends to the right people exactly once."""

import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection

from approvals import reminders, services
from approvals.tasks import send_daily_digests, send_post_reminders
from redbridge_portal.models import Notification, NotificationKind, SchoolClosure, SentReminder
from tests.approvals.factories import submitted_post
from tests.factories import PolicyAdminFactory, SeniorTeamFactory

LONDON = ZoneInfo("Europe/London")
pytestmark = pytest.mark.django_db


def at(*args):
    return datetime(*args, tzinfo=LONDON)


def inbox(kind=None):
    """(recipient email, subject) of every email sent, optionally of one kind of notification."""
    emails = [(m.to[0], m.subject) for m in mail.outbox]
    if kind is None:
        return emails
    subjects = set(Notification.objects.filter(kind=kind).values_list("subject", flat=True))
    return [(to, subject) for to, subject in emails if subject in subjects]


@pytest.fixture
def team(db, staff_user, senior_user, second_senior_user):
    return {"author": staff_user, "senior": senior_user, "senior2": second_senior_user}


def run(now):
    with time_machine.travel(now, tick=False):
        return send_post_reminders()


def submit_at(moment, author, account, **overrides):
    with time_machine.travel(moment, tick=False):
        return submitted_post(author, account, **overrides)


def test_a_waiting_post_reminds_the_senior_team_once_after_24_school_hours(
    team, account, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post = submit_at(at(2026, 11, 23, 10), team["author"], account)  # a Monday
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert run(at(2026, 11, 24, 9, 59))["reminder"] == 0
        assert run(at(2026, 11, 24, 10, 1))["reminder"] == 1
        assert run(at(2026, 11, 24, 12))["reminder"] == 0  # not again
    reminded = inbox(NotificationKind.APPROVAL_REMINDER)
    assert sorted(to for to, _s in reminded) == sorted(
        [team["senior"].email, team["senior2"].email]
    )
    assert SentReminder.objects.filter(key__startswith=f"post:{post.pk}:").count() == 1


def test_the_author_is_never_reminded_to_decide_on_their_own_post(
    account, senior_user, second_senior_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit_at(at(2026, 11, 23, 10), senior_user, account)
        mail.outbox.clear()
        run(at(2026, 11, 24, 11))
    assert [to for to, _s in inbox(NotificationKind.APPROVAL_REMINDER)] == [
        second_senior_user.email
    ]


def test_a_weekend_does_not_count_towards_the_wait(team, account):
    submit_at(at(2026, 11, 27, 15), team["author"], account)  # Friday 15:00: 9 hours that day
    assert run(at(2026, 11, 30, 14, 59))["reminder"] == 0  # Monday 14:59: 23h59 of school time
    assert run(at(2026, 11, 30, 15, 1))["reminder"] == 1


def test_nothing_escalates_over_half_term(team, account):
    SchoolClosure.objects.create(
        name="February half term", first_day=date(2027, 2, 15), last_day=date(2027, 2, 19)
    )
    submit_at(at(2027, 2, 12, 9), team["author"], account)  # Friday before half term
    # A week and a half later in real time, but only 15 + 9 school hours... (Fri 15h, Mon 9h)
    sent = run(at(2027, 2, 22, 9))
    assert sent["reminder"] == 1
    assert sent["escalation"] == 0


def test_twice_the_threshold_marks_the_post_overdue_and_escalates_to_policy_admins(
    team, account, django_capture_on_commit_callbacks
):
    admin = PolicyAdminFactory()
    with django_capture_on_commit_callbacks(execute=True):
        post = submit_at(at(2026, 11, 23, 10), team["author"], account)
        mail.outbox.clear()
        sent = run(at(2026, 11, 25, 10, 1))
    assert sent == {"reminder": 1, "escalation": 1, "urgent": 0, "author": 0}
    escalated = {to for to, _s in inbox(NotificationKind.APPROVAL_ESCALATION)}
    assert escalated == {team["senior"].email, team["senior2"].email, admin.email}
    state = reminders.waiting_for_decision(post.submitted_at, now=at(2026, 11, 25, 10, 1))
    assert state.overdue


def test_a_policy_admin_is_sent_a_link_they_may_open(team, account, client):
    admin = PolicyAdminFactory()
    post = submit_at(at(2026, 11, 23, 10), team["author"], account)
    run(at(2026, 11, 25, 10, 1))
    (to_admin,) = Notification.objects.filter(
        recipient=admin, kind=NotificationKind.APPROVAL_ESCALATION
    )
    assert to_admin.url != post.get_absolute_url()
    assert "ask one of them to decide on it" in to_admin.message
    client.force_login(admin)
    assert client.get(post.get_absolute_url()).status_code == 404  # why it is not linked
    assert client.get(to_admin.url).status_code == 200
    to_senior = Notification.objects.get(
        recipient=team["senior"], kind=NotificationKind.APPROVAL_ESCALATION
    )
    assert to_senior.url == post.get_absolute_url()


def test_a_post_due_out_soon_sends_one_urgent_reminder(team, account):
    submit_at(at(2026, 11, 23, 9), team["author"], account, planned_for=at(2026, 11, 23, 15))
    assert run(at(2026, 11, 23, 10, 59))["urgent"] == 0  # 4h01 before
    assert run(at(2026, 11, 23, 11, 1))["urgent"] == 1
    assert run(at(2026, 11, 23, 14))["urgent"] == 0


def test_a_decided_post_is_not_chased(team, account):
    post = submit_at(at(2026, 11, 23, 10), team["author"], account)
    with time_machine.travel(at(2026, 11, 23, 11), tick=False):
        services.post_approve(actor=team["senior"], post=post)
    assert run(at(2026, 11, 26, 10)) == {"reminder": 0, "escalation": 0, "urgent": 0, "author": 0}


def test_a_resubmitted_post_is_a_new_wait_with_its_own_reminders(team, account):
    post = submit_at(at(2026, 11, 23, 10), team["author"], account)
    assert run(at(2026, 11, 24, 10, 1))["reminder"] == 1
    with time_machine.travel(at(2026, 11, 24, 11), tick=False):
        services.post_request_changes(
            actor=team["senior"], post=post, comment="Please remove the surname."
        )
        services.post_update(
            actor=team["author"],
            post=post,
            content=services.PostContent(
                account=account,
                text="Year 7 planted 40 trees by the pond today.",
                purpose=post.purpose,
                link="",
                planned_for=None,
                campaign=None,
            ),
        )
        from tests.approvals.factories import ALL_CONFIRMED

        services.post_submit(actor=team["author"], post=post, self_check=ALL_CONFIRMED)
    assert run(at(2026, 11, 25, 10, 59))["reminder"] == 0
    assert run(at(2026, 11, 25, 11, 1))["reminder"] == 1


def test_an_author_who_has_not_made_the_changes_for_7_days_is_reminded_once(team, account):
    post = submit_at(at(2026, 11, 23, 10), team["author"], account)
    with time_machine.travel(at(2026, 11, 23, 11), tick=False):
        services.post_request_changes(actor=team["senior"], post=post, comment="Add the date.")
    assert run(at(2026, 11, 30, 10, 59))["author"] == 0
    assert run(at(2026, 11, 30, 11, 1))["author"] == 1
    assert run(at(2026, 12, 7, 12))["author"] == 0


def test_the_reminder_is_correct_across_the_clock_change(team, account):
    # Submitted Friday 23 October 2026 at 12:00 BST; the clocks go back on Sunday 25th.
    # Friday gives 12 school hours; Monday 26th at 12:00 GMT completes 24.
    submit_at(at(2026, 10, 23, 12), team["author"], account)
    assert run(at(2026, 10, 26, 11, 59))["reminder"] == 0
    assert run(at(2026, 10, 26, 12, 1))["reminder"] == 1


def test_the_task_runs_twice_in_a_row_and_sends_once(
    team, account, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit_at(at(2026, 11, 23, 10), team["author"], account)
    mail.outbox.clear()
    with time_machine.travel(at(2026, 11, 24, 11), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            send_post_reminders.delay()
            send_post_reminders.delay()
    assert len(inbox(NotificationKind.APPROVAL_REMINDER)) == 2  # one each for two seniors


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real concurrent connections (PostgreSQL)"
)
@pytest.mark.django_db(transaction=True)
def test_two_reminder_runs_at_once_send_each_reminder_once(account, staff_user):
    SeniorTeamFactory()
    SeniorTeamFactory()
    submit_at(at(2026, 11, 23, 10), staff_user, account)
    barrier = threading.Barrier(2)
    results = []

    def worker():
        try:
            barrier.wait()
            results.append(run(at(2026, 11, 24, 11)))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r["reminder"] for r in results) == [0, 1]
    assert Notification.objects.filter(kind=NotificationKind.APPROVAL_REMINDER).count() == 2


def test_the_daily_digest_lists_what_waits_and_is_sent_once_a_day(
    team, account, django_capture_on_commit_callbacks
):
    submit_at(at(2026, 11, 23, 10), team["author"], account)
    with django_capture_on_commit_callbacks(execute=True):
        with time_machine.travel(at(2026, 11, 24, 7, 30), tick=False):
            send_daily_digests.delay()
            send_daily_digests.delay()
    digests = inbox(NotificationKind.DIGEST)
    assert sorted(to for to, _s in digests) == sorted([team["senior"].email, team["senior2"].email])
    assert digests[0][1] == "Waiting for your decision: 1 post"
    body = next(m.body for m in mail.outbox if m.subject == digests[0][1])
    assert "Year 7 planted 40 trees" in body


def test_no_digest_when_nothing_waits(team):
    with time_machine.travel(at(2026, 11, 24, 7, 30), tick=False):
        assert reminders.send_daily_digests() == 0


def test_no_digest_at_the_weekend(team, account):
    submit_at(at(2026, 11, 27, 10), team["author"], account)
    with time_machine.travel(at(2026, 11, 28, 7, 30), tick=False):
        assert reminders.send_daily_digests() == 0


def test_waiting_hours_before_submission_are_zero():
    assert reminders.waiting_for_decision(None) == reminders.Waiting(0, False, False)
    now = at(2026, 11, 23, 10)
    assert not reminders.waiting_for_decision(now - timedelta(hours=1), now=now).reminder_due


def test_the_queue_marks_a_post_overdue_after_twice_the_threshold_in_school_hours(
    team, account, client
):
    submit_at(at(2026, 11, 20, 10), team["author"], account)  # Friday
    with time_machine.travel(at(2026, 11, 23, 12), tick=False):  # Monday: 14 + 12 = 26 hours
        client.force_login(team["senior"])
        page = client.get("/posts/queue/").content.decode()
    assert "26 school hours" in page
    assert "Overdue" not in page
    with time_machine.travel(at(2026, 11, 24, 10, 30), tick=False):  # 48.5 school hours
        client.force_login(team["senior"])
        page = client.get("/posts/queue/").content.decode()
    assert "Overdue" in page


def test_no_digest_on_a_bank_holiday(team, account):
    submit_at(at(2026, 8, 27, 10), team["author"], account)
    with time_machine.travel(at(2026, 8, 31, 7, 30), tick=False):  # summer bank holiday
        assert reminders.send_daily_digests() == 0
    with time_machine.travel(at(2026, 9, 1, 7, 30), tick=False):
        assert reminders.send_daily_digests() == 2


def test_no_digest_on_a_day_the_school_is_closed(team, account):
    SchoolClosure.objects.create(
        name="Half term", first_day=date(2026, 10, 26), last_day=date(2026, 10, 30)
    )
    submit_at(at(2026, 10, 23, 10), team["author"], account)
    with time_machine.travel(at(2026, 10, 27, 7, 30), tick=False):
        assert reminders.send_daily_digests() == 0
    with time_machine.travel(at(2026, 11, 2, 7, 30), tick=False):
        assert reminders.send_daily_digests() == 2


# --- What the reminders say ----------------------------------------------------------------------


def _sent(kind, recipient):
    return Notification.objects.get(kind=kind, recipient=recipient)


def test_each_reminder_says_which_post_waits_and_since_when(team, account):
    post = submit_at(
        at(2026, 11, 23, 10), team["author"], account, planned_for=at(2026, 11, 25, 12)
    )
    line = f'"{post.text[:60]}…" for {account.name}'
    run(at(2026, 11, 25, 10, 1))
    reminder = _sent(NotificationKind.APPROVAL_REMINDER, team["senior"])
    assert reminder.subject == "A post has waited 24 school hours for a decision"
    assert reminder.message == (
        f"{team['author']} sent {line} on Monday 23 November, 10:00. It is still waiting for "
        "a decision from the senior team.\nPlease approve it, ask for changes or reject it."
    )
    overdue = _sent(NotificationKind.APPROVAL_ESCALATION, team["senior"])
    assert overdue.subject == "Overdue: a post has waited too long for a decision"
    assert overdue.message.startswith(
        f"{team['author']} sent {line} on Monday 23 November, 10:00 and it has waited more "
        "than 48 school hours for a decision."
    )
    urgent = _sent(NotificationKind.URGENT_REMINDER, team["senior"])
    assert urgent.subject == "Urgent: a post is due out soon with no decision"
    assert urgent.message.startswith(
        f"{team['author']}'s post {line} is due to go out at Wednesday 25 November, 12:00 and "
        "nobody has decided on it yet."
    )


def test_the_author_reminder_says_what_to_do(team, account):
    post = submit_at(at(2026, 11, 23, 10), team["author"], account)
    with time_machine.travel(at(2026, 11, 23, 11), tick=False):
        services.post_request_changes(actor=team["senior"], post=post, comment="Add the date.")
    run(at(2026, 11, 30, 11, 1))
    reminder = _sent(NotificationKind.AUTHOR_REMINDER, team["author"])
    assert reminder.subject == "Your post is waiting for your changes"
    assert reminder.message == (
        f'The senior team asked for changes to your post "{post.text[:60]}…" for '
        f"{account.name} on Monday 23 November, 11:00. It will not go out until you make them "
        "and send it again. If you no longer want to publish it, withdraw it."
    )
    assert reminder.url == post.get_absolute_url()


def test_the_digest_counts_in_words_and_leaves_out_the_members_own(team, account):
    from django.urls import reverse

    from tests.approvals.factories import proposed_campaign

    post = submit_at(at(2026, 11, 23, 10), team["author"], account)
    campaign = proposed_campaign(team["senior"], title="Walk to school week")
    with time_machine.travel(at(2026, 11, 23, 11), tick=False):  # one school hour later
        assert reminders.send_daily_digests() == 2
    to_proposer = _sent(NotificationKind.DIGEST, team["senior"])
    assert to_proposer.subject == "Waiting for your decision: 1 post"
    assert to_proposer.url == reverse("approvals:queue")
    to_other = _sent(NotificationKind.DIGEST, team["senior2"])
    assert to_other.subject == "Waiting for your decision: 1 post and 1 campaign"
    assert to_other.message == (
        "These wait for a decision from the senior team:\n"
        f'- Post by {team["author"]}: "{post.text[:60]}…" for {account.name}, waiting '
        "1 school hour\n"
        f'- Campaign "{campaign.title}" proposed by {team["senior"]}'
    )
