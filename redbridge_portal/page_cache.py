"""Whole pages kept for the person who asked for them, reused while nothing they show changed.

The pages staff and the senior team open again and again (the policy, a clause, the queue, a
post, their posts, the published log) are rendered once and then served from this web worker's
memory until something changes. An entry is filed under:

- the address (scheme, host, path and query string);
- who is asking: their id and a fingerprint of their name, email, status and permissions
  (`identity.user_fingerprint`), whether their session passed two-factor sign-in, and their
  unread-notification count, which the navigation shows;
- the `people` and `content` stamps (`redbridge_portal.stamps`): any saved change to a post, a
  campaign, the policy, an acknowledgement, a user or a role gives new stamps, so no page
  rendered before it is found again. Other people's notifications and two-factor sign-ins
  change other stamps and leave the kept pages alone: the page shows only the user's own
  unread count and second-factor state, which are in the key themselves.

An entry is also dropped at the end of its time slot (`seconds`), for what a page works out
from the clock ("waited 3 school hours", "review overdue").

A view opts in with `per_user_page`; `KeptPageMiddleware` keeps the page and serves it. It sits
straight after the session middleware: once the session, the user and their second factor have
been checked, a kept page is served without the rest of the stack running again. The page is
kept with the headers that stack gave it (content security policy, framing, caching), and the
key holds everything the stack's decisions depend on for this person, so the stack would decide
the same again. The work the skipped stack would still do for such a request is done here: the
CSRF cookie is read or set (and renewed with the session), and a working session's expiry is
pushed forward. A request with a one-off message waiting goes down the whole stack.

So a page is never shown to anyone but the person it was rendered for, nor after a change it
would show. Each response gets a fresh CSRF token: the one rendered into the page is swapped
for a placeholder before the page is kept. A page is not kept when it carries a one-off message
("Your post was sent"), when the stack set a cookie (other than renewing the CSRF one), or
when it is not a successful HTML GET.
"""

from __future__ import annotations

import re
import secrets
import time
from functools import wraps
from typing import NamedTuple

from django.conf import settings
from django.contrib import auth
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.http import HttpResponse
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    CsrfViewMiddleware,
    get_token,
)
from django.utils.cache import patch_cache_control

from redbridge_portal import identity, stamps
from redbridge_portal.middleware import SessionActivityMiddleware
from redbridge_portal.selectors import unread_notification_count

PAGES = identity.LocalCache(512)
_CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_PLACEHOLDER = b"\x00csrf\x00"
# Headers worked out again for each response served.
_NOT_KEPT_HEADERS = frozenset({"content-length", "set-cookie"})


# CSRF masking (see csrf_token): digits 0-61 stand for the allowed characters.
_CSRF_CHARS = CSRF_ALLOWED_CHARS.encode()
_RADIX = len(_CSRF_CHARS)
_NOT_UNIFORM = bytes(range(256 - 256 % _RADIX, 256))  # bytes whose digit would be biased
_BYTE_TO_DIGIT = bytes(b % _RADIX for b in range(256))
_DIGIT_TO_CHAR = _CSRF_CHARS.ljust(256, b"\0")
_CHAR_TO_DIGIT = bytes(max(_CSRF_CHARS.find(b), 0) for b in range(256))


def csrf_token(request) -> bytes:
    """A freshly masked CSRF token for the request's secret: what Django's `get_token` returns,
    with the mask drawn from one read of random bytes instead of one read per character (the
    most expensive step in serving a kept page). Django's `get_token` when there is no secret
    yet. The mask is uniform: bytes that would favour some characters are dropped.

    Unlike `get_token`, it does not ask for the cookie to be sent again: the caller renews it
    (see KeptPageMiddleware.serve)."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        return get_token(request).encode()
    digits = b""
    while len(digits) < CSRF_SECRET_LENGTH:
        digits += secrets.token_bytes(CSRF_SECRET_LENGTH + 8).translate(None, _NOT_UNIFORM)
    mask = digits[:CSRF_SECRET_LENGTH].translate(_BYTE_TO_DIGIT)
    secret_digits = secret.encode().translate(_CHAR_TO_DIGIT)
    cipher = bytes((s + m) % _RADIX for s, m in zip(secret_digits, mask, strict=True))
    return (mask + cipher).translate(_DIGIT_TO_CHAR)


now = time.time  # the clock for time slots (tests move it on)


class KeptPage(NamedTuple):
    parts: tuple[bytes, ...]  # the body, split where its CSRF tokens go
    headers: tuple[tuple[str, str], ...]
    expires: float  # the end of the page's time slot


def _has_messages(request) -> bool:
    storage = getattr(request, "_messages", None)
    return bool(storage) if storage is not None else False


def per_user_page(seconds: int = 60):
    """Let KeptPageMiddleware keep this view's successful GET responses for each person, as
    described above. `seconds` bounds how long a page may show times worked out from the
    clock. The response is marked private: no shared cache on the way may keep it."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if request.method == "GET":
                request._keep_page_seconds = seconds
            patch_cache_control(response, private=True, no_cache=True)
            return response

        return wrapped

    return decorator


class KeptPageMiddleware:
    """Serves kept pages, and keeps the pages views opt in to (see the module's docstring).

    Must come after SessionMiddleware (it reads the session) and before AuthenticationMiddleware
    (which then reuses the user found here); checked by `redbridge.E001`.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        # Their own code, so a kept page gets exactly what a rendered one would: the CSRF cookie
        # read (or set when missing) and the session's second factor checked.
        self.csrf = CsrfViewMiddleware(get_response)
        self.otp = identity.CachedOTPMiddleware(get_response)

    def __call__(self, request):
        key = self.page_key(request)
        if key is not None:
            kept = PAGES.get(key)
            if kept is not None and kept.expires > now():
                return self.serve(request, kept)
        response = self.get_response(request)
        seconds = getattr(request, "_keep_page_seconds", None)
        if key is not None and seconds:
            self.keep(request, key, seconds, response)
        return response

    def page_key(self, request) -> tuple | None:
        """The key a page for this request is kept under, or None when none may be served or
        kept: not a GET, not signed in, or a one-off message waiting to be shown."""
        if (
            not settings.PAGE_CACHE
            or request.method != "GET"
            or settings.SESSION_COOKIE_NAME not in request.COOKIES
            or CookieStorage.cookie_name in request.COOKIES
        ):
            return None
        user = auth.get_user(request)
        if not user.is_authenticated or SessionStorage.session_key in request.session:
            return None
        # AuthenticationMiddleware takes the user from here instead of looking again.
        request._cached_user = user
        self.otp._verify_user_sync(request, user)
        current = stamps.current()
        return (
            request.scheme,  # a clause's page shows its full address, to cite
            request.get_host(),
            request.get_full_path(),
            getattr(user, "fingerprint", None) or identity.user_fingerprint(user),
            user.is_verified(),
            unread_notification_count(user),
            current["people"],
            current["content"],
        )

    def serve(self, request, kept: KeptPage) -> HttpResponse:
        self.csrf.process_request(request)
        parts = kept.parts
        body = csrf_token(request).join(parts) if len(parts) > 1 else parts[0]
        response = HttpResponse(body, headers=dict(kept.headers))
        response["Content-Length"] = str(len(body))
        SessionActivityMiddleware.refresh(request)
        if request.session.modified:
            # Django sends the CSRF cookie again with every page that uses it, to push its
            # (one-year) expiry forward; kept pages do it with the session's own refresh, every
            # few minutes, instead of with every response.
            request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
        return self.csrf.process_response(request, response)

    def keep(self, request, key: tuple, seconds: int, response) -> None:
        if (
            response.status_code == 200
            and response.get("Content-Type", "").startswith("text/html")
            and not response.streaming
            # Django sends the CSRF cookie again whenever a page uses it (a kept page gets it
            # again when served); any other cookie belongs to this response alone.
            and set(response.cookies) <= {settings.CSRF_COOKIE_NAME}
            and not _has_messages(request)
        ):
            body = _CSRF_INPUT.sub(rb"\1" + _PLACEHOLDER + rb"\2", response.content)
            headers = tuple(
                (name, value)
                for name, value in response.items()
                if name.lower() not in _NOT_KEPT_HEADERS
            )
            expires = (now() // seconds + 1) * seconds
            PAGES.set(key, KeptPage(tuple(body.split(_PLACEHOLDER)), headers, expires))
