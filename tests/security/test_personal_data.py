"""Subject access requests and anonymising a departed member of staff."""

import json

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from approvals import services as approvals_services
from redbridge_portal import services
from redbridge_portal.models import AuditEvent, EmailPreference, Notification, User
from tests.approvals.factories import approved_post
from tests.factories import StaffFactory
from tests.security.conftest import give_two_factor, sign_in

pytestmark = pytest.mark.django_db


def export(client, person):
    response = client.post(reverse("person_export", args=[person.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="personal-data-{person.pk}.json"'
    )
    return json.loads(response.content)


def test_a_policy_admin_downloads_everything_held_about_one_person(
    policy_admin_client, policy_admin, staff_user, senior_user
):
    services.notify(recipients=[staff_user], kind="post_decided", subject="Approved", message="Hi")
    services.audit_record(actor=staff_user, action="post.submitted", target=staff_user)
    post = approved_post(staff_user, senior_user)
    data = export(policy_admin_client, staff_user)
    assert data["account"]["email"] == staff_user.email
    assert data["account"]["first_name"] == "Sam"
    assert data["roles"] == ["Staff"]
    assert "Approved" in [n["subject"] for n in data["notifications"]]
    assert "post.submitted" in [e["action"] for e in data["audit_events_by_them"]]
    assert data["two_factor"] == {"authenticator_app": False, "backup_codes_left": 0}
    assert post.pk
    event = AuditEvent.objects.get(action="personal_data.exported")
    assert event.actor == policy_admin
    assert event.target_id == str(staff_user.pk)


def test_each_app_adds_what_it_holds_through_its_selectors(
    monkeypatch, policy_admin_client, staff_user
):
    import approvals.selectors

    def personal_data(user):
        return {"posts": [f"post by {user.pk}"]}

    monkeypatch.setattr(approvals.selectors, "personal_data", personal_data, raising=False)
    data = export(policy_admin_client, staff_user)
    assert data["approvals"] == {"posts": [f"post by {staff_user.pk}"]}


def test_the_export_never_contains_secrets(policy_admin_client, staff_user):
    give_two_factor(staff_user, backup_codes=["secretcode1"])
    raw = policy_admin_client.post(reverse("person_export", args=[staff_user.pk])).content
    assert b"secretcode1" not in raw
    assert staff_user.password.encode() not in raw
    assert json.loads(raw)["two_factor"] == {"authenticator_app": True, "backup_codes_left": 1}


def test_only_policy_admins_manage_personal_data(client, staff_user, senior_user, other_staff_user):
    for user in (staff_user, senior_user):
        client.force_login(user)
        assert client.get(reverse("people")).status_code == 403
        assert client.post(reverse("person_export", args=[other_staff_user.pk])).status_code == 403
        anonymise = reverse("person_anonymise", args=[other_staff_user.pk])
        assert client.post(anonymise, {"confirm": "on"}).status_code == 403
    other_staff_user.refresh_from_db()
    assert not other_staff_user.is_anonymised
    with pytest.raises(services.AccountError):
        services.personal_data_export(actor=staff_user, user=other_staff_user)
    with pytest.raises(services.AccountError):
        services.user_anonymise(actor=staff_user, user=other_staff_user)


def test_the_people_pages(policy_admin_client, staff_user, django_assert_max_num_queries):
    response = policy_admin_client.get(reverse("people"), {"search": "Patel"})
    assert [p.pk for p in response.context["page_obj"]] == [staff_user.pk]
    assert (
        policy_admin_client.get(reverse("person_detail", args=[staff_user.pk])).status_code == 200
    )
    assert policy_admin_client.get(reverse("person_detail", args=[999999])).status_code == 404
    StaffFactory.create_batch(3)
    policy_admin_client.get(reverse("people"))
    with django_assert_max_num_queries(12) as few:
        policy_admin_client.get(reverse("people"))
    few_count = len(few.captured_queries)  # (the next request empties the log)
    StaffFactory.create_batch(20)
    policy_admin_client.get(
        reverse("people")
        # The change is read in once, as on the user's next visit.
    )
    with django_assert_max_num_queries(few_count):
        policy_admin_client.get(reverse("people"))


def test_anonymising_removes_the_person_but_keeps_the_record(
    client, policy_admin, staff_user, senior_user
):
    post = approved_post(staff_user, senior_user)
    approvals_services.post_mark_published(
        actor=staff_user, post=post, published_at=timezone.now(), url="https://x.com/rcs/1"
    )
    services.notify(recipients=[staff_user], kind="post_decided", subject="Approved", message="Hi")
    services.email_preferences_set(user=staff_user, enabled_kinds=[])
    give_two_factor(staff_user)
    their_browser = type(client)()
    sign_in(their_browser, staff_user)
    client.force_login(policy_admin)
    events_before = AuditEvent.objects.count()
    page = client.get(reverse("person_anonymise", args=[staff_user.pk]))
    assert "cannot be undone" in page.content.decode()
    refused = client.post(reverse("person_anonymise", args=[staff_user.pk]), {})
    assert refused.status_code == 200  # the box must be ticked
    response = client.post(reverse("person_anonymise", args=[staff_user.pk]), {"confirm": "on"})
    assert response.status_code == 302

    person = User.objects.get(pk=staff_user.pk)
    assert str(person) == f"Former member of staff {person.pk}"
    assert person.email == f"former-staff-{person.pk}@anonymised.invalid"
    assert "Sam" not in str(person) and "Patel" not in person.email
    assert not person.is_active and not person.has_usable_password()
    assert not person.groups.exists()
    assert not Notification.objects.filter(recipient=person).exists()
    assert not EmailPreference.objects.filter(user=person).exists()
    assert not Session.objects.filter(session_key=their_browser.session.session_key).exists()

    # The audit trail is whole: nothing removed, one row added, old rows still point at them.
    assert AuditEvent.objects.count() == events_before + 1
    assert AuditEvent.objects.filter(actor=person, action="post.submitted").exists()
    event = AuditEvent.objects.get(action="user.anonymised")
    assert event.actor == policy_admin
    assert "Sam" not in json.dumps(event.data) + event.summary

    # The published log still shows who approved their post.
    client.force_login(senior_user)
    log = client.get(reverse("approvals:published_log")).content.decode()
    assert str(person) in log
    assert str(senior_user) in log
    assert "Sam Patel" not in log


def test_you_cannot_anonymise_yourself_or_anyone_twice(
    policy_admin_client, policy_admin, staff_user
):
    response = policy_admin_client.post(
        reverse("person_anonymise", args=[policy_admin.pk]), {"confirm": "on"}, follow=True
    )
    assert "You cannot anonymise your own account" in response.content.decode()
    assert not User.objects.get(pk=policy_admin.pk).is_anonymised
    services.user_anonymise(actor=policy_admin, user=staff_user)
    with pytest.raises(services.AccountError):
        services.user_anonymise(actor=policy_admin, user=staff_user)


def test_anonymising_lets_each_app_blank_its_own_personal_details(
    monkeypatch, policy_admin, staff_user
):
    import approvals.services

    called = []
    monkeypatch.setattr(
        approvals.services,
        "personal_data_anonymise",
        lambda *, user: called.append(user.pk),
        raising=False,
    )
    services.user_anonymise(actor=policy_admin, user=staff_user)
    assert called == [staff_user.pk]
