"""Lockout per account (never per address alone), session lifetime, and closing accounts."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from people.services import person_deactivate
from redbridge_portal import services
from redbridge_portal.models import AuditEvent
from tests.factories import TEST_PASSWORD, StaffFactory, change_password
from tests.security.conftest import sign_in

pytestmark = pytest.mark.django_db

SCHOOL = {"REMOTE_ADDR": "198.51.100.7"}  # everyone in school reaches the portal from here
HOME = {"REMOTE_ADDR": "203.0.113.20"}


def fail(client, user, times, **where):
    for _ in range(times):
        response = sign_in(client, user, password="not-my-password", **where)
    return response


def test_lockout_after_the_configured_failures_while_a_colleague_at_the_same_address_signs_in(
    settings, client
):
    settings.AXES_FAILURE_LIMIT = 3
    careless = StaffFactory(email="careless@redbridge.example")
    colleague = StaffFactory(email="colleague@redbridge.example")

    assert fail(client, careless, 2, **SCHOOL).status_code == 200  # still the form
    locked = fail(client, careless, 1, **SCHOOL)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Your account is locked for now" in page
    assert "reset your password" in page
    assert settings.SUPPORT_CONTACT in page

    # Even the right password is refused now, from school and from home.
    assert sign_in(client, careless, **SCHOOL).status_code == 429
    assert sign_in(client, careless, **HOME).status_code == 429

    # A colleague behind the same school address is not affected.
    response = sign_in(client, colleague, **SCHOOL)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_the_lockout_ends_after_the_cooling_off_time(settings, client):
    settings.AXES_FAILURE_LIMIT = 2
    user = StaffFactory()
    fail(client, user, 2, **SCHOOL)
    assert sign_in(client, user, **SCHOOL).status_code == 429
    with time_machine.travel(
        timezone.now() + timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)
    ):
        assert sign_in(client, user, **SCHOOL).status_code == 302


def test_failed_and_successful_sign_ins_and_the_lockout_are_recorded(settings, client):
    settings.AXES_FAILURE_LIMIT = 2
    user = StaffFactory(email="sam@redbridge.example")
    sign_in(client, user, **SCHOOL)
    success = AuditEvent.objects.get(action="login.succeeded")
    assert success.actor == user
    assert success.ip_address == "198.51.100.7"
    client.post(reverse("logout"))
    assert AuditEvent.objects.filter(action="logout", actor=user).exists()

    fail(client, user, 2, **HOME)
    failures = AuditEvent.objects.filter(action="login.failed")
    assert failures.count() == 2
    failure = failures.first()
    assert failure.actor is None
    assert failure.target_id == str(user.pk)
    assert failure.ip_address == "203.0.113.20"
    assert failure.data == {"username": "sam@redbridge.example"}
    assert "not-my-password" not in str(failure.data) + failure.summary
    assert AuditEvent.objects.filter(action="login.locked_out", target_id=str(user.pk)).exists()


def test_a_failed_sign_in_for_an_unknown_address_is_recorded_too(client):
    client.post(reverse("login"), {"username": "nobody@example.com", "password": "guess"})
    event = AuditEvent.objects.get(action="login.failed")
    assert event.target_id == ""
    assert event.data == {"username": "nobody@example.com"}


def test_short_and_common_passwords_are_refused(client):
    user = StaffFactory()
    client.force_login(user)
    for weak in ("Sh0rt!", "password1234", "1234567890123"):
        response = change_password(client, weak)
        assert response.status_code == 200, weak
        assert "There is a problem" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


def test_a_session_ends_after_eight_hours_without_activity(client, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    user = StaffFactory()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, user)
        assert client.get(reverse("home")).status_code == 200
    session = Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)
    assert session.expire_date <= start + timedelta(hours=8, seconds=1)
    with time_machine.travel(start + timedelta(hours=8, minutes=1), tick=False):
        response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_working_session_stays_open_past_eight_hours(client):
    user = StaffFactory()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, user)
    for hour in range(1, 12, 2):  # a request every two hours all day
        with time_machine.travel(start + timedelta(hours=hour), tick=False):
            assert client.get(reverse("home")).status_code == 200, hour


def test_the_session_is_written_at_most_once_every_few_minutes(client, settings):
    user = StaffFactory()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, user)
        client.get(reverse("home"))
        expiry = Session.objects.get(session_key=client.session.session_key).expire_date
    with time_machine.travel(start + timedelta(seconds=60), tick=False):
        client.get(reverse("home"))
    assert Session.objects.get(session_key=client.session.session_key).expire_date == expiry
    later = start + timedelta(seconds=settings.SESSION_REFRESH_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        client.get(reverse("home"))
    refreshed = Session.objects.get(session_key=client.session.session_key).expire_date
    assert refreshed > expiry


def test_closing_an_account_ends_its_sessions(client, policy_admin):
    user = StaffFactory()
    sign_in(client, user)
    assert client.get(reverse("home")).status_code == 200
    person_deactivate(actor=policy_admin, person=user)
    assert not Session.objects.filter(session_key=client.session.session_key).exists()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="user.deactivated", target_id=str(user.pk)).exists()
    # And they cannot sign in again.
    assert sign_in(client, user).status_code == 200


def test_closing_an_account_in_the_admin_ends_its_sessions(client, policy_admin):
    from django.test import Client

    user = StaffFactory()
    their_browser = Client()
    sign_in(their_browser, user)
    policy_admin.is_staff = True
    policy_admin.is_superuser = True
    policy_admin.save()
    client.force_login(policy_admin)
    page = client.get(f"/admin/redbridge_portal/user/{user.pk}/change/")
    form = page.context["adminform"].form
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "groups": [g.pk for g in user.groups.all()],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": form.initial["date_joined"].strftime("%Y-%m-%d"),
        "date_joined_1": form.initial["date_joined"].strftime("%H:%M:%S"),
    }  # is_active left unticked
    response = client.post(f"/admin/redbridge_portal/user/{user.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert their_browser.get(reverse("home")).status_code == 302
    assert AuditEvent.objects.filter(action="user.deactivated", actor=policy_admin).exists()


def test_you_cannot_close_your_own_account(policy_admin):
    with pytest.raises(services.AccountError):
        person_deactivate(actor=policy_admin, person=policy_admin)


def test_staff_cannot_close_accounts(staff_user, other_staff_user):
    with pytest.raises(services.AccountError):
        person_deactivate(actor=staff_user, person=other_staff_user)


def test_changing_the_case_of_the_address_does_not_dodge_the_lockout(settings, client):
    settings.AXES_FAILURE_LIMIT = 2
    user = StaffFactory(email="sam@redbridge.example")
    for typed in ("SAM@redbridge.example", "sam@Redbridge.Example"):
        client.post(reverse("login"), {"username": typed, "password": "wrong"}, **SCHOOL)
    assert sign_in(client, user, **HOME).status_code == 429
