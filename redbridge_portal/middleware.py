import time
from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode

# The address of the request being served, so audit rows can say where an action came from
# without every service taking the request as an argument.
current_ip_address: ContextVar[str | None] = ContextVar("current_ip_address", default=None)


def client_ip(request) -> str | None:
    """The client's address. Behind a proxy (settings.PROXY_COUNT > 0), the address that many
    hops back in X-Forwarded-For; otherwise REMOTE_ADDR, which cannot be forged."""
    hops = getattr(settings, "PROXY_COUNT", 0)
    if hops:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR") or None


def login_username(request, credentials=None) -> str | None:
    """The account a sign-in attempt is for, as django-axes counts failures.

    The sign-in form's field is "username" (Django's name) though accounts are keyed by email,
    so axes' default (the user model's USERNAME_FIELD, "email") would find nothing and count
    every failure against one empty name. Lower-cased, as email addresses are stored, so that
    "Sam@..." and "sam@..." are the same account for the lockout.
    """
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = getattr(request, "POST", {}).get("username")
    if not value:
        return None
    return str(value).strip().lower()[:255]


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip_address.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip_address.reset(token)


class SessionActivityMiddleware:
    """Keeps a working user's session alive without writing it on every request.

    The session expires SESSION_COOKIE_AGE after it was last saved. Saving on every request
    (SESSION_SAVE_EVERY_REQUEST) costs a database write per page; here the expiry is pushed
    forward only when the last refresh is more than SESSION_REFRESH_SECONDS old, so the
    inactivity limit holds to within those few minutes.
    """

    KEY = "_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        self.refresh(request)
        return response

    @classmethod
    def refresh(cls, request) -> None:
        """Push the signed-in session's expiry forward if its last refresh is old enough."""
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty() and session.get(SESSION_KEY):
            now = int(time.time())
            last = session.get(cls.KEY, 0)
            if not isinstance(last, int) or now - last >= settings.SESSION_REFRESH_SECONDS:
                # Marking the session modified makes SessionMiddleware save it with a fresh
                # expiry and send the cookie again.
                session[cls.KEY] = now


class TwoFactorMiddleware:
    """For people who must use two-factor sign-in (roles.needs_two_factor) while
    TWO_FACTOR_REQUIRED is on: until they have entered a code in this session, the only pages
    open to them are their profile, setting up two-factor sign-in, entering a code, and
    signing out.

    Runs after LoginRequiredMiddleware, so anonymous visitors are still sent to sign in.
    """

    OPEN_URL_NAMES = frozenset(
        {
            "account_profile",
            "two_factor_setup",
            "two_factor_verify",
            "logout",
            "login",
            "accessibility",
            "healthz",
        }
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Imported here: this module is imported while settings load (AXES_CLIENT_IP_CALLABLE).
        from django_otp import user_has_device

        from people.sso import provider_mfa_satisfied
        from redbridge_portal import roles

        if not settings.TWO_FACTOR_REQUIRED:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        if provider_mfa_satisfied(request):
            # Signed in with the school account, whose provider confirmed a second factor.
            return None
        match = request.resolver_match
        if match is not None and match.url_name in self.OPEN_URL_NAMES and not match.namespace:
            return None
        if not roles.needs_two_factor(user):
            return None
        step = "two_factor_verify" if user_has_device(user) else "two_factor_setup"
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")


class NoStoreForSignedInMiddleware:
    """Pages shown to a signed-in person are never kept by the browser or a proxy.

    On a shared staffroom computer, Back after signing out must not show the last page again
    (a concern about a pupil, a post waiting for a decision). A response that already says how
    it may be cached keeps its own header.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
