"""The audit log: role changes and refusals are recorded; policy admins read and export it;
nobody can change it."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from redbridge_portal import roles
from redbridge_portal.models import AuditEvent, ImmutableRecord
from redbridge_portal.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, policy_admin):
    policy_admin.is_staff = True
    policy_admin.is_superuser = True
    policy_admin.save()
    client.force_login(policy_admin)
    return client


def change_page_data(client, user, **changes):
    form = client.get(f"/admin/redbridge_portal/user/{user.pk}/change/").context["adminform"].form
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": "on",
        "groups": [g.pk for g in user.groups.all()],
        "date_joined_0": form.initial["date_joined"].strftime("%Y-%m-%d"),
        "date_joined_1": form.initial["date_joined"].strftime("%H:%M:%S"),
    }
    data.update(changes)
    return data


def test_a_role_change_in_the_admin_is_recorded_with_before_and_after(
    admin_client, policy_admin, staff_user
):
    senior = Group.objects.get(name=roles.SENIOR_TEAM)
    data = change_page_data(
        admin_client,
        staff_user,
        groups=[*staff_user.groups.values_list("pk", flat=True), senior.pk],
    )
    response = admin_client.post(f"/admin/redbridge_portal/user/{staff_user.pk}/change/", data)
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="user.roles_changed")
    assert event.actor == policy_admin
    assert event.target_id == str(staff_user.pk)
    assert event.data["before"]["roles"] == ["Staff"]
    assert event.data["after"]["roles"] == ["Staff", "Senior team"]
    assert event.summary == "Added: Senior team."


def test_saving_without_a_change_records_no_role_change(admin_client, staff_user):
    data = change_page_data(admin_client, staff_user)
    admin_client.post(f"/admin/redbridge_portal/user/{staff_user.pk}/change/", data)
    assert not AuditEvent.objects.filter(action="user.roles_changed").exists()


def test_the_admin_cannot_delete_accounts(admin_client, staff_user):
    response = admin_client.post(
        f"/admin/redbridge_portal/user/{staff_user.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert type(staff_user).objects.filter(pk=staff_user.pk).exists()


def test_a_refused_access_is_recorded_with_the_path(client, staff_user):
    client.force_login(staff_user)
    response = client.get("/audit/", REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 403
    assert "You cannot use this page" in response.content.decode()
    event = AuditEvent.objects.get(action="access.refused")
    assert event.actor == staff_user
    assert event.data == {"path": "/audit/", "method": "GET", "reason": "permission"}
    assert event.ip_address == "198.51.100.7"


def test_a_form_without_its_security_token_is_refused_explained_and_recorded(staff_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    response = client.post(reverse("notifications_mark_read"))
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()
    assert AuditEvent.objects.get(action="access.refused").data["reason"] == "csrf"


def test_only_policy_admins_see_the_audit_log(client, staff_user, senior_user, policy_admin):
    for user, status in ((staff_user, 403), (senior_user, 403), (policy_admin, 200)):
        client.force_login(user)
        assert client.get(reverse("audit_log")).status_code == status
        assert client.get(reverse("audit_log_csv")).status_code == status


def test_the_audit_log_filters(policy_admin_client, staff_user, other_staff_user):
    audit_record(actor=staff_user, action="post.approved", target=other_staff_user)
    audit_record(actor=other_staff_user, action="policy.published", summary="Version 2")
    page = policy_admin_client.get(reverse("audit_log"), {"action": "post."})
    events = list(page.context["page_obj"])
    assert [e.action for e in events] == ["post.approved"]
    page = policy_admin_client.get(reverse("audit_log"), {"person": other_staff_user.last_name})
    assert [e.action for e in page.context["page_obj"]] == ["policy.published"]
    page = policy_admin_client.get(reverse("audit_log"), {"record": other_staff_user.first_name})
    assert [e.action for e in page.context["page_obj"]] == ["post.approved"]
    bad = policy_admin_client.get(
        reverse("audit_log"), {"date_from": "2026-02-30", "date_to": "not a date"}
    )
    assert bad.status_code == 200
    assert "There is a problem" in bad.content.decode()


def test_the_audit_log_page_queries_do_not_grow(
    policy_admin_client, staff_user, django_assert_max_num_queries, django_assert_num_queries
):
    for _ in range(3):
        audit_record(actor=staff_user, action="post.approved", target=staff_user)
    policy_admin_client.get(reverse("audit_log"))
    with django_assert_max_num_queries(12) as few:
        policy_admin_client.get(reverse("audit_log"))
    for n in range(60):
        audit_record(actor=staff_user, action=f"test.action{n}", target=staff_user)
    with django_assert_num_queries(len(few.captured_queries)):
        policy_admin_client.get(reverse("audit_log"))


def read_csv(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_csv_export_streams_every_matching_row_in_utc(policy_admin_client, staff_user):
    audit_record(actor=staff_user, action="post.approved", target=staff_user, summary="=cmd()")
    response = policy_admin_client.get(reverse("audit_log_csv"), {"action": "post."})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-log-')
    rows = read_csv(response)
    assert rows[0][0] == "When (UTC)"
    assert len(rows) == 2
    assert rows[1][1] == str(staff_user)
    assert rows[1][3] == "post.approved"
    assert rows[1][7] == "'=cmd()"  # a formula is never run by a spreadsheet
    assert AuditEvent.objects.filter(action="audit_log.exported").exists()


def test_the_csv_export_queries_do_not_grow(
    policy_admin_client, staff_user, django_assert_max_num_queries, django_assert_num_queries
):
    audit_record(actor=staff_user, action="post.approved", target=staff_user)
    read_csv(policy_admin_client.get(reverse("audit_log_csv")))  # the session is refreshed once
    with django_assert_max_num_queries(20) as few:
        read_csv(policy_admin_client.get(reverse("audit_log_csv")))
    for _ in range(50):
        audit_record(actor=staff_user, action="post.approved", target=staff_user)
    with django_assert_num_queries(len(few.captured_queries)):
        rows = read_csv(policy_admin_client.get(reverse("audit_log_csv")))
    assert len(rows) > 50


def test_an_audit_row_cannot_be_changed_or_deleted(admin_client, staff_user):
    event = audit_record(actor=staff_user, action="post.approved", target=staff_user)
    with pytest.raises(ImmutableRecord):
        AuditEvent.objects.filter(pk=event.pk).update(action="post.rejected")
    with pytest.raises(ImmutableRecord):
        event.delete()
    change = f"/admin/redbridge_portal/auditevent/{event.pk}/change/"
    admin_client.post(change, {"action": "post.rejected", "summary": "rewritten"})
    deleted = admin_client.post(
        f"/admin/redbridge_portal/auditevent/{event.pk}/delete/", {"post": "yes"}
    )
    assert deleted.status_code == 403
    bulk = admin_client.post(
        "/admin/redbridge_portal/auditevent/",
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    # No bulk actions are offered, so the list page is shown again with nothing done.
    assert bulk.status_code == 200
    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.action, event.summary) == ("post.approved", "")
