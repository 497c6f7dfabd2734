"""The single sign-on settings read from the environment, and the school's rules applied to what
each kind of provider says (Microsoft's and Google's data as their APIs give it)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from people import sso
from tests.people.conftest import sso_settings_from_env

REQUIRED = {
    "SSO_CLIENT_ID": "client",
    "SSO_CLIENT_SECRET": "secret",
    "SSO_ALLOWED_DOMAINS": "Redbridge.sch.uk, @staff.redbridge.sch.uk",
}


class TestSettings:
    def test_unset_means_passwords_only(self, monkeypatch):
        found = sso_settings_from_env(monkeypatch)
        assert found["SSO_PROVIDER"] == "" and found["SOCIALACCOUNT_PROVIDERS"] == {}
        assert found["SSO_FORM_ACTION_ORIGINS"] == []

    def test_microsoft_is_locked_to_the_school_tenant(self, monkeypatch):
        found = sso_settings_from_env(
            monkeypatch, SSO_PROVIDER="microsoft", SSO_TENANT="tenant-id", **REQUIRED
        )

        app = found["SOCIALACCOUNT_PROVIDERS"]["microsoft"]["APPS"][0]
        assert app["settings"]["tenant"] == "tenant-id"
        assert found["SSO_ALLOWED_DOMAINS"] == ["redbridge.sch.uk", "staff.redbridge.sch.uk"]
        assert found["SSO_FORM_ACTION_ORIGINS"] == ["https://login.microsoftonline.com"]
        assert found["SSO_BUTTON_LABEL"] == "Sign in with your school Microsoft account"

    @pytest.mark.parametrize("tenant", ["", "common", "organizations", "consumers"])
    def test_microsoft_without_the_school_tenant_is_refused(self, monkeypatch, tenant):
        with pytest.raises(ImproperlyConfigured, match="SSO_TENANT"):
            sso_settings_from_env(
                monkeypatch, SSO_PROVIDER="microsoft", SSO_TENANT=tenant, **REQUIRED
            )

    def test_google_asks_for_the_workspace_domain(self, monkeypatch):
        found = sso_settings_from_env(monkeypatch, SSO_PROVIDER="google", **REQUIRED)

        assert found["SSO_TENANT"] == "redbridge.sch.uk"
        assert found["SOCIALACCOUNT_PROVIDERS"]["google"]["AUTH_PARAMS"] == {
            "hd": "redbridge.sch.uk"
        }

    def test_oidc_needs_the_issuer(self, monkeypatch):
        with pytest.raises(ImproperlyConfigured, match="SSO_SERVER_URL"):
            sso_settings_from_env(monkeypatch, SSO_PROVIDER="oidc", **REQUIRED)
        found = sso_settings_from_env(
            monkeypatch,
            SSO_PROVIDER="oidc",
            SSO_SERVER_URL="https://id.example.org/realm/",
            **REQUIRED,
        )
        assert found["SSO_FORM_ACTION_ORIGINS"] == ["https://id.example.org"]

    @pytest.mark.parametrize("missing", sorted(REQUIRED))
    def test_each_required_variable_is_named_when_missing(self, monkeypatch, missing):
        values = {k: v for k, v in REQUIRED.items() if k != missing}
        with pytest.raises(ImproperlyConfigured, match=missing):
            sso_settings_from_env(monkeypatch, SSO_PROVIDER="google", **values)

    def test_an_unknown_provider_is_refused(self, monkeypatch):
        with pytest.raises(ImproperlyConfigured, match="SSO_PROVIDER"):
            sso_settings_from_env(monkeypatch, SSO_PROVIDER="okta", **REQUIRED)


class TestOtherOrganisation:
    def test_a_microsoft_guest_from_another_tenant(self, settings):
        settings.SSO_TENANT = "school-tenant"
        guest = {"userPrincipalName": "jo_other.org#EXT#@school.onmicrosoft.com"}
        member = {"userPrincipalName": "jo@redbridge.sch.uk"}

        assert sso.from_other_organisation("microsoft", [guest])
        assert not sso.from_other_organisation("microsoft", [member])
        assert sso.from_other_organisation("microsoft", [{**member, "tid": "another-tenant"}])

    def test_a_google_account_outside_the_workspace(self, settings):
        settings.SSO_TENANT = "redbridge.sch.uk"

        assert not sso.from_other_organisation("google", [{"hd": "redbridge.sch.uk"}])
        assert sso.from_other_organisation("google", [{"hd": "other.sch.uk"}])
        assert sso.from_other_organisation("google", [{"email": "someone@gmail.com"}])  # personal


class TestRefusal:
    @pytest.fixture(autouse=True)
    def _domains(self, settings):
        settings.SSO_ALLOWED_DOMAINS = ["redbridge.sch.uk"]
        settings.SSO_TRUSTS_PROVIDER_MFA = False

    def identity(self, **changes):
        values = {"provider": "oidc", "email": "jo@redbridge.sch.uk", "email_verified": True}
        return sso.Identity(**{**values, **changes})

    def test_a_verified_school_address_is_let_in(self):
        assert sso.refusal(self.identity()) is None

    def test_the_domain_is_compared_ignoring_case(self):
        assert sso.refusal(self.identity(email="Jo@Redbridge.SCH.uk")) is None

    def test_a_lookalike_domain_is_refused(self):
        refused = sso.refusal(self.identity(email="jo@redbridge.sch.uk.evil.example"))
        assert refused.reason == "domain"

    def test_mfa_comes_from_the_amr_claim_or_the_setting(self, settings):
        assert sso.used_second_factor(self.identity(amr=("pwd", "mfa")))
        assert not sso.used_second_factor(self.identity(amr=("pwd",)))
        settings.SSO_TRUSTS_PROVIDER_MFA = True
        assert sso.used_second_factor(self.identity(amr=()))
