"""The addresses of the school account's sign-in: allauth's login and callback views for the
three providers, under /accounts/. Each answers 404 unless it is the provider this deployment
uses (SSO_PROVIDER), so an unconfigured provider is never half-reachable (allauth would fail
with an error looking for its settings). Google's token sign-in (One Tap) is left out: the
portal only uses the normal redirect."""

from functools import wraps

from allauth.socialaccount.providers.google import views as google
from allauth.socialaccount.providers.microsoft import views as microsoft
from allauth.socialaccount.providers.openid_connect import views as openid_connect
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _

from people.sso_config import OIDC_PROVIDER_ID


def only_for(provider: str, view):
    @login_not_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if settings.SSO_PROVIDER != provider:
            raise Http404(_("Signing in with a school account is not set up for this provider."))
        if kwargs.get("provider_id", OIDC_PROVIDER_ID) != OIDC_PROVIDER_ID:
            raise Http404(_("No such provider."))
        return view(request, *args, **kwargs)

    return wrapper


urlpatterns = [
    path("microsoft/login/", only_for("microsoft", microsoft.oauth2_login), name="microsoft_login"),
    path(
        "microsoft/login/callback/",
        only_for("microsoft", microsoft.oauth2_callback),
        name="microsoft_callback",
    ),
    path("google/login/", only_for("google", google.oauth2_login), name="google_login"),
    path(
        "google/login/callback/",
        only_for("google", google.oauth2_callback),
        name="google_callback",
    ),
    path(
        "oidc/<str:provider_id>/login/",
        only_for("oidc", openid_connect.login),
        name="openid_connect_login",
    ),
    path(
        "oidc/<str:provider_id>/login/callback/",
        only_for("oidc", openid_connect.callback),
        name="openid_connect_callback",
    ),
]
