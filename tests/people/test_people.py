"""The people pages for policy admins: add someone, their roles, closing and reopening an
account, with the rules a school relies on (never your own roles, never the last policy
admin) and an audit entry and an email for every change."""

import pytest
from django.test import Client

from people import services
from redbridge_portal import roles
from redbridge_portal.models import AuditEvent, Notification, User
from redbridge_portal.services import AccountError
from tests.factories import PolicyAdminFactory, SeniorTeamFactory, StaffFactory
from tests.security.conftest import sign_in

pytestmark = pytest.mark.django_db


def told(person, words):
    return Notification.objects.filter(recipient=person, message__icontains=words).exists()


class TestList:
    def test_lists_everyone_with_roles_last_sign_in_and_status(self, policy_admin_client):
        StaffFactory(first_name="Sam", last_name="Patel")
        StaffFactory(first_name="Lee", last_name="Gone", is_active=False)

        page = policy_admin_client.get("/people/").content.decode()

        assert "Sam Patel" in page and "Lee Gone" in page
        assert "Closed" in page and "Can sign in" in page
        assert "Never" in page  # last sign-in
        assert 'href="/people/add/"' in page and 'href="/people/import/"' in page

    def test_search_finds_by_part_of_the_name_or_email(self, policy_admin_client):
        StaffFactory(first_name="Sam", last_name="Patel", email="spatel@redbridge.example")
        StaffFactory(first_name="Jo", last_name="Okafor")

        page = policy_admin_client.get("/people/", {"search": "patel"}).content.decode()

        assert "Sam Patel" in page and "Jo Okafor" not in page

    def test_staff_and_senior_team_cannot_open_it(self, client, staff_user, senior_user):
        for person in (staff_user, senior_user):
            client.force_login(person)
            assert client.get("/people/").status_code == 403
            assert client.get("/people/add/").status_code == 403


class TestAdd:
    def test_adds_a_person_as_staff_with_chosen_roles_and_tells_them(
        self, policy_admin_client, policy_admin
    ):
        response = policy_admin_client.post(
            "/people/add/",
            {
                "first_name": "Kim",
                "last_name": "Lowe",
                "email": "Kim.Lowe@Redbridge.example",
                "extra_roles": [roles.SENIOR_TEAM],
            },
        )

        person = User.objects.get(email="kim.lowe@redbridge.example")
        assert response.status_code == 302 and response["Location"] == f"/people/{person.pk}/"
        assert roles.role_names(person) == [roles.STAFF, roles.SENIOR_TEAM]
        assert AuditEvent.objects.filter(action="user.created", actor=policy_admin).exists()
        assert told(person, "given you an account")

    def test_an_email_someone_has_is_refused_next_to_the_field(self, policy_admin_client):
        StaffFactory(email="kim@redbridge.example")

        response = policy_admin_client.post(
            "/people/add/", {"first_name": "K", "last_name": "L", "email": "KIM@redbridge.example"}
        )

        assert response.status_code == 200
        assert "already has the email address" in response.content.decode()
        assert User.objects.filter(email__iexact="kim@redbridge.example").count() == 1

    def test_with_sso_only_school_addresses_are_accepted(self, policy_admin_client, settings):
        settings.SSO_ALLOWED_DOMAINS = ["redbridge.example"]

        response = policy_admin_client.post(
            "/people/add/", {"first_name": "K", "last_name": "L", "email": "k@gmail.example"}
        )

        assert response.status_code == 200
        assert "school email address" in response.content.decode()
        assert not User.objects.filter(email="k@gmail.example").exists()


class TestRoles:
    def test_gives_and_removes_roles_and_tells_the_person(self, policy_admin_client, policy_admin):
        person = StaffFactory()

        policy_admin_client.post(
            f"/people/{person.pk}/roles/", {"extra_roles": [roles.SENIOR_TEAM]}
        )
        assert roles.role_names(person) == [roles.STAFF, roles.SENIOR_TEAM]
        assert told(person, "Senior team")

        policy_admin_client.post(f"/people/{person.pk}/roles/", {})
        assert roles.role_names(person) == [roles.STAFF]
        changes = AuditEvent.objects.filter(action="user.roles_changed", target_id=str(person.pk))
        assert changes.count() == 2

    def test_a_policy_admin_cannot_change_their_own_roles(self, policy_admin_client, policy_admin):
        PolicyAdminFactory()  # not the last one: the refusal is about "own"

        response = policy_admin_client.post(f"/people/{policy_admin.pk}/roles/", {}, follow=True)

        assert "cannot change your own roles" in response.content.decode()
        assert roles.POLICY_ADMIN in roles.role_names(policy_admin)

    def test_the_last_policy_admin_cannot_be_removed(self):
        only_admin = PolicyAdminFactory()
        superuser = User.objects.create_superuser(email="it@redbridge.example", password="x" * 20)

        with pytest.raises(AccountError, match="only policy admin"):
            services.person_roles_set(actor=superuser, person=only_admin, extra_roles=[])
        with pytest.raises(AccountError, match="only policy admin"):
            services.person_deactivate(actor=superuser, person=only_admin)
        assert roles.POLICY_ADMIN in roles.role_names(only_admin)

    def test_a_second_admin_can_be_removed_once_there_is_another(self, policy_admin):
        other = PolicyAdminFactory()

        services.person_roles_set(actor=policy_admin, person=other, extra_roles=[])

        assert roles.role_names(other) == [roles.STAFF]

    def test_unchanged_roles_record_nothing(self, policy_admin):
        person = SeniorTeamFactory()

        services.person_roles_set(
            actor=policy_admin, person=person, extra_roles=[roles.SENIOR_TEAM]
        )

        assert not AuditEvent.objects.filter(action="user.roles_changed").exists()


class TestDeactivate:
    def test_a_leaver_is_signed_out_everywhere_at_once_and_kept(
        self, policy_admin_client, policy_admin
    ):
        leaver = StaffFactory()
        their_phone, their_laptop = Client(), Client()
        for device in (their_phone, their_laptop):
            sign_in(device, leaver)
            assert device.get("/").status_code == 200

        response = policy_admin_client.post(f"/people/{leaver.pk}/deactivate/")

        assert response.status_code == 302
        for device in (their_phone, their_laptop):
            assert device.get("/")["Location"].startswith("/accounts/login/")
        leaver.refresh_from_db()
        assert not leaver.is_active and User.objects.filter(pk=leaver.pk).exists()
        event = AuditEvent.objects.get(action="user.deactivated", target_id=str(leaver.pk))
        assert event.data["sessions_ended"] == 2
        assert told(leaver, "closed your account")

    def test_cannot_close_your_own_account(self, policy_admin_client, policy_admin):
        response = policy_admin_client.post(f"/people/{policy_admin.pk}/deactivate/", follow=True)

        assert "cannot close your own account" in response.content.decode()
        policy_admin.refresh_from_db()
        assert policy_admin.is_active

    def test_reactivate_lets_them_sign_in_again(self, policy_admin_client):
        person = StaffFactory(is_active=False)

        policy_admin_client.post(f"/people/{person.pk}/reactivate/")

        person.refresh_from_db()
        assert person.is_active
        assert AuditEvent.objects.filter(action="user.reactivated").exists()
        device = Client()
        sign_in(device, person)
        assert device.get("/").status_code == 200

    def test_an_anonymised_account_cannot_be_reopened(self, policy_admin):
        person = StaffFactory(email="former-staff-9@anonymised.invalid", is_active=False)

        with pytest.raises(AccountError, match="anonymised"):
            services.person_reactivate(actor=policy_admin, person=person)


@pytest.mark.parametrize("count", [3, 60])
def test_the_list_costs_the_same_queries_for_few_or_many_people(
    policy_admin_client, django_assert_num_queries, count
):
    for _ in range(count):
        SeniorTeamFactory()
    policy_admin_client.get("/people/")  # warm the content-type and permission caches

    # (The user's own and their groups' permissions are one query; one is the navigation asking
    # whether a policy admin looks after an account.)
    with django_assert_num_queries(8):
        response = policy_admin_client.get("/people/")

    assert response.status_code == 200


def _first_lookup_misses(monkeypatch, email):
    """Make the first look-up of `email` find nothing, as when another request creates the
    account between this one's check and its insert."""
    real_filter = User.objects.filter
    missed = []

    def filter_(*args, **kwargs):
        if not missed and kwargs.get("email__iexact") == email:
            missed.append(True)
            return User.objects.none()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(User.objects, "filter", filter_)


def test_adding_the_same_person_twice_at_once_is_refused_not_a_server_error(
    policy_admin, monkeypatch
):
    services.person_add(
        actor=policy_admin, email="jo.newton@redbridge.example", first_name="Jo", last_name="N"
    )
    _first_lookup_misses(monkeypatch, "jo.newton@redbridge.example")
    with pytest.raises(AccountError, match="already has the email address"):
        services.person_add(
            actor=policy_admin, email="Jo.Newton@redbridge.example", first_name="Jo", last_name="N"
        )
    assert User.objects.filter(email__iexact="jo.newton@redbridge.example").count() == 1


def test_two_first_sign_ins_at_once_share_one_account(db, monkeypatch):
    first = services.sso_person_for(
        email="sam.lee@redbridge.example", first_name="Sam", last_name="Lee", provider="oidc"
    )
    _first_lookup_misses(monkeypatch, "sam.lee@redbridge.example")
    second = services.sso_person_for(
        email="sam.lee@redbridge.example", first_name="Sam", last_name="Lee", provider="oidc"
    )
    assert second == first
    assert User.objects.filter(email__iexact="sam.lee@redbridge.example").count() == 1
