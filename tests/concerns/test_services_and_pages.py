"""Concerns: raised by any member of staff, alerted to the senior team at once,
taken on, acted on and resolved by one of them; seen only by them and the reporter."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from concerns import services as concerns
from concerns.models import Concern, ConcernStatus, ConcernUrgency
from concerns.services import ConcernError
from redbridge_portal.models import AuditEvent, Notification
from tests.approvals.factories import image_bytes
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def raise_concern(reporter, **overrides):
    values = {
        "description": "A parent's post names a pupil and criticises a teacher.",
        "urgency": ConcernUrgency.TODAY,
        "link": "https://facebook.example/post/1",
    }
    values.update(overrides)
    concern, _created = concerns.concern_raise(actor=reporter, **values)
    return concern


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_raising_a_concern_alerts_the_senior_team_at_once(
    staff_user, senior_user, second_senior_user, django_capture_on_commit_callbacks
):
    with (
        mock.patch("redbridge_portal.tasks.send_notification_emails.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        concern = raise_concern(staff_user, urgency=ConcernUrgency.URGENT)
    told = Notification.objects.filter(url=concern.get_absolute_url())
    assert {n.recipient for n in told} == {senior_user, second_senior_user}
    assert all(n.subject.startswith("Urgent concern") for n in told)
    delay.assert_called_once()  # the emails go to Celery after commit
    assert AuditEvent.objects.filter(action="concern.raised", target_id=str(concern.pk)).exists()


def test_the_full_flow_take_act_resolve_and_the_reporter_is_told(staff_user, senior_user):
    concern = raise_concern(staff_user)
    concerns.concern_take(actor=senior_user, concern=concern)
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.IN_HAND and concern.owner == senior_user
    concerns.concern_add_action(actor=senior_user, concern=concern, body="Phoned the parent.")
    concerns.concern_resolve(actor=senior_user, concern=concern, outcome="Post taken down.")
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.RESOLVED and concern.outcome == "Post taken down."
    subjects = list(
        Notification.objects.filter(recipient=staff_user).values_list("subject", flat=True)
    )
    assert "Your concern is being dealt with" in subjects
    assert "The concern you raised is resolved" in subjects
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"concern.taken", "concern.action_recorded", "concern.resolved"} <= actions


def test_illegal_moves_are_refused(staff_user, senior_user, second_senior_user):
    concern = raise_concern(staff_user)
    with pytest.raises(ConcernError):  # not taken on yet
        concerns.concern_resolve(actor=senior_user, concern=concern, outcome="Done")
    with pytest.raises(ConcernError):
        concerns.concern_add_action(actor=senior_user, concern=concern, body="x")
    with pytest.raises(ConcernError):  # staff cannot take it on
        concerns.concern_take(actor=staff_user, concern=concern)
    concerns.concern_take(actor=senior_user, concern=concern)
    with pytest.raises(ConcernError):  # already theirs
        concerns.concern_take(actor=senior_user, concern=concern)
    with pytest.raises(ConcernError):  # only the owner records and resolves
        concerns.concern_resolve(actor=second_senior_user, concern=concern, outcome="Done")
    with pytest.raises(ConcernError):
        concerns.concern_resolve(actor=senior_user, concern=concern, outcome="   ")
    # Another member may take it over (someone off sick), then it is theirs.
    concerns.concern_take(actor=second_senior_user, concern=concern)
    concerns.concern_resolve(actor=second_senior_user, concern=concern, outcome="Done")
    for action, refused in (
        (
            lambda: concerns.concern_take(actor=senior_user, concern=concern),
            "so you cannot take it on.",
        ),
        (
            lambda: concerns.concern_add_action(
                actor=second_senior_user, concern=concern, body="x"
            ),
            "so you cannot record actions on it.",
        ),
        (
            lambda: concerns.concern_resolve(
                actor=second_senior_user, concern=concern, outcome="y"
            ),
            "so you cannot resolve it.",
        ),
    ):
        with pytest.raises(ConcernError) as raised:
            action()
        assert str(raised.value) == f"This concern is “Resolved”, {refused}"


def test_bad_input_is_refused(staff_user):
    with pytest.raises(ConcernError):
        raise_concern(staff_user, description="  ")
    with pytest.raises(ConcernError):
        raise_concern(staff_user, urgency="whenever")


def test_the_same_form_sent_twice_raises_one_concern(staff_user, senior_user):
    import uuid

    token = uuid.uuid4()
    first = raise_concern(staff_user, form_token=token)
    second, created = concerns.concern_raise(
        actor=staff_user, description="again", urgency="today", form_token=token
    )
    assert second == first and not created
    assert Concern.objects.count() == 1


def test_only_the_reporter_and_the_senior_team_see_a_concern(
    staff_user, other_staff_user, senior_user, policy_admin
):
    concern = raise_concern(staff_user)
    url = concern.get_absolute_url()
    assert client_for(staff_user).get(url).status_code == 200
    assert client_for(senior_user).get(url).status_code == 200
    assert client_for(other_staff_user).get(url).status_code == 404
    assert client_for(policy_admin).get(url).status_code == 404
    other = client_for(other_staff_user)
    for name in ("take", "action", "resolve"):
        assert other.post(reverse(f"concerns:{name}", args=[concern.pk])).status_code == 404
    listing = other.get(reverse("concerns:list")).content.decode()
    assert "names a pupil" not in listing
    assert "names a pupil" in client_for(staff_user).get(reverse("concerns:list")).content.decode()


def test_the_pages_raise_take_and_resolve_a_concern(staff_user, senior_user):
    staff = client_for(staff_user)
    form = staff.get(reverse("concerns:create"))
    assert form.status_code == 200
    bad = staff.post(reverse("concerns:create"), {"description": "", "urgency": ""})
    assert bad.status_code == 400 and "Say what you saw" in bad.content.decode()
    upload = SimpleUploadedFile("shot.png", image_bytes("PNG"), content_type="image/png")
    sent = staff.post(
        reverse("concerns:create"),
        {"description": "Fake school account", "urgency": "urgent", "screenshot": upload},
    )
    concern = Concern.objects.get()
    assert sent.status_code == 302 and sent["Location"] == concern.get_absolute_url()
    assert concern.screenshot_type == "image/png"
    shot = staff.get(reverse("concerns:screenshot", args=[concern.pk]))
    assert shot.status_code == 200 and shot["Content-Type"] == "image/png"
    assert "no-store" in shot["Cache-Control"]
    page = staff.get(concern.get_absolute_url()).content.decode()
    assert "Waiting for the senior team" in page and "Take it on" not in page

    senior = client_for(senior_user)
    assert "Take it on" in senior.get(concern.get_absolute_url()).content.decode()
    senior.post(reverse("concerns:take", args=[concern.pk]))
    empty = senior.post(reverse("concerns:resolve", args=[concern.pk]), {"outcome": ""})
    assert empty.status_code == 400
    senior.post(reverse("concerns:action", args=[concern.pk]), {"body": "Reported it"})
    senior.post(reverse("concerns:resolve", args=[concern.pk]), {"outcome": "Removed"})
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.RESOLVED
    page = staff.get(concern.get_absolute_url()).content.decode()
    assert "Resolved" in page and "Removed" in page
    assert "Reported it" not in page  # the senior team's notes are theirs


def test_only_members_of_staff_raise_a_concern_on_the_page_and_in_the_service(senior_user):
    nobody = UserFactory(roles=[])  # an account with no role: not on the staff
    page = client_for(nobody)
    assert page.get(reverse("concerns:create")).status_code == 403
    sent = page.post(
        reverse("concerns:create"), {"description": "Fake account", "urgency": "today"}
    )
    assert sent.status_code == 403
    with pytest.raises(ConcernError, match="Only members of staff can raise a concern"):
        raise_concern(nobody)
    assert not Concern.objects.exists()


def test_a_not_an_image_screenshot_is_refused_without_a_500(staff_user):
    staff = client_for(staff_user)
    upload = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    response = staff.post(
        reverse("concerns:create"),
        {"description": "x", "urgency": "today", "screenshot": upload},
    )
    assert response.status_code == 400 and not Concern.objects.exists()


def test_concern_pages_run_a_fixed_number_of_queries(
    staff_user, senior_user, django_assert_max_num_queries
):
    first = raise_concern(staff_user)
    concerns.concern_take(actor=senior_user, concern=first)
    concerns.concern_add_action(actor=senior_user, concern=first, body="one")
    senior = client_for(senior_user)
    senior.get(reverse("concerns:list"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url):
        with CaptureQueriesContext(connection) as captured:
            assert senior.get(url).status_code == 200
        return len(captured)

    few_list, few_detail = count(reverse("concerns:list")), count(first.get_absolute_url())
    for n in range(10):
        raise_concern(staff_user, description=f"Concern {n}")
        concerns.concern_add_action(actor=senior_user, concern=first, body=f"action {n}")
    senior.get(
        reverse("concerns:list")
        # The change is read in once, as on the user's next visit.
    )
    assert count(reverse("concerns:list")) == few_list
    assert count(first.get_absolute_url()) == few_detail


def test_overdue_concerns_are_reminded_once(staff_user, senior_user):
    concern = raise_concern(staff_user, urgency=ConcernUrgency.URGENT)
    now = timezone.now()
    assert concerns.send_concern_reminders(now=now + timedelta(minutes=30)) == {
        "untaken": 0,
        "owner": 0,
    }
    later = now + timedelta(hours=2)
    assert concerns.send_concern_reminders(now=later)["untaken"] == 1
    assert concerns.send_concern_reminders(now=later)["untaken"] == 0  # once only
    assert Notification.objects.filter(
        recipient=senior_user, subject__startswith="Overdue: nobody has taken on"
    ).exists()
    with time_machine.travel(datetime(2027, 3, 5, 9, 0, tzinfo=UTC)):
        concerns.concern_take(actor=senior_user, concern=concern)
    with time_machine.travel(datetime(2027, 3, 9, 9, 0, tzinfo=UTC)):
        assert concerns.send_concern_reminders()["owner"] == 1
        assert concerns.send_concern_reminders()["owner"] == 0
    reminder = Notification.objects.get(
        recipient=senior_user, subject="A concern you took on is still open"
    )
    assert "concern on 05 March. It is still open" in reminder.message


def test_the_reminder_task_runs_and_is_scheduled():
    from django_celery_beat.models import PeriodicTask

    from concerns.tasks import send_concern_reminders

    assert send_concern_reminders() == {"untaken": 0, "owner": 0}
    assert PeriodicTask.objects.get(task="concerns.tasks.send_concern_reminders").enabled
