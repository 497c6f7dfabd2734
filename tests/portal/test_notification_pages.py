import pytest
from django.urls import reverse

from redbridge_portal import services
from redbridge_portal.models import EmailPreference, Notification, NotificationKind
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def make(user, n=1, url="/posts/1/"):
    for i in range(n):
        services.notify(
            recipients=[user],
            kind=NotificationKind.COMMENT_ADDED,
            subject=f"New comment {i}",
            message="<b>Priya</b> commented.",
            url=url,
        )


def test_the_navigation_shows_how_many_are_unread(staff_client, staff_user):
    make(staff_user, 3)
    page = staff_client.get(reverse("home")).content.decode()
    assert "Notifications" in page
    assert '3<span class="visually-hidden"> unread</span>' in page


def test_the_list_shows_only_my_notifications_escaped(staff_client, staff_user):
    make(staff_user)
    make(StaffFactory())
    response = staff_client.get(reverse("notifications"))
    assert list(response.context["page_obj"]) == list(
        Notification.objects.filter(recipient=staff_user)
    )
    assert "&lt;b&gt;Priya&lt;/b&gt;" in response.content.decode()


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(staff_client, staff_user):
    make(staff_user)
    notification = Notification.objects.get()
    response = staff_client.get(reverse("notification_open", args=[notification.pk]))
    assert response["Location"] == "/posts/1/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_is_not_found(staff_client):
    other = StaffFactory()
    make(other)
    response = staff_client.get(reverse("notification_open", args=[Notification.objects.get().pk]))
    assert response.status_code == 404


def test_an_offsite_link_is_never_followed(staff_client, staff_user):
    make(staff_user, url="https://evil.example/")
    response = staff_client.get(reverse("notification_open", args=[Notification.objects.get().pk]))
    assert response["Location"] == reverse("notifications")


def test_mark_all_read(staff_client, staff_user):
    make(staff_user, 2)
    staff_client.post(reverse("notifications_mark_read"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_email_choices_are_saved_but_decisions_stay_on(staff_client, staff_user):
    page = staff_client.get(reverse("notification_settings")).content.decode()
    assert "A decision on my post" in page  # listed as always emailed
    staff_client.post(reverse("notification_settings"), {NotificationKind.DIGEST: "on"})
    off = set(
        EmailPreference.objects.filter(user=staff_user, email_enabled=False).values_list(
            "kind", flat=True
        )
    )
    assert NotificationKind.COMMENT_ADDED in off
    assert NotificationKind.DIGEST not in off
    assert NotificationKind.POST_DECIDED not in off


def test_notification_list_queries_do_not_grow(staff_client, staff_user, django_assert_num_queries):
    make(staff_user, 2)
    staff_client.get(reverse("notifications"))
    # (The first request refreshed the session; the next ones within a few minutes do not write
    # it.) Who is signed in (session, user, their permissions in one query, unread count,
    # whether they look after an account), then the page and its count.
    with django_assert_num_queries(7) as few:
        staff_client.get(reverse("notifications"))
    few_count = len(few.captured_queries)  # (the next request empties the log)
    make(staff_user, 30)
    staff_client.get(
        reverse("notifications")
        # The change is read in once, as on the user's next visit.
    )
    with django_assert_num_queries(few_count):
        staff_client.get(reverse("notifications"))
