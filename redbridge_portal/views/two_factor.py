"""Two-factor sign-in pages: setting up an authenticator app, entering a code, backup codes,
and the person's own profile page."""

import base64
import io

import qrcode
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from redbridge_portal import roles, services
from redbridge_portal.forms import (
    TwoFactorCodeForm,
)


def _next_url(request) -> str:
    """Where to go after a step: a path on this site only (never another site, never a URL
    name for redirect() to look up)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def _with_next(name: str, request) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next_url(request)})}"


def _qr_code_data_uri(text: str) -> str:
    """A PNG QR code as a data: URI (the Content Security Policy allows data: images only)."""
    image = qrcode.make(text, box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


@method_decorator(never_cache, name="dispatch")
class TwoFactorSetupView(FormView):
    """Set up an authenticator app: scan the QR code, type the code it shows."""

    template_name = "account/two_factor_setup.html"
    form_class = TwoFactorCodeForm

    def dispatch(self, request, *args, **kwargs):
        if not roles.needs_two_factor(request.user):
            raise PermissionDenied
        # Replacing an app needs a code from the current one first, so someone who has only
        # learnt the password cannot put their own phone on the account.
        if user_has_device(request.user) and not request.user.is_verified():
            return redirect(_with_next("two_factor_verify", request))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "submit_label": _("Turn on two-factor sign-in")}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        device = services.two_factor_setup_device(user=self.request.user)
        secret = base64.b32encode(device.bin_key).decode("ascii")
        context.update(
            qr_code=_qr_code_data_uri(device.config_url),
            secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            replacing=user_has_device(self.request.user),
            next=_next_url(self.request),
        )
        return context

    def form_valid(self, form):
        codes = services.two_factor_enable(user=self.request.user, token=form.cleaned_data["token"])
        if codes is None:
            form.add_error(
                "token",
                _(
                    "That code is not right. Check the app shows the Redbridge staff portal, "
                    "type the 6 digits it shows now, and try again. After several wrong codes "
                    "you must wait a little longer each time."
                ),
            )
            return self.form_invalid(form)
        otp_login(self.request, TOTPDevice.objects.get(user=self.request.user, confirmed=True))
        self.request.session.cycle_key()
        self.request.session["new_backup_codes"] = codes
        self.request.session["after_backup_codes"] = _next_url(self.request)
        messages.success(self.request, _("Two-factor sign-in is on."))
        return redirect("two_factor_backup_codes")


@method_decorator(never_cache, name="dispatch")
class TwoFactorVerifyView(FormView):
    """The second step of signing in: a code from the app, or a backup code."""

    template_name = "account/two_factor_verify.html"
    form_class = TwoFactorCodeForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_verified():
            return redirect(_next_url(request))
        if not user_has_device(request.user):
            if roles.needs_two_factor(request.user):
                return redirect(_with_next("two_factor_setup", request))
            return redirect(_next_url(request))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=_next_url(self.request), **kwargs)

    def form_valid(self, form):
        device = services.two_factor_verify(
            user=self.request.user, token=form.cleaned_data["token"]
        )
        if device is None:
            form.add_error(
                "token",
                _(
                    "That code is not right. Type the code your app shows now (it changes "
                    "every 30 seconds) or a backup code you have not used. After several wrong "
                    "codes you must wait a little longer each time."
                ),
            )
            return self.form_invalid(form)
        otp_login(self.request, device)
        # Signing in is now complete: a new session key, as at the first step.
        self.request.session.cycle_key()
        return redirect(_next_url(self.request))


@method_decorator(never_cache, name="dispatch")
class BackupCodesView(TemplateView):
    """Backup codes: shown once when made; a new set can be made at any time."""

    template_name = "account/backup_codes.html"

    def dispatch(self, request, *args, **kwargs):
        if not user_has_device(request.user):
            if roles.needs_two_factor(request.user):
                return redirect("two_factor_setup")
            raise PermissionDenied
        if not request.user.is_verified():
            return redirect(_with_next("two_factor_verify", request))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["codes"] = self.request.session.pop("new_backup_codes", None)
        context["continue_url"] = self.request.session.pop("after_backup_codes", None)
        context["codes_left"] = StaticToken.objects.filter(device__user=self.request.user).count()
        return context

    def post(self, request, *args, **kwargs):
        request.session["new_backup_codes"] = services.two_factor_backup_codes_replace(
            user=request.user
        )
        messages.success(request, _("You have new backup codes. The old ones no longer work."))
        return redirect("two_factor_backup_codes")


class ProfileView(TemplateView):
    """The user's own account: name, roles, two-factor sign-in, password and email choices."""

    template_name = "account/profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["role_names"] = roles.role_names(user)
        context["has_two_factor"] = user_has_device(user)
        context["codes_left"] = StaticToken.objects.filter(device__user=user).count()
        context["two_factor_required"] = settings.TWO_FACTOR_REQUIRED
        return context
