"""Single sign-on against a real OpenID Connect provider (tests/oidc_provider): who gets in,
which account they get, and what is refused, recorded and never created."""

import pytest
from django.contrib.auth.models import Group

from redbridge_portal import roles
from redbridge_portal.models import AuditEvent, User
from tests.factories import PolicyAdminFactory, SeniorTeamFactory, StaffFactory
from tests.people.conftest import use_provider
from tests.people.oidc_flow import sign_in_at_provider

pytestmark = pytest.mark.django_db


def signed_in_user(client):
    response = client.get("/")
    return response.wsgi_request.user if response.status_code == 200 else None


def test_first_sign_in_makes_a_staff_account_named_from_the_claims(client, sso):
    response = sign_in_at_provider(client, "jo.bloggs@redbridge.example")

    assert response.status_code == 302 and response["Location"] == "/"
    person = User.objects.get(email="jo.bloggs@redbridge.example")
    assert (person.first_name, person.last_name) == ("Jo", "Bloggs")
    assert roles.role_names(person) == [roles.STAFF]
    assert not person.has_usable_password()
    assert signed_in_user(client) == person
    created = AuditEvent.objects.get(action="user.created", target_id=str(person.pk))
    assert "first sign-in" in created.summary
    assert AuditEvent.objects.filter(action="login.sso", actor=person).exists()


def test_an_existing_account_is_linked_by_email_ignoring_case_not_duplicated(client, sso):
    person = SeniorTeamFactory(email="priya.shah@redbridge.example", first_name="Priya")

    sign_in_at_provider(client, "Priya.Shah@Redbridge.example")

    assert User.objects.filter(email__iexact="priya.shah@redbridge.example").count() == 1
    assert signed_in_user(client) == person
    assert roles.role_names(person) == [roles.STAFF, roles.SENIOR_TEAM]  # roles kept
    # The second sign-in finds the link made by the first.
    client.logout()
    sign_in_at_provider(client, "priya.shah@redbridge.example")
    assert signed_in_user(client) == person


@pytest.mark.parametrize(
    ("email", "reason"),
    [
        ("someone@gmail.example", "domain"),
        ("unverified.sam@redbridge.example", "unverified_email"),
    ],
)
def test_a_wrong_domain_or_unverified_email_is_refused_with_nothing_created(
    client, sso, email, reason
):
    users_before = User.objects.count()

    response = sign_in_at_provider(client, email)

    assert response.status_code == 403
    assert "You cannot sign in with that account" in response.content.decode()
    assert User.objects.count() == users_before
    assert signed_in_user(client) is None
    refusal = AuditEvent.objects.get(action="login.sso_refused")
    assert refusal.data["reason"] == reason


def test_a_closed_account_is_refused(client, sso):
    person = StaffFactory(email="leaver@redbridge.example", is_active=False)

    response = sign_in_at_provider(client, "leaver@redbridge.example")

    assert response.status_code == 403
    assert "has been closed" in response.content.decode()
    assert signed_in_user(client) is None
    refusal = AuditEvent.objects.get(action="login.sso_refused")
    assert refusal.data["reason"] == "deactivated"
    assert refusal.target_id == str(person.pk)


def test_an_account_closed_after_linking_is_refused_too(client, sso):
    sign_in_at_provider(client, "jo.bloggs@redbridge.example")
    client.logout()
    User.objects.filter(email="jo.bloggs@redbridge.example").update(is_active=False)

    response = sign_in_at_provider(client, "jo.bloggs@redbridge.example")

    assert response.status_code == 403
    assert signed_in_user(client) is None


def test_another_tenant_is_refused(client, settings, oidc_provider, monkeypatch):
    # The test provider's tokens carry no tenant id: a deployment that names one refuses them.
    use_provider(settings, oidc_provider, monkeypatch, SSO_TENANT="the-schools-tenant")

    response = sign_in_at_provider(client, "jo.bloggs@redbridge.example")

    assert response.status_code == 403
    assert AuditEvent.objects.get(action="login.sso_refused").data["reason"] == "tenant"
    assert not User.objects.filter(email="jo.bloggs@redbridge.example").exists()


class TestTwoFactor:
    @pytest.fixture(autouse=True)
    def _two_factor_on(self, settings):
        settings.TWO_FACTOR_REQUIRED = True

    def test_provider_mfa_means_no_second_step_in_the_portal(self, client, sso):
        PolicyAdminFactory(email="alex.hoyle@redbridge.example")

        sign_in_at_provider(client, "alex.hoyle@redbridge.example", mfa=True)

        response = client.get("/people/")
        assert response.status_code == 200

    def test_without_provider_mfa_the_portal_asks_for_its_own_second_step(self, client, sso):
        PolicyAdminFactory(email="alex.hoyle@redbridge.example")

        sign_in_at_provider(client, "alex.hoyle@redbridge.example")

        response = client.get("/people/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/two-factor/setup/")

    def test_a_provider_trusted_to_enforce_mfa_counts_without_the_claim(
        self, client, settings, oidc_provider, monkeypatch
    ):
        use_provider(settings, oidc_provider, monkeypatch, SSO_TRUSTS_PROVIDER_MFA="true")
        PolicyAdminFactory(email="alex.hoyle@redbridge.example")

        sign_in_at_provider(client, "alex.hoyle@redbridge.example")

        assert client.get("/people/").status_code == 200


class TestSignInPage:
    def test_the_school_account_button_comes_first(self, client, sso):
        page = client.get("/accounts/login/").content.decode()

        assert "Sign in with your school account" in page
        assert page.index("Sign in with your school account") < page.index('name="password"')

    def test_sso_only_hides_passwords_and_refuses_them_for_staff(self, client, settings, sso):
        settings.SSO_ONLY = True
        person = StaffFactory(email="sam@redbridge.example")

        page = client.get("/accounts/login/").content.decode()
        assert 'name="password"' not in page
        response = client.post(
            "/accounts/login/?password=1",
            {"username": person.email, "password": "correct-horse-battery-staple"},
        )
        assert signed_in_user(client) is None
        assert response.status_code == 200

    def test_sso_only_still_lets_a_superuser_use_a_password(self, client, settings, sso):
        settings.SSO_ONLY = True
        User.objects.create_superuser(email="breakglass@redbridge.example", password="x" * 20)

        client.post(
            "/accounts/login/?password=1",
            {"username": "breakglass@redbridge.example", "password": "x" * 20},
        )
        assert signed_in_user(client).email == "breakglass@redbridge.example"

    def test_the_csp_lets_the_sign_in_form_reach_the_provider_and_nowhere_else(self, client, sso):
        policy = client.get("/accounts/login/")["Content-Security-Policy"]
        form_action = next(p for p in policy.split(";") if "form-action" in p).split()[1:]
        assert form_action == ["'self'", sso.origin]


def test_without_sso_the_sign_in_page_has_no_school_account_button(client):
    page = client.get("/accounts/login/").content.decode()
    assert "school account" not in page
    assert Group.objects.filter(name=roles.STAFF).exists()


def test_the_linked_school_account_is_in_the_personal_data_export_and_goes_on_anonymising(
    client, sso, policy_admin
):
    from allauth.socialaccount.models import SocialAccount

    from redbridge_portal import services as portal_services

    sign_in_at_provider(client, "jo.bloggs@redbridge.example")
    person = User.objects.get(email="jo.bloggs@redbridge.example")

    exported = portal_services.personal_data_export(actor=policy_admin, user=person)
    assert exported["people"]["school_accounts"][0]["account_id"] == "jo.bloggs@redbridge.example"

    portal_services.user_anonymise(actor=policy_admin, user=person)
    assert not SocialAccount.objects.filter(user=person).exists()


class TestPasswordsWithSsoOnly:
    @pytest.fixture(autouse=True)
    def _sso_only(self, settings, sso):
        settings.SSO_ONLY = True

    def test_staff_are_told_their_password_is_their_school_accounts(self, client):
        client.force_login(StaffFactory())

        response = client.get("/accounts/password/change/")

        assert response.status_code == 403
        assert "Your password is your school account" in response.content.decode()

    def test_a_reset_email_goes_only_to_a_superuser(self, client, mailoutbox):
        StaffFactory(email="sam@redbridge.example")
        User.objects.create_superuser(email="it@redbridge.example", password="x" * 20)

        client.post("/accounts/password/reset/", {"email": "sam@redbridge.example"})
        client.post("/accounts/password/reset/", {"email": "it@redbridge.example"})

        assert [m.to for m in mailoutbox] == [["it@redbridge.example"]]


def test_someone_added_without_a_password_can_choose_their_first_one(client, mailoutbox):
    person = User(email="new@redbridge.example", first_name="New", last_name="One")
    person.set_unusable_password()
    person.save()

    client.post("/accounts/password/reset/", {"email": "new@redbridge.example"})

    assert [m.to for m in mailoutbox] == [["new@redbridge.example"]]
