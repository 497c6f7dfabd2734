"""Single sign-on settings, read from the environment by redbridge_portal/settings.py.

One provider per deployment (SSO_PROVIDER): "microsoft" (Microsoft Entra ID, the accounts of
Microsoft 365), "google" (Google Workspace) or "oidc" (any OpenID Connect provider, found by
discovery at SSO_SERVER_URL). Unset, the portal signs in with passwords only. The providers are
django-allauth's, configured through SOCIALACCOUNT_PROVIDERS "APPS" (no database rows).

This module is imported while settings load: it must not import Django models.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PROVIDERS = ("microsoft", "google", "oidc")
# The OpenID Connect provider's id in the portal's addresses: /accounts/oidc/school/login/.
OIDC_PROVIDER_ID = "school"
# Microsoft's multi-organisation endpoints would let any organisation's accounts in.
MICROSOFT_SHARED_TENANTS = {"common", "organizations", "consumers"}

# Lazy: settings load before translations can be.
DEFAULT_BUTTON_LABELS = {
    "microsoft": _("Sign in with your school Microsoft account"),
    "google": _("Sign in with your school Google account"),
    "oidc": _("Sign in with your school account"),
}


def sso_settings(env) -> dict:
    """The settings for single sign-on, as a dict for settings.py to take in."""
    provider = env.str("SSO_PROVIDER", default="").strip().lower()
    settings = {
        "SSO_PROVIDER": provider,
        "SSO_ONLY": False,
        "SSO_TRUSTS_PROVIDER_MFA": False,
        "SSO_ALLOWED_DOMAINS": [],
        "SSO_TENANT": "",
        "SSO_BUTTON_LABEL": "",
        "SSO_LOGOUT_URL": "",
        "SSO_FORM_ACTION_ORIGINS": [],
        "SOCIALACCOUNT_PROVIDERS": {},
    }
    if not provider:
        return settings
    if provider not in PROVIDERS:
        raise ImproperlyConfigured(
            f"SSO_PROVIDER must be one of {', '.join(PROVIDERS)} (or unset), not {provider!r}."
        )
    client_id = env.str("SSO_CLIENT_ID", default="")
    secret = env.str("SSO_CLIENT_SECRET", default="")
    domains = [d.strip().lower().lstrip("@") for d in env.list("SSO_ALLOWED_DOMAINS", default=[])]
    domains = [d for d in domains if d]
    if not client_id or not secret:
        raise ImproperlyConfigured("SSO_PROVIDER is set: give SSO_CLIENT_ID and SSO_CLIENT_SECRET.")
    if not domains:
        raise ImproperlyConfigured(
            "SSO_PROVIDER is set: give SSO_ALLOWED_DOMAINS, the school's email domains "
            "(comma-separated), so that nobody else's accounts are let in."
        )
    tenant = env.str("SSO_TENANT", default="").strip()
    app = {"client_id": client_id, "secret": secret, "settings": {}}

    if provider == "microsoft":
        if not tenant or tenant.lower() in MICROSOFT_SHARED_TENANTS:
            raise ImproperlyConfigured(
                "SSO_PROVIDER=microsoft needs SSO_TENANT, the school's Directory (tenant) ID, "
                "so that only the school's own accounts can sign in."
            )
        app["settings"] = {"tenant": tenant, "verified_email": True}
        providers = {"microsoft": {"APPS": [app], "SCOPE": ["User.Read"]}}
        origins = ["https://login.microsoftonline.com"]
        logout_url = f"https://login.microsoftonline.com/{tenant}/oauth2/v2.0/logout"
    elif provider == "google":
        # The hosted domain of the school's Google Workspace: Google's `hd` claim must match.
        tenant = (tenant or domains[0]).lower()
        providers = {
            "google": {
                "APPS": [app],
                "SCOPE": ["profile", "email"],
                "AUTH_PARAMS": {"hd": tenant},
                "OAUTH_PKCE_ENABLED": True,
            }
        }
        origins = ["https://accounts.google.com"]
        logout_url = "https://accounts.google.com/Logout"
    else:
        server_url = env.str("SSO_SERVER_URL", default="").strip().rstrip("/")
        parts = urlsplit(server_url)
        if parts.scheme not in {"https", "http"} or not parts.netloc:
            raise ImproperlyConfigured(
                "SSO_PROVIDER=oidc needs SSO_SERVER_URL, the provider's issuer address "
                "(its discovery document is at <issuer>/.well-known/openid-configuration)."
            )
        app.update(
            provider_id=OIDC_PROVIDER_ID,
            name=env.str("SSO_BUTTON_LABEL", default="") or DEFAULT_BUTTON_LABELS["oidc"],
        )
        app["settings"] = {"server_url": server_url, "oauth_pkce_enabled": True}
        providers = {"openid_connect": {"APPS": [app]}}
        origins = [f"{parts.scheme}://{parts.netloc}"]
        logout_url = env.str("SSO_LOGOUT_URL", default="")

    settings.update(
        SSO_ONLY=env.bool("SSO_ONLY", default=False),
        SSO_TRUSTS_PROVIDER_MFA=env.bool("SSO_TRUSTS_PROVIDER_MFA", default=False),
        SSO_ALLOWED_DOMAINS=domains,
        SSO_TENANT=tenant,
        SSO_BUTTON_LABEL=env.str("SSO_BUTTON_LABEL", default="") or DEFAULT_BUTTON_LABELS[provider],
        SSO_LOGOUT_URL=logout_url,
        SSO_FORM_ACTION_ORIGINS=origins,
        SOCIALACCOUNT_PROVIDERS=providers,
    )
    return settings


# What allauth needs whatever the provider: the portal keeps its own sign-in page, sign-up and
# email pages; allauth only runs the provider's handshake (people.adapters decide the rest).
ALLAUTH_SETTINGS = {
    "ACCOUNT_ADAPTER": "people.adapters.PortalAccountAdapter",
    "SOCIALACCOUNT_ADAPTER": "people.adapters.SchoolSocialAccountAdapter",
    "ACCOUNT_USER_MODEL_USERNAME_FIELD": None,
    "ACCOUNT_LOGIN_METHODS": {"email"},
    "ACCOUNT_SIGNUP_FIELDS": ["email*"],
    "ACCOUNT_EMAIL_VERIFICATION": "none",
    "SOCIALACCOUNT_EMAIL_VERIFICATION": "none",
    "SOCIALACCOUNT_AUTO_SIGNUP": True,
    # people.adapters links an existing account by its email (ignoring case) itself.
    "SOCIALACCOUNT_EMAIL_AUTHENTICATION": False,
    "SOCIALACCOUNT_STORE_TOKENS": False,
    # Starting a sign-in is a POST from the portal's sign-in page (with its CSRF token).
    "SOCIALACCOUNT_LOGIN_ON_GET": False,
    "SOCIALACCOUNT_REQUESTS_TIMEOUT": 10,
}
