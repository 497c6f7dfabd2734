import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from redbridge_portal.middleware import current_ip_address
from redbridge_portal.models import AuditEvent, ImmutableRecord
from redbridge_portal.services import audit_record

pytestmark = pytest.mark.django_db


def test_audit_record_says_who_did_what_to_which_record_and_from_where(staff_user):
    token = current_ip_address.set("203.0.113.9")
    try:
        event = audit_record(
            actor=staff_user, action="test.done", target=staff_user, summary="Tested"
        )
    finally:
        current_ip_address.reset(token)
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.actor == staff_user
    assert event.action == "test.done"
    assert event.target_label == str(staff_user)
    assert event.target_id == str(staff_user.pk)
    assert event.ip_address == "203.0.113.9"
    assert event.created_at is not None


def test_an_audit_row_cannot_be_changed_or_deleted_through_the_orm(staff_user):
    event = audit_record(actor=staff_user, action="test.done")
    event.summary = "rewritten"
    with pytest.raises(ImmutableRecord):
        event.save()
    with pytest.raises(ImmutableRecord):
        event.delete()
    with pytest.raises(ImmutableRecord):
        AuditEvent.objects.filter(pk=event.pk).update(summary="rewritten")
    with pytest.raises(ImmutableRecord):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).summary == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_postgresql_refuses_raw_updates_and_deletes_of_audit_rows(staff_user):
    event = audit_record(actor=staff_user, action="test.done")
    for sql in (
        "UPDATE redbridge_portal_auditevent SET summary = 'x' WHERE id = %s",
        "DELETE FROM redbridge_portal_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, summary="").exists()


def test_the_admin_offers_no_way_to_change_or_delete_audit_rows(client, policy_admin):
    policy_admin.is_staff = True
    policy_admin.save()
    event = audit_record(actor=policy_admin, action="test.done")
    client.force_login(policy_admin)
    assert client.get("/admin/redbridge_portal/auditevent/").status_code == 200
    change_page = client.get(f"/admin/redbridge_portal/auditevent/{event.pk}/change/")
    assert b'name="_save"' not in change_page.content
    response = client.post(
        f"/admin/redbridge_portal/auditevent/{event.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
