"""Personal data: a subject access export, and removing a departed person's details."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from redbridge_portal.models import (
    EmailPreference,
    Notification,
    User,
)
from redbridge_portal.services.accounts import (
    ANONYMISED_EMAIL_DOMAIN,
    AccountError,
    user_sessions_end,
)
from redbridge_portal.services.audit import audit_record


def personal_data_export(*, actor: User, user: User) -> dict:
    """Everything the portal holds about one person (a subject access request), recorded in the
    audit log. Each app contributes through its selectors' `personal_data(user)`."""
    from redbridge_portal import roles, selectors

    if not roles.can_manage_personal_data(actor):
        raise AccountError(_("You do not have permission to export personal data."))
    with transaction.atomic():
        audit_record(actor=actor, action="personal_data.exported", target=user)
    return selectors.personal_data_export(user)


def user_anonymise(*, actor: User, user: User) -> User:
    """Remove a departed member of staff's personal details from the portal.

    Their name becomes "Former member of staff <id>", their email an address that cannot
    receive mail; they can no longer sign in, lose their roles, sessions, two-factor devices,
    notifications and email choices, and their sign-in attempts are forgotten. The account row
    stays, so everything they wrote, approved or decided still points at it: the audit trail
    and the published log read as before, with the new name. Each app may blank data of its
    own through `<app>.services.personal_data_anonymise(user=...)`. Refuses the actor's own
    account and an account already anonymised.
    """
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from redbridge_portal import roles, selectors

    if not roles.can_manage_personal_data(actor):
        raise AccountError(_("You do not have permission to anonymise accounts."))
    if actor.pk == user.pk:
        raise AccountError(_("You cannot anonymise your own account. Ask another policy admin."))
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_anonymised:
            raise AccountError(_("This account has already been anonymised."))
        old_email = user.email
        roles_before = roles.role_names(user)
        user.first_name = _("Former member of staff")
        user.last_name = str(user.pk)
        user.email = f"former-staff-{user.pk}@{ANONYMISED_EMAIL_DOMAIN}"
        user.set_unusable_password()
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.save(
            update_fields=[
                "first_name",
                "last_name",
                "email",
                "password",
                "is_active",
                "is_staff",
                "is_superuser",
            ]
        )
        user.groups.clear()
        user.user_permissions.clear()
        Notification.objects.filter(recipient=user).delete()
        EmailPreference.objects.filter(user=user).delete()
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username__iexact=old_email).delete()
        user_sessions_end(user=user)
        for hook in selectors.app_functions("services", "personal_data_anonymise").values():
            hook(user=user)
        audit_record(
            actor=actor,
            action="user.anonymised",
            target=user,
            summary=_("Personal details removed; records kept under the new name."),
            data={"roles_before": roles_before},
        )
    return user
