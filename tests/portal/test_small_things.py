"""Small things people notice: email settings that fit the person's role, an audit log in
words that can hide sign-ins."""

import pytest
from django.urls import reverse

from redbridge_portal.models import AuditEvent, EmailPreference, NotificationKind
from redbridge_portal.services import audit_record
from tests.factories import PolicyAdminFactory, SeniorTeamFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _offered(client):
    html = client.get(reverse("notification_settings")).content.decode()
    return {kind for kind, label in NotificationKind.choices if str(label) in html}


def test_staff_are_offered_only_the_emails_that_can_reach_them(client):
    client.force_login(StaffFactory())
    offered = _offered(client)
    assert NotificationKind.COMMENT_ADDED in offered
    assert NotificationKind.POLICY_PUBLISHED in offered
    for senior_only in (
        NotificationKind.POST_SUBMITTED,
        NotificationKind.APPROVAL_REMINDER,
        NotificationKind.DIGEST,
        NotificationKind.CONCERN_RAISED,
        NotificationKind.POLICY_REVIEW,
    ):
        assert senior_only not in offered


def test_the_senior_team_and_policy_admins_see_their_own_kinds(client):
    client.force_login(SeniorTeamFactory())
    senior = _offered(client)
    assert {NotificationKind.POST_SUBMITTED, NotificationKind.DIGEST} <= senior
    assert NotificationKind.POLICY_REVIEW not in senior
    client.force_login(PolicyAdminFactory())
    admin = _offered(client)
    assert {NotificationKind.POLICY_REVIEW, NotificationKind.APPROVAL_ESCALATION} <= admin
    assert NotificationKind.POST_SUBMITTED not in admin


def test_saving_the_settings_leaves_kinds_not_offered_alone(client):
    staff = StaffFactory()
    client.force_login(staff)
    client.post(reverse("notification_settings"), {})
    stored = set(EmailPreference.objects.filter(user=staff).values_list("kind", flat=True))
    assert NotificationKind.COMMENT_ADDED in stored
    assert NotificationKind.POST_SUBMITTED not in stored  # on when they join the senior team


def test_the_audit_log_says_what_happened_in_words_and_can_hide_sign_ins(client):
    admin = PolicyAdminFactory()
    audit_record(actor=admin, action="login.succeeded", summary="")
    audit_record(actor=admin, action="calendar.closure_added", summary="Half term")
    client.force_login(admin)
    html = client.get(reverse("audit_log")).content.decode()
    assert "<td>Signed in</td>" in html
    assert "Added a school closure" in html
    assert "login.succeeded" not in html
    hidden = client.get(reverse("audit_log"), {"hide_sign_ins": "on"}).content.decode()
    assert "Added a school closure" in hidden
    assert "<td>Signed in</td>" not in hidden
    assert AuditEvent.objects.filter(action="login.succeeded").exists()


def test_the_words_portal_js_shows_come_from_the_page(client):
    """The script has no translation catalogue, so the page hands it its (translated) words."""
    client.force_login(StaffFactory())
    html = client.get(reverse("home")).content.decode()
    assert 'data-find-label="Find by name or email"' in html
    assert 'data-find-status="{shown} of {total} shown"' in html


def test_the_admin_site_names_the_school_and_the_portal(settings):
    from django.contrib import admin

    assert str(admin.site.site_header) == f"{settings.SCHOOL_NAME}: staff portal administration"
    assert str(admin.site.site_title) == "Redbridge staff portal"
    assert str(admin.site.index_title) == "Administration"


def test_a_role_change_is_summed_up_in_sentences():
    from redbridge_portal.services.accounts import _describe_role_change

    before = {"roles": ["Staff", "Senior team"], "admin_site": False, "superuser": True}
    after = {"roles": ["Staff", "Policy admin"], "admin_site": True, "superuser": False}
    assert _describe_role_change(before, after) == (
        "Added: Policy admin. Removed: Senior team. Admin site access given. Superuser removed."
    )
