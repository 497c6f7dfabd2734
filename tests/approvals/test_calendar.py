from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from approvals import services
from tests.approvals.factories import AccountFactory, approved_post, submitted_post
from tests.factories import StaffFactory

LONDON = ZoneInfo("Europe/London")
pytestmark = pytest.mark.django_db


def at(*args):
    return datetime(*args, tzinfo=LONDON)


@pytest.fixture
def posts(policy_v1, staff_user, senior_user):
    x = AccountFactory(name="X", text_limit=280)
    facebook = AccountFactory(name="Facebook", text_limit=63206)
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        planned = approved_post(
            staff_user, senior_user, x, text="Open evening tonight", planned_for=at(2026, 12, 3, 17)
        )
        waiting = submitted_post(
            staff_user, facebook, text="Carol concert photos", planned_for=at(2026, 12, 10, 18)
        )
        published = approved_post(staff_user, senior_user, x, text="Sports day results")
    with time_machine.travel(at(2026, 12, 2, 9), tick=False):
        services.post_mark_published(
            actor=staff_user,
            post=published,
            published_at=at(2026, 12, 1, 12),
            url="https://x.com/redbridge/status/1",
        )
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        draft_only = submitted_post(
            staff_user, x, text="Withdrawn idea", planned_for=at(2026, 12, 4, 9)
        )
        services.post_withdraw(actor=staff_user, post=draft_only)
    return {"planned": planned, "waiting": waiting, "published": published}


def test_the_month_shows_planned_and_published_posts_by_day(senior_client, posts):
    page = senior_client.get("/posts/calendar/?period=month&date=2026-12-15").content.decode()
    assert "December 2026" in page
    for text in ("Open evening tonight", "Carol concert photos", "Sports day results"):
        assert text in page
    assert "Withdrawn idea" not in page
    assert page.index("Tuesday 1 December") < page.index("Thursday 3 December")
    assert page.index("Sports day results") < page.index("Open evening tonight")
    assert "3 posts this month" in page


def test_the_week_and_an_account_narrow_it_down(senior_client, posts):
    facebook = posts["waiting"].account
    page = senior_client.get("/posts/calendar/?period=week&date=2026-12-02").content.decode()
    assert "Week beginning 30 November 2026" in page
    assert "Carol concert photos" not in page
    page = senior_client.get(
        f"/posts/calendar/?period=month&date=2026-12-01&account={facebook.pk}"
    ).content.decode()
    assert "Carol concert photos" in page
    assert "Open evening tonight" not in page


def test_an_empty_period_says_so_and_bad_input_falls_back(senior_client, posts):
    page = senior_client.get("/posts/calendar/?period=month&date=2030-01-01").content.decode()
    assert "Nothing is planned or published for this month" in page
    response = senior_client.get("/posts/calendar/?period=year&date=not-a-date&account=x")
    assert response.status_code == 200


def test_only_the_senior_team_sees_the_calendar(staff_client):
    assert staff_client.get("/posts/calendar/").status_code == 403


def test_the_calendar_runs_a_fixed_number_of_queries(
    senior_client, posts, staff_user, django_assert_num_queries
):
    url = "/posts/calendar/?period=month&date=2026-12-15"
    senior_client.get(url)
    # Who is signed in (session, user, their permissions, unread count), then the calendar.
    # (Was 8: the user's own and their groups' permissions are one query now.)
    with django_assert_num_queries(7) as few:
        senior_client.get(url)
    few_count = len(few.captured_queries)  # (the next request empties the log)
    x = posts["planned"].account
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        for day in range(5, 25):
            submitted_post(staff_user, x, text=f"Post {day}", planned_for=at(2026, 12, day, 9))
    # The change is read in once, as on the user's next visit.
    senior_client.get(url)
    with django_assert_num_queries(few_count):
        senior_client.get(url)


def test_staff_who_manage_an_account_can_read_the_calendar(client, staff_user, senior_user):
    account = AccountFactory(name="Redbridge on Facebook")
    manager = StaffFactory(first_name="Mo", last_name="Manager")
    account.managers.add(manager)
    planned = timezone.now() + timedelta(days=1)
    post = approved_post(staff_user, senior_user, account, text="Open evening is tomorrow.")
    post.planned_for = planned
    post.save(update_fields=["planned_for"])
    url = reverse("approvals:calendar") + f"?date={timezone.localdate(planned).isoformat()}"

    client.force_login(manager)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Open evening is tomorrow." in html
    # Read only: not a link to a page they may not open, and no decision tools.
    assert post.get_absolute_url() not in html
    assert "Senior-team queue" not in html

    client.force_login(StaffFactory())
    assert client.get(url).status_code == 403


def test_a_campaign_page_links_to_the_calendar_for_everyone_who_may_read_it(
    client, staff_user, senior_user
):
    from tests.approvals.factories import proposed_campaign

    campaign = proposed_campaign(staff_user)
    manager = StaffFactory()
    AccountFactory().managers.add(manager)
    link = f"{reverse('approvals:calendar')}?campaign={campaign.pk}"
    for person, shown in ((senior_user, True), (manager, True), (StaffFactory(), False)):
        client.force_login(person)
        page = client.get(campaign.get_absolute_url())
        assert page.status_code == 200
        assert (link in page.content.decode()) is shown, person
        if shown:
            assert client.get(link).status_code == 200
