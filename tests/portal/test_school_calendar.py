from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from redbridge_portal.models import SchoolClosure
from redbridge_portal.school_calendar import (
    working_hours_between,
    working_time_between,
    working_times_until,
)

LONDON = ZoneInfo("Europe/London")
pytestmark = pytest.mark.django_db


def at(*args):
    return datetime(*args, tzinfo=LONDON)


def test_a_weekday_counts_in_full():
    # Monday 9:00 to Tuesday 9:00.
    assert working_hours_between(at(2026, 11, 23, 9), at(2026, 11, 24, 9)) == 24


def test_a_weekend_does_not_count():
    # Friday 15:00 to Monday 15:00: Friday's 9 hours and Monday's 15.
    assert working_hours_between(at(2026, 11, 20, 15), at(2026, 11, 23, 15)) == 24


def test_half_term_does_not_count():
    SchoolClosure.objects.create(
        name="February half term", first_day=date(2027, 2, 15), last_day=date(2027, 2, 19)
    )
    # Friday 12 February 17:00 to Monday 22 February 17:00: 7 hours then 17 hours.
    assert working_hours_between(at(2027, 2, 12, 17), at(2027, 2, 22, 17)) == 24


def test_the_clock_change_is_counted_in_real_hours():
    # The clocks go back on Sunday 25 October 2026 (a weekend, so it does not count); a
    # closure over a weekday clock change is impossible in the UK, so check the elapsed time
    # across the change is exact: Friday 23 Oct 12:00 to Monday 26 Oct 12:00.
    assert working_hours_between(at(2026, 10, 23, 12), at(2026, 10, 26, 12)) == 24


def test_an_end_before_the_start_is_no_time():
    assert working_hours_between(at(2026, 11, 24, 9), at(2026, 11, 23, 9)) == 0


def test_policy_admins_enter_closures_in_the_portal(policy_admin_client):
    response = policy_admin_client.post(
        "/school-calendar/",
        {"name": "Christmas holidays", "first_day": "2026-12-21", "last_day": "2027-01-01"},
    )
    assert response.status_code == 302
    closure = SchoolClosure.objects.get()
    assert closure.name == "Christmas holidays"
    page = policy_admin_client.get("/school-calendar/").content.decode()
    assert "Christmas holidays" in page


def test_a_closure_can_be_removed(policy_admin_client):
    closure = SchoolClosure.objects.create(
        name="Training day", first_day=date(2027, 1, 4), last_day=date(2027, 1, 4)
    )
    policy_admin_client.post(f"/school-calendar/{closure.pk}/remove/")
    assert not SchoolClosure.objects.exists()


def test_staff_cannot_change_the_calendar(staff_client):
    assert staff_client.get("/school-calendar/").status_code == 403
    response = staff_client.post(
        "/school-calendar/", {"name": "x", "first_day": "2026-12-21", "last_day": "2026-12-22"}
    )
    assert response.status_code == 403
    assert not SchoolClosure.objects.exists()


@pytest.mark.parametrize(
    ("first_day", "last_day", "message"),
    [
        ("2026-12-21", "2026-12-01", "The last day must be on or after the first day."),
        ("0001-01-01", "9999-12-31", "at most 92 days long"),
        ("2026-01-05", "2026-12-18", "at most 92 days long"),
        ("2024-07-22", "2024-08-30", "no more than a year ago"),
        ("2029-07-23", "2029-08-31", "no more than two years from today"),
    ],
)
def test_a_closure_backwards_too_long_or_too_far_away_is_refused_with_a_message(
    policy_admin_client, first_day, last_day, message
):
    """A slip of the keyboard must not switch reminders and escalations off for years."""
    with time_machine.travel(date(2026, 11, 30), tick=False):
        response = policy_admin_client.post(
            "/school-calendar/", {"name": "Mistake", "first_day": first_day, "last_day": last_day}
        )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SchoolClosure.objects.exists()


def test_the_summer_holidays_fit(policy_admin_client):
    with time_machine.travel(date(2026, 11, 30), tick=False):
        response = policy_admin_client.post(
            "/school-calendar/",
            {"name": "Summer holidays", "first_day": "2027-07-21", "last_day": "2027-09-01"},
        )
    assert response.status_code == 302
    assert SchoolClosure.objects.get().name == "Summer holidays"


def test_a_bank_holiday_does_not_count():
    # Monday 31 August 2026 is the summer bank holiday in England and Wales.
    assert working_hours_between(at(2026, 8, 28, 17), at(2026, 9, 1, 9)) == 7 + 9


def test_the_bank_holidays_are_those_of_the_schools_nation(settings):
    # 2 January is a bank holiday in Scotland, not in England.
    assert working_hours_between(at(2026, 1, 2, 0), at(2026, 1, 3, 0)) == 24
    settings.BANK_HOLIDAYS_SUBDIVISION = "SCT"
    assert working_hours_between(at(2026, 1, 2, 0), at(2026, 1, 3, 0)) == 0


def test_the_calendar_page_lists_the_coming_bank_holidays(policy_admin_client):
    with time_machine.travel(date(2026, 11, 30), tick=False):
        page = policy_admin_client.get("/school-calendar/").content.decode()
    assert "Christmas Day: Friday 25 December 2026" in page
    assert "Late Summer Bank Holiday: Monday 30 August 2027" in page


def test_working_times_for_many_starts_match_one_at_a_time():
    """A queue page counts its posts' waits in one pass; each must be what counting that post
    alone gives, across weekends, a half term and both clock changes."""
    SchoolClosure.objects.create(
        name="Half term", first_day=date(2026, 10, 26), last_day=date(2026, 10, 30)
    )
    end = at(2026, 11, 4, 10, 15)
    starts = [at(2026, 3, 27, 16, 0) + timedelta(hours=7 * n + n % 5) for n in range(900)]
    starts += [end, end + timedelta(hours=1), at(2026, 11, 4, 9, 0), at(2026, 11, 1, 12, 0)]
    together = working_times_until(starts, end)
    assert together == [working_time_between(start, end) for start in starts]
    assert working_times_until([], end) == []


def test_the_service_guards_closures_whoever_calls_it(staff_user, policy_admin):
    """Not only the form: a task, a command or another page calling the service meets the same
    rules (a closure switches reminders off, so a slip must not switch them off for years)."""
    from django.utils import timezone

    from redbridge_portal import services
    from redbridge_portal.actions import ActionRefused

    today = timezone.localdate()
    with pytest.raises(ActionRefused, match="Only policy admins"):
        services.school_closure_add(
            actor=staff_user, name="Half term", first_day=today, last_day=today
        )
    with pytest.raises(ActionRefused, match="at most 92 days"):
        services.school_closure_add(
            actor=policy_admin,
            name="Forever",
            first_day=today,
            last_day=today + timedelta(days=200),
        )
    with pytest.raises(ActionRefused, match="no more than two years"):
        services.school_closure_add(
            actor=policy_admin,
            name="Far away",
            first_day=date(2099, 1, 1),
            last_day=date(2099, 1, 2),
        )
    assert not SchoolClosure.objects.exists()
