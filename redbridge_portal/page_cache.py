"""Whole pages kept for the person who asked for them, reused while nothing they show changed.

The pages staff and the senior team open again and again (the policy, a clause, the queue, a
post, their posts, the published log) are rendered once and then served from this web worker's
memory until something changes. An entry is filed under:

- the address (path and query string) and the host;
- who is asking: their id and a fingerprint of their name, email, status and permissions
  (`identity.user_fingerprint`), whether their session passed two-factor sign-in, and their
  unread-notification count, which the navigation shows;
- the `people` and `content` stamps (`redbridge_portal.stamps`): any saved change to a post, a
  campaign, the policy, an acknowledgement, a user or a role gives new stamps, so no page
  rendered before it is found again. Other people's notifications and two-factor sign-ins
  change other stamps and leave the kept pages alone: the page shows only the user's own
  unread count and second-factor state, which are in the key themselves;
- a time slot (`seconds`), for what a page works out from the clock ("waited 3 school hours",
  "review overdue").

So a page is never shown to anyone but the person it was rendered for, nor after a change it
would show. Each response gets a fresh CSRF token: the one rendered into the page is swapped
for a placeholder before the page is kept. A page is not kept when it carries a one-off message
("Your post was sent"), when the view set a cookie, or when it is not a successful HTML GET.
"""

from __future__ import annotations

import re
import time
from functools import wraps

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_cache_control

from redbridge_portal import identity, stamps
from redbridge_portal.selectors import unread_notification_count

PAGES = identity.LocalCache(512)
_CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_PLACEHOLDER = b"\x00csrf\x00"


def _has_messages(request) -> bool:
    storage = getattr(request, "_messages", None)
    return bool(storage) if storage is not None else False


def page_key(request, seconds: int) -> tuple:
    user = request.user
    fingerprint = getattr(user, "fingerprint", None) or identity.user_fingerprint(user)
    verified = getattr(user, "is_verified", None)
    current = stamps.current()
    return (
        request.get_host(),
        request.get_full_path(),
        fingerprint,
        bool(verified and verified()),
        unread_notification_count(user),
        current["people"],
        current["content"],
        int(time.time() // seconds),
    )


def _serve(request, kept: tuple[tuple[bytes, ...], str]) -> HttpResponse:
    parts, content_type = kept
    # The page was split where its CSRF tokens go when it was kept.
    body = get_token(request).encode().join(parts) if len(parts) > 1 else parts[0]
    response = HttpResponse(body, content_type=content_type)
    patch_cache_control(response, private=True, no_cache=True)
    return response


def per_user_page(seconds: int = 60):
    """Keep the view's successful GET responses for each person, as described above.
    `seconds` bounds how long a page may show times worked out from the clock."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if (
                not settings.PAGE_CACHE
                or request.method != "GET"
                or not request.user.is_authenticated
                or _has_messages(request)
            ):
                return view(request, *args, **kwargs)
            key = page_key(request, seconds)
            kept = PAGES.get(key)
            if kept is not None:
                return _serve(request, kept)
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            content_type = response.get("Content-Type", "")
            if (
                response.status_code == 200
                and content_type.startswith("text/html")
                and not response.streaming
                and not response.cookies
                and not _has_messages(request)
            ):
                body = _CSRF_INPUT.sub(rb"\1" + _PLACEHOLDER + rb"\2", response.content)
                PAGES.set(key, (tuple(body.split(_PLACEHOLDER)), content_type))
            patch_cache_control(response, private=True, no_cache=True)
            return response

        return wrapped

    return decorator
