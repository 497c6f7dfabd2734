"""Acknowledgements followed through: reminders (by hand at most once a day, automatically after
5 school days then every school week, never two to one person on one day, safe to run twice),
the report's filters and progress, and returning staff shown only what changed."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from policy import reminders, review, selectors, services
from policy.models import Acknowledgement, Clause
from policy.services import PolicyError
from policy.tasks import send_acknowledgement_reminders
from redbridge_portal.models import Notification, SchoolClosure
from tests.factories import PolicyAdminFactory, SeniorTeamFactory, StaffFactory

pytestmark = pytest.mark.django_db

# A Monday in term time.
PUBLISHED = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)


def _reminders_to(user):
    return Notification.objects.filter(recipient=user, key__startswith="policy-ack-reminder:")


def _publish_v2(policy_admin, *, change=True):
    draft = services.policy_review_start(actor=policy_admin)
    if change:
        clause = Clause.objects.get(version=draft, number="6.3")
        review.clause_edit(
            actor=policy_admin, clause=clause, text=clause.text + " Ask first.", revision=1
        )
    review.policy_draft_summary_update(actor=policy_admin, version=draft, change_summary="6.3.")
    review.policy_draft_send_for_sign_off(actor=policy_admin, version=draft)
    review.policy_draft_sign_off(actor=SeniorTeamFactory(), version=draft)
    return services.policy_version_publish(actor=policy_admin, version=draft)


def test_school_days_count_weekdays_outside_closures(db):
    monday = datetime.date(2026, 3, 2)
    assert reminders.school_days_since(monday, monday) == 0
    assert reminders.school_days_since(monday, datetime.date(2026, 3, 6)) == 4
    assert reminders.school_days_since(monday, datetime.date(2026, 3, 9)) == 5  # not the weekend
    SchoolClosure.objects.create(
        name="Training day", first_day=datetime.date(2026, 3, 4), last_day=datetime.date(2026, 3, 4)
    )
    assert reminders.school_days_since(monday, datetime.date(2026, 3, 9)) == 4


@pytest.mark.parametrize("days, stage", [(0, None), (4, None), (5, 0), (9, 0), (10, 1), (15, 2)])
def test_the_automatic_reminder_stages(days, stage):
    assert reminders.acknowledgement_reminder_stage(days) == stage


def _run(day):
    with time_machine.travel(day, tick=False):
        return send_acknowledgement_reminders()


def test_automatic_reminders_after_five_school_days_then_weekly(
    policy_v1, policy_admin, staff_user
):
    with time_machine.travel(PUBLISHED, tick=False):
        version = _publish_v2(policy_admin)
    done = StaffFactory()
    Acknowledgement.objects.create(user=done, version=version)
    # Four school days on (Friday): nobody is reminded yet.
    assert _run(datetime.datetime(2026, 3, 6, 8, tzinfo=datetime.UTC)) == 0
    # Five school days on (the next Monday): those who have not acknowledged are reminded,
    # and running the task again (or twice at once) sends nothing more.
    monday = datetime.datetime(2026, 3, 9, 8, tzinfo=datetime.UTC)
    assert _run(monday) > 0
    assert _run(monday) == 0
    assert _run(monday + datetime.timedelta(hours=5)) == 0
    assert _reminders_to(staff_user).count() == 1
    assert _reminders_to(done).count() == 0
    # The rest of that school week: nothing new.
    assert _run(datetime.datetime(2026, 3, 13, 8, tzinfo=datetime.UTC)) == 0
    # A school week later: the second reminder.
    assert _run(datetime.datetime(2026, 3, 16, 8, tzinfo=datetime.UTC)) > 0
    assert _reminders_to(staff_user).count() == 2
    # Once they acknowledge, they hear no more.
    Acknowledgement.objects.create(user=staff_user, version=version)
    _run(datetime.datetime(2026, 3, 23, 8, tzinfo=datetime.UTC))
    assert _reminders_to(staff_user).count() == 2


def test_reminding_by_hand_at_most_once_a_day(policy_v1, policy_admin, staff_user):
    with time_machine.travel(PUBLISHED, tick=False):
        version = _publish_v2(policy_admin)
    day = datetime.datetime(2026, 3, 9, 10, tzinfo=datetime.UTC)
    with time_machine.travel(day, tick=False):
        sent = services.policy_acknowledgement_remind(actor=policy_admin, version=version)
        assert sent >= 1
        with pytest.raises(PolicyError, match="already reminded today"):
            services.policy_acknowledgement_remind(actor=policy_admin, version=version)
        # The automatic reminder due the same day does not send a second one to anyone.
        send_acknowledgement_reminders()
    assert _reminders_to(staff_user).count() == 1
    with time_machine.travel(day + datetime.timedelta(days=1), tick=False):
        assert services.policy_acknowledgement_remind(actor=policy_admin, version=version) >= 1
    assert _reminders_to(staff_user).count() == 2


def test_only_those_who_see_the_report_may_remind(policy_v1, staff_user):
    with pytest.raises(PolicyError):
        services.policy_acknowledgement_remind(actor=staff_user, version=policy_v1)


def test_the_report_filters_and_progress(policy_v1, policy_admin, staff_user, senior_user):
    Acknowledgement.objects.create(
        user=staff_user,
        version=policy_v1,
        acknowledged_at=policy_v1.published_at + datetime.timedelta(hours=3),
    )
    Acknowledgement.objects.create(
        user=senior_user,
        version=policy_v1,
        acknowledged_at=policy_v1.published_at + datetime.timedelta(days=3),
    )
    report = selectors.acknowledgement_report_filtered(policy_v1, show="waiting")
    assert [row.user for row in report.rows] == [policy_admin]
    report = selectors.acknowledgement_report_filtered(policy_v1, show="done", role="Senior team")
    assert [row.user for row in report.rows] == [senior_user]
    with time_machine.travel(policy_v1.published_at + datetime.timedelta(days=10)):
        report = selectors.acknowledgement_report_filtered(policy_v1)
    progress = {step.days: step for step in report.progress}
    assert (progress[1].count, progress[7].count, progress[30].count) == (1, 2, None)
    assert report.total == 3


def test_returning_staff_see_only_the_changed_clauses(client, policy_v1, policy_admin):
    returning, new = StaffFactory(), StaffFactory()
    Acknowledgement.objects.create(user=returning, version=policy_v1)
    _publish_v2(policy_admin)
    client.force_login(returning)
    page = client.get(reverse("policy:contents")).content.decode()
    assert "Only what changed since you acknowledged version 1" in page
    assert "Ask first." in page
    assert 'id="clause-4-4"' not in page  # an unchanged clause is not shown
    whole = client.get(reverse("policy:contents") + "?whole=1").content.decode()
    assert 'id="clause-4-4"' in whole
    client.force_login(new)
    page = client.get(reverse("policy:contents")).content.decode()
    assert "Only what changed" not in page
    assert 'id="clause-4-4"' in page


def test_the_report_page_filters_and_reminds(client, policy_v1, policy_admin, staff_user):
    client.force_login(policy_admin)
    url = reverse("policy:acknowledgements")
    page = client.get(url, {"show": "waiting", "role": "Staff"})
    assert page.status_code == 200
    assert staff_user.email in page.content.decode()
    assert client.get(url, {"show": "nonsense"}).status_code == 200
    response = client.post(reverse("policy:acknowledgements_remind"), {"version": "1"})
    assert response.status_code == 302
    assert _reminders_to(staff_user).count() == 1
    response = client.post(reverse("policy:acknowledgements_remind"), {"version": "1"}, follow=True)
    assert "already reminded today" in response.content.decode()
    client.force_login(PolicyAdminFactory())
    assert _reminders_to(staff_user).count() == 1
