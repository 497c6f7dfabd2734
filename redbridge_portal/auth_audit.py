"""Sign-ins, sign-outs, failed sign-ins and lockouts in the audit log.

Django's authentication and django-axes only announce these through signals (the login view is
Django's own), so recording them here is the one place a receiver writes anything; everything
else in the portal records its audit rows inside its own service.
"""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils.translation import gettext as _

from redbridge_portal.services import audit_record


def _account_for(username: str | None):
    if not username:
        return None
    return get_user_model().objects.filter(email__iexact=username).first()


@receiver(user_logged_in, dispatch_uid="audit_login")
def record_login(sender, request, user, **kwargs):
    audit_record(actor=user, action="login.succeeded", target=user)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def record_logout(sender, request, user, **kwargs):
    if user is not None and user.is_authenticated:
        audit_record(actor=user, action="logout", target=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def record_login_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in `credentials`; only the address typed is kept.
    _record_refused_sign_in(
        "login.failed",
        credentials.get("username"),
        _("Wrong email address or password, or the account is locked or closed."),
    )


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def record_locked_out(sender, request, username, ip_address, **kwargs):
    _record_refused_sign_in(
        "login.locked_out",
        username,
        _("Too many failed sign-ins: signing in to this account is paused."),
        ip_address=ip_address,
    )


def _record_refused_sign_in(action: str, username, summary: str, **details) -> None:
    # Nobody is signed in yet, so the row names the account tried (if it exists) and keeps
    # the address as typed.
    username = str(username or "")[:254]
    audit_record(
        actor=None,
        action=action,
        target=_account_for(username),
        summary=summary,
        data={"username": username},
        **details,
    )
