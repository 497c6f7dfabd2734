"""Accounts: what changed about a person's account, ending their sessions, and the rule for who
may manage accounts."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from redbridge_portal.actions import ActionRefused
from redbridge_portal.models import User
from redbridge_portal.services.audit import audit_record

logger = logging.getLogger(__name__)


class AccountError(ActionRefused):
    """A refused change to an account, with a message a user can read."""


ANONYMISED_EMAIL_DOMAIN = "anonymised.invalid"  # .invalid can never receive email (RFC 2606)


def account_state(user: User) -> dict:
    """What the audit log records about an account before and after a change to it."""
    from redbridge_portal import roles

    return {
        "roles": roles.role_names(user),
        "is_active": user.is_active,
        "admin_site": user.is_staff,
        "superuser": user.is_superuser,
    }


def user_sessions_end(*, user: User) -> int:
    """Sign the user out everywhere by deleting their stored sessions. Returns how many.

    Sessions live in the database (the default engine); a school has a few hundred at most, so
    reading the unexpired ones is cheap. Even without this, an inactive account is refused on
    its next request (ModelBackend does not load inactive users), so this is the second lock.
    """
    from importlib import import_module

    from django.contrib.sessions.models import Session

    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        try:
            data = session.get_decoded()
        except Exception:  # a corrupt or foreign session is simply not this user's
            logger.debug("Skipped an unreadable session while signing %s out.", user.pk)
            continue
        if str(data.get("_auth_user_id")) == str(user.pk):
            store(session_key=session.session_key).delete()
            ended += 1
    return ended


def user_account_changed(*, actor: User, user: User, before: dict | None, after: dict) -> None:
    """Record a change made to an account (in the admin site): who changed which roles,
    admin-site access or active state, from what to what. A deactivated account is signed out
    everywhere. `before` is None for a new account."""
    with transaction.atomic():
        if before is None:
            audit_record(actor=actor, action="user.created", target=user, data={"after": after})
            return
        if before["roles"] != after["roles"] or (
            (before["admin_site"], before["superuser"]) != (after["admin_site"], after["superuser"])
        ):
            audit_record(
                actor=actor,
                action="user.roles_changed",
                target=user,
                summary=_describe_role_change(before, after),
                data={"before": before, "after": after},
            )
        if before["is_active"] and not after["is_active"]:
            ended = user_sessions_end(user=user)
            audit_record(
                actor=actor,
                action="user.deactivated",
                target=user,
                data={"sessions_ended": ended},
            )
        elif not before["is_active"] and after["is_active"]:
            audit_record(actor=actor, action="user.reactivated", target=user)


def _describe_role_change(before: dict, after: dict) -> str:
    added = [role for role in after["roles"] if role not in before["roles"]]
    removed = [role for role in before["roles"] if role not in after["roles"]]
    parts = []
    if added:
        parts.append(_("Added: %(roles)s.") % {"roles": ", ".join(added)})
    if removed:
        parts.append(_("Removed: %(roles)s.") % {"roles": ", ".join(removed)})
    if before["admin_site"] != after["admin_site"]:
        parts.append(
            _("Admin site access given.")
            if after["admin_site"]
            else _("Admin site access removed.")
        )
    if before["superuser"] != after["superuser"]:
        parts.append(_("Superuser given.") if after["superuser"] else _("Superuser removed."))
    return " ".join(parts)
