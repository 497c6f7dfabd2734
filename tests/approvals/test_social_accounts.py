"""Policy admins manage the school's social media accounts on the portal's own pages; staff
writing a post are told plainly when there is no account yet, and who can add one."""

import re

import pytest
from django.test import Client

from approvals import social_accounts
from approvals.models import Account
from redbridge_portal.models import AuditEvent
from tests.factories import PolicyAdminFactory, StaffFactory

pytestmark = pytest.mark.django_db

FIELDS = {"name": "School X", "platform": "x", "handle": "@RedbridgeCS", "text_limit": "280"}


def test_a_policy_admin_adds_an_account_staff_can_then_choose(
    policy_admin_client, policy_admin, staff_user
):
    response = policy_admin_client.post(
        "/posts/accounts/new/", {**FIELDS, "managers": [policy_admin.pk]}
    )

    assert response.status_code == 302
    account = Account.objects.get(name="School X")
    assert list(account.managers.all()) == [policy_admin]
    assert AuditEvent.objects.filter(action="account.added", actor=policy_admin).exists()
    client = Client()  # the member of staff's own browser
    client.force_login(staff_user)
    assert "School X (@RedbridgeCS)" in client.get("/posts/new/").content.decode()


def test_bad_input_is_shown_next_to_the_field(policy_admin_client):
    response = policy_admin_client.post(
        "/posts/accounts/new/", {**FIELDS, "text_limit": "0", "handle": " "}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert not Account.objects.exists()


def test_editing_changes_the_details_and_records_before_and_after(policy_admin_client):
    account = Account.objects.create(
        name="Facebook", platform="facebook", handle="@a", text_limit=500
    )

    policy_admin_client.post(
        f"/posts/accounts/{account.pk}/edit/", {**FIELDS, "name": "Facebook page"}
    )

    account.refresh_from_db()
    assert (account.name, account.text_limit) == ("Facebook page", 280)
    change = AuditEvent.objects.get(action="account.changed")
    assert change.data["before"]["name"] == "Facebook" and change.data["after"]["text_limit"] == 280


def test_a_retired_account_is_kept_but_no_longer_offered(policy_admin_client, staff_user):
    account = Account.objects.create(name="Old X", platform="x", handle="@old", text_limit=280)

    policy_admin_client.post(f"/posts/accounts/{account.pk}/retire/")

    account.refresh_from_db()
    assert not account.is_active
    assert AuditEvent.objects.filter(action="account.retired").exists()
    client = Client()  # the member of staff's own browser
    client.force_login(staff_user)
    assert "Old X" not in client.get("/posts/new/").content.decode()
    policy_admin_client.post(f"/posts/accounts/{account.pk}/reinstate/")
    account.refresh_from_db()
    assert account.is_active


def test_retiring_twice_is_explained_not_an_error(policy_admin):
    account = Account.objects.create(name="X", platform="x", handle="@x", text_limit=280)
    social_accounts.social_account_retire(actor=policy_admin, account=account)

    with pytest.raises(social_accounts.AccountManagementError, match="already retired"):
        social_accounts.social_account_retire(actor=policy_admin, account=account)


def test_staff_and_senior_team_cannot_manage_accounts(client, staff_user, senior_user):
    account = Account.objects.create(name="X", platform="x", handle="@x", text_limit=280)
    for person in (staff_user, senior_user):
        client.force_login(person)
        assert client.get("/posts/accounts/").status_code == 403
        assert client.post(f"/posts/accounts/{account.pk}/retire/").status_code == 403
    account.refresh_from_db()
    assert account.is_active


def test_the_post_form_says_there_is_no_account_yet_and_who_can_add_one(client, staff_user):
    PolicyAdminFactory(first_name="Alex", last_name="Hoyle")
    client.force_login(staff_user)

    page = client.get("/posts/new/").content.decode()

    assert "no social media account in the portal yet" in page
    assert "ask Alex Hoyle" in page
    assert "/posts/accounts/new/" not in page


def test_a_policy_admin_writing_a_post_is_offered_the_way_to_add_one(policy_admin_client):
    page = policy_admin_client.get("/posts/new/").content.decode()

    assert "no social media account in the portal yet" in page
    assert 'href="/posts/accounts/new/"' in page


def test_the_notice_goes_once_there_is_an_account(client, staff_user):
    Account.objects.create(name="X", platform="x", handle="@x", text_limit=280)
    client.force_login(staff_user)

    assert "no social media account" not in client.get("/posts/new/").content.decode()


def test_the_people_who_manage_an_account_come_first_in_the_list_of_staff(
    policy_admin_client, policy_admin
):
    # Alphabetically Zara would be last among hundreds; she manages the account, so she leads.
    others = [StaffFactory(first_name="Amy", last_name=f"Abbott{n:03}") for n in range(30)]
    zara = StaffFactory(first_name="Zara", last_name="Zimmerman")
    account = social_accounts.social_account_add(
        actor=policy_admin, **{**FIELDS, "text_limit": 280}, managers=[zara]
    )

    page = policy_admin_client.get(f"/posts/accounts/{account.pk}/edit/").content.decode()

    managers = re.findall(r'name="managers" value="(\d+)"', page)
    assert managers[0] == str(zara.pk)
    assert str(others[0].pk) in managers[1:]
    assert "findable-choices" in page  # the list static/js/portal.js gives a find box
