"""Two-factor sign-in: setting up an authenticator app, backup codes, checking a code, and
resetting a person's devices."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from redbridge_portal.models import User
from redbridge_portal.services.accounts import AccountError, user_sessions_end
from redbridge_portal.services.audit import audit_record

# Lazy: the names are read when the module is imported, before translations can be.
TOTP_DEVICE_NAME = gettext_lazy("Authenticator app")
BACKUP_CODES_NAME = gettext_lazy("Backup codes")


def two_factor_setup_device(*, user: User):
    """The authenticator-app device being set up: the user's unconfirmed one, or a new one.
    Reusing it keeps the QR code the same if the page is reloaded."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def two_factor_enable(*, user: User, token: str) -> list[str] | None:
    """Confirm the authenticator app being set up with a code from it. On success the new app
    replaces any earlier one, a fresh set of backup codes is made and returned (shown once),
    and the change is recorded. Returns None when the code is wrong."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("-pk")
            .first()
        )
        if device is None or not device.verify_token(token):
            return None
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _backup_codes_replace(user)
        audit_record(actor=user, action="account.two_factor_enabled", target=user)
    return codes


def _backup_codes_replace(user: User) -> list[str]:
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_CODES_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _number in range(settings.BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def two_factor_backup_codes_replace(*, user: User) -> list[str]:
    """Make a new set of backup codes (the old ones stop working) and return them."""
    from django_otp import user_has_device

    with transaction.atomic():
        if not user_has_device(user):
            raise AccountError(_("Set up two-factor sign-in first."))
        codes = _backup_codes_replace(user)
        audit_record(actor=user, action="account.backup_codes_replaced", target=user)
    return codes


def two_factor_verify(*, user: User, token: str):
    """Check a code from the user's authenticator app or one of their backup codes (a backup
    code works once). Returns the device that accepted it, or None. Both outcomes are recorded;
    each device slows down repeated wrong codes (django-otp's throttling)."""
    from django_otp import match_token
    from django_otp.plugins.otp_static.models import StaticDevice

    token = "".join(token.split()).lower()
    device = match_token(user, token) if token else None
    with transaction.atomic():
        if device is None:
            audit_record(actor=user, action="login.two_factor_failed", target=user)
        else:
            used_backup = isinstance(device, StaticDevice)
            audit_record(
                actor=user,
                action="login.two_factor_verified",
                target=user,
                summary=_("With a backup code.")
                if used_backup
                else _("With the authenticator app."),
            )
    return device


def two_factor_reset(*, actor: User, user: User) -> None:
    """Remove someone's authenticator app and backup codes (for a lost phone): they set up
    two-factor sign-in again at their next sign-in. Signs them out everywhere."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from redbridge_portal import roles

    if not roles.may_manage_accounts(actor):
        raise AccountError(_("You do not have permission to reset two-factor sign-in."))
    if actor.pk == user.pk:
        raise AccountError(_("You cannot reset your own two-factor sign-in. Ask another admin."))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        user_sessions_end(user=user)
        audit_record(actor=actor, action="account.two_factor_reset", target=user)
