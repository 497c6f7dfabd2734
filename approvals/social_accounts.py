"""The school's social media accounts, managed by policy admins on the portal's own pages.

An account is never deleted: posts and the published log point at it. Retiring one takes it
out of the list staff choose from; reinstating puts it back. Each change is one function here,
with the row locked and an audit entry in the same transaction.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from approvals.models import Account
from redbridge_portal import roles
from redbridge_portal.actions import ActionRefused
from redbridge_portal.services import audit_record

EDITABLE_FIELDS = ("name", "platform", "handle", "text_limit")


class AccountManagementError(ActionRefused):
    """A refused change to a social media account, with a message a user can read."""


def _check(actor) -> None:
    if not roles.can_manage_social_accounts(actor):
        raise AccountManagementError(_("Only policy admins can change the school's accounts."))


def _describe(account: Account) -> dict:
    return {
        "name": account.name,
        "platform": account.platform,
        "handle": account.handle,
        "text_limit": account.text_limit,
        "managers": sorted(str(person) for person in account.managers.all()),
        "in_use": account.is_active,
    }


def social_account_add(*, actor, managers=(), **fields) -> Account:
    """Add one of the school's accounts; staff can choose it for posts at once."""
    _check(actor)
    with transaction.atomic():
        account = Account.objects.create(**{key: fields[key] for key in EDITABLE_FIELDS})
        account.managers.set(managers)
        audit_record(
            actor=actor, action="account.added", target=account, data={"after": _describe(account)}
        )
    return account


def social_account_update(*, actor, account: Account, managers=(), **fields) -> Account:
    """Change an account's details. Posts already decided keep the text they were approved
    with; the new text limit applies to posts written or changed from now on."""
    _check(actor)
    with transaction.atomic():
        account = Account.objects.select_for_update().get(pk=account.pk)
        before = _describe(account)
        for key in EDITABLE_FIELDS:
            setattr(account, key, fields[key])
        account.save(update_fields=list(EDITABLE_FIELDS))
        account.managers.set(managers)
        after = _describe(account)
        if after != before:
            audit_record(
                actor=actor,
                action="account.changed",
                target=account,
                data={"before": before, "after": after},
            )
    return account


def _set_in_use(actor, account: Account, in_use: bool) -> Account:
    _check(actor)
    with transaction.atomic():
        account = Account.objects.select_for_update().get(pk=account.pk)
        if account.is_active == in_use:
            already = (
                _("%(name)s is already in use.") if in_use else _("%(name)s is already retired.")
            )
            raise AccountManagementError(already % {"name": account.name})
        account.is_active = in_use
        account.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="account.reinstated" if in_use else "account.retired",
            target=account,
        )
    return account


def social_account_retire(*, actor, account: Account) -> Account:
    """Stop offering the account for new posts; its posts stay in the published log."""
    return _set_in_use(actor, account, False)


def social_account_reinstate(*, actor, account: Account) -> Account:
    return _set_in_use(actor, account, True)


def social_accounts_for_page():
    """Every account, in use first, with who manages each loaded in one query."""
    return Account.objects.prefetch_related("managers").order_by("-is_active", "name")
