"""Stamps: one value per kind of stored data, changed whenever that data changes.

Each web worker keeps what it has worked out (a signed-in user with their permissions, their
two-factor device, their unread count, a whole page) in its own memory, filed under the stamps
it depended on. A request reads the current stamps from the shared cache in one round trip, the
first time it needs them, so an entry filed under an old stamp is never found again: a change
made through any worker is seen by every worker on its next request, without asking each one
to forget.

- `people`: users (not their sign-in time), role groups and their permissions.
- `devices`: two-factor devices (saved each time one is used).
- `notifications`: notifications (created, read, deleted).
- `content`: everything else the portal stores and shows: posts and their history, campaigns,
  accounts, the policy and its versions, acknowledgements, questions, concerns, screening
  lists, school closures.

Stamps are changed by the receivers connected in apps.py (`_connect_stamps`), and, for
changes that send no signal (`QuerySet.update`, `bulk_create`), by the service that makes
them, through `changed()` (`notifications_mark_read`, `screening_lists_replace`). A stamp
is changed when the change is made and again when it commits, so a reader in between cannot
file the old data under the stamp that follows.
"""

from __future__ import annotations

import contextvars
import secrets

from django.core.cache import cache
from django.db import transaction

NAMES = ("people", "devices", "notifications", "content")
# Long: a stamp that expires is only replaced by a new one, which costs a miss, not a mistake.
TIMEOUT = 7 * 24 * 3600

_current: contextvars.ContextVar[dict | None] = contextvars.ContextVar("stamps", default=None)
_in_request: contextvars.ContextVar[bool] = contextvars.ContextVar("in_request", default=False)


def _new_value() -> int:
    """A fresh stamp. A number, not a string: Redis keeps numbers as they are, so reading the
    stamps (on every request) unpickles nothing."""
    return secrets.randbits(63)


def _key(name: str) -> str:
    return f"stamp:{name}"


KEYS = tuple(_key(name) for name in NAMES)


def current() -> dict[str, int]:
    """The stamps, read once per request (RequestContextMiddleware starts and ends the
    request's scope; outside a request they are read each time)."""
    stamps = _current.get()
    if stamps is None:
        stamps = _read()
        if _in_request.get():
            _current.set(stamps)
    return stamps


def wanted() -> bool:
    """True inside a request whose stamps have not been read yet."""
    return _in_request.get() and _current.get() is None


def prime(found: dict) -> None:
    """Take the stamps from a cache read made for something else (the session's)."""
    if all(key in found for key in KEYS):
        _current.set({name: found[key] for name, key in zip(NAMES, KEYS, strict=True)})


def _read() -> dict[str, int]:
    found = cache.get_many(KEYS)
    stamps = {}
    for name, key in zip(NAMES, KEYS, strict=True):
        value = found.get(key)
        if value is None:
            # First use, or the cache was emptied: start a stamp. `add` keeps one already set
            # by another worker meanwhile.
            cache.add(key, _new_value(), TIMEOUT)
            value = cache.get(key) or _new_value()
        stamps[name] = value
    return stamps


def request_started():
    """Begin a request's scope: stamps are read at most once until `request_finished`."""
    return _in_request.set(True), _current.set(None)


def request_finished(tokens) -> None:
    in_request, stamps = tokens
    _current.reset(stamps)
    _in_request.reset(in_request)


def _bump(names) -> None:
    cache.set_many({_key(name): _new_value() for name in names}, TIMEOUT)
    _current.set(None)


def changed(*names: str) -> None:
    """Give these stamps new values now, and again once the open transaction (if any)
    commits. A transaction registers one commit callback, however many changes it makes."""
    _bump(names)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return
    # Django's list of this transaction's commit callbacks: join the one already registered.
    for _savepoints, callback, _robust in connection.run_on_commit:
        pending = getattr(callback, "stamp_names", None)
        if pending is not None:
            pending.update(names)
            return
    pending = set(names)

    def bump_after_commit():
        _bump(pending)

    bump_after_commit.stamp_names = pending
    transaction.on_commit(bump_after_commit)


# --- Receivers ------------------------------------------------------------------------------


def people_changed(sender, instance=None, update_fields=None, **kwargs):
    """A user or a group was saved or deleted. Signing in only updates last_login."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    changed("people")


def memberships_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        changed("people")


def devices_changed(sender, **kwargs):
    changed("devices")


def notifications_changed(sender, **kwargs):
    changed("notifications")


def content_changed(sender, **kwargs):
    changed("content")
