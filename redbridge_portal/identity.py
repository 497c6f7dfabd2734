"""Who is signed in, without a database query on every page.

Without this, each signed-in page starts with five database round trips before its view runs:
the session, the user, the user's permissions (two queries), the two-factor device, and the
unread-notification count. Here the session comes from the cache-backed session store
(`SESSION_ENGINE` is `cached_db`), and each web worker keeps the rest in its own memory, filed
under the stamps they depend on (see `redbridge_portal.stamps`): a change to any user, role,
device or notification changes a stamp, and every worker reads from the database again on its
next request. A copy is handed out per request, so nothing a request does to its user object
reaches another request.

The session is still looked up in the store on every request, so a closed account or a session
signed out elsewhere ends at once.
"""

from __future__ import annotations

import hashlib
import pickle
from collections import OrderedDict
from threading import Lock

from django.contrib.auth.backends import ModelBackend
from django_otp.middleware import OTPMiddleware

from redbridge_portal import stamps


class LocalCache:
    """A small least-recently-used map in this worker's memory, safe across threads."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._data: OrderedDict = OrderedDict()
        self._lock = Lock()

    def get(self, key):
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def set(self, key, value) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.max_entries:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


USERS = LocalCache(5_000)
DEVICES = LocalCache(5_000)
UNREAD_COUNTS = LocalCache(5_000)
NO_DEVICE = b"none"


def user_fingerprint(user) -> str:
    """A short digest of everything about a user that the pages show or depend on: a page
    cached for them is reused only while it is unchanged."""
    perms = sorted(user.get_all_permissions()) if user.is_active else []
    parts = [
        str(user.pk),
        user.email,
        user.get_full_name(),
        str(user.is_active),
        str(user.is_staff),
        str(user.is_superuser),
        *perms,
    ]
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=12).hexdigest()


class CachedModelBackend(ModelBackend):
    """Django's ModelBackend, with the signed-in user and their permissions kept between
    requests. Signing in, permission checks and `user_can_authenticate` are unchanged."""

    def get_user(self, user_id):
        key = (stamps.current()["people"], user_id)
        pickled = USERS.get(key)
        if pickled is None:
            user = super().get_user(user_id)
            if user is None:
                return None
            # Worked out now so they travel with the kept user: the navigation and the access
            # checks ask for them on every page.
            self.get_all_permissions(user)
            user.fingerprint = user_fingerprint(user)
            pickled = pickle.dumps(user, pickle.HIGHEST_PROTOCOL)
            USERS.set(key, pickled)
        return pickle.loads(pickled)


class CachedOTPMiddleware(OTPMiddleware):
    """django-otp's middleware, with the device that verified the session kept between
    requests. The checks after the lookup (the device is the user's, and confirmed) are
    django-otp's own and run on every request."""

    def _device_from_persistent_id(self, persistent_id: str):
        key = (stamps.current()["devices"], persistent_id)
        pickled = DEVICES.get(key)
        if pickled is None:
            device = super()._device_from_persistent_id(persistent_id)
            pickled = NO_DEVICE if device is None else pickle.dumps(device)
            DEVICES.set(key, pickled)
        return None if pickled == NO_DEVICE else pickle.loads(pickled)


def cached_unread_count(user_id: int, count) -> int:
    """The user's unread-notification count; `count()` works it out when it may have changed."""
    key = (stamps.current()["notifications"], user_id)
    value = UNREAD_COUNTS.get(key)
    if value is None:
        value = count()
        UNREAD_COUNTS.set(key, value)
    return value
