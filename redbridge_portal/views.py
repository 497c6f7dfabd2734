import base64
import csv
import io
import json
import logging
import re
import sys
from datetime import UTC, timedelta

import qrcode
import redis
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View, defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import FormView, TemplateView
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from people.forms import PersonRolesForm
from people.services import EXTRA_ROLES
from redbridge_portal import roles, school_calendar, selectors, services
from redbridge_portal.celery import app as celery_app
from redbridge_portal.forms import (
    AnonymiseForm,
    AuditLogFilterForm,
    EmailPreferencesForm,
    PeopleSearchForm,
    SchoolClosureForm,
    TwoFactorCodeForm,
)
from redbridge_portal.models import Notification, SchoolClosure

logger = logging.getLogger(__name__)


class HomeView(TemplateView):
    """What needs the signed-in person now: each app contributes a panel (a selector for the
    data, an include for the markup), each with a fixed, small number of queries."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        from approvals.selectors import home_panel_context as approvals_panel
        from concerns.selectors import home_panel_context as concerns_panel
        from policy.questions import home_panel_context as questions_panel
        from policy.selectors import home_panel_context as policy_panel

        user = self.request.user
        context = super().get_context_data(**kwargs)
        for panel in (policy_panel, approvals_panel, concerns_panel, questions_panel):
            context.update(panel(user))
        context["guidance_is_policy_admin"] = context["policy_can_manage"]
        context["guidance_now"] = timezone.now()
        return context


@method_decorator(login_not_required, name="dispatch")
class AccessibilityStatementView(TemplateView):
    template_name = "accessibility.html"


# Each check of /healthz gives up after this long, so the whole answer comes within two seconds
# even when a service accepts connections and never answers.
HEALTH_CHECK_TIMEOUT = 0.5


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: the database is unreachable")
        return False
    return True


def _redis_ok(url: str, what: str) -> bool:
    client = redis.Redis.from_url(
        url, socket_timeout=HEALTH_CHECK_TIMEOUT, socket_connect_timeout=HEALTH_CHECK_TIMEOUT
    )
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError) as error:
        logger.error("Health check: %s (Redis) did not answer: %s", what, error)
        return False
    finally:
        client.close()


def _broker_ok() -> bool:
    url = celery_app.conf.broker_url or ""
    if url.startswith(("redis://", "rediss://")):
        return _redis_ok(url, "the Celery broker")
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=HEALTH_CHECK_TIMEOUT)
    except Exception:
        logger.exception("Health check: the Celery broker is unreachable")
        return False
    return True


def _redis_cache_url() -> str | None:
    cache_settings = settings.CACHES["default"]
    if cache_settings["BACKEND"] != "django_redis.cache.RedisCache":
        return None
    location = cache_settings["LOCATION"]
    return location[0] if isinstance(location, list | tuple) else location


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """For the load balancer and monitoring: 200 when the database and the broker answer,
    503 naming whichever does not, within two seconds. A Redis cache is reported too, but does
    not fail the check: pages are served without it."""
    on_redis = (celery_app.conf.broker_url or "").startswith("redis")
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    failing = [name for name, ok in checks.items() if not ok]
    body = {name: "ok" if ok else "unreachable" for name, ok in checks.items()}
    cache_url = _redis_cache_url()
    if cache_url is not None:
        cache_ok = _redis_ok(cache_url, "the cache")
        body["cache"] = "ok" if cache_ok else "unreachable (pages still work)"
    names = ["broker (Redis)" if name == "broker" and on_redis else name for name in failing]
    body["status"] = "ok" if not failing else "unavailable: " + ", ".join(names)
    return JsonResponse(body, status=503 if failing else 200)


class NotificationListView(TemplateView):
    template_name = "notifications/notification_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_obj"] = selectors.notifications_page(
            user=self.request.user, page_number=self.request.GET.get("page")
        )
        return context


@require_POST
def notifications_mark_read(request):
    ids = request.POST.getlist("notification")
    services.notifications_mark_read(
        user=request.user,
        # Only plain ids: str.isdigit() also accepts "²" and 5,000 digits, which int() refuses.
        notification_ids=[int(i) for i in ids if re.fullmatch(r"[0-9]{1,18}", i)] if ids else None,
    )
    messages.success(request, _("Marked as read."))
    return redirect("notifications")


@require_GET
def notification_open(request, pk):
    """Mark one notification read and go to what it is about."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notifications_mark_read(user=request.user, notification_ids=[notification.pk])
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        target = reverse("notifications")
    return redirect(target)


class EmailPreferencesView(FormView):
    template_name = "notifications/email_preferences.html"
    form_class = EmailPreferencesForm
    success_url = reverse_lazy("notification_settings")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        self.preferences = selectors.email_preferences(self.request.user)
        kwargs["preferences"] = self.preferences
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["mandatory"] = [p for p in self.preferences if p["mandatory"]]
        return context

    def form_valid(self, form):
        services.email_preferences_set(user=self.request.user, enabled_kinds=form.enabled_kinds())
        messages.success(self.request, _("Your email choices are saved."))
        return super().form_valid(form)


class PolicyAdminRequiredMixin:
    """The page is for policy admins; anyone else signed in gets 403."""

    def dispatch(self, request, *args, **kwargs):
        if not roles.can_manage_policy(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class SchoolCalendarView(PolicyAdminRequiredMixin, FormView):
    """The dates the school is closed, entered by a policy admin, so that reminders count
    only school days."""

    template_name = "school_calendar.html"
    form_class = SchoolClosureForm
    success_url = reverse_lazy("school_calendar")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["closures"] = SchoolClosure.objects.filter(last_day__gte=today)
        context["past_closures"] = SchoolClosure.objects.filter(last_day__lt=today).order_by(
            "-first_day"
        )[:20]
        context["bank_holidays"] = school_calendar.bank_holidays_named(
            today, today + timedelta(days=365)
        )
        return context

    def form_valid(self, form):
        closure = services.school_closure_add(actor=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Added: %(closure)s.") % {"closure": closure})
        return super().form_valid(form)


@require_POST
def school_closure_remove(request, pk):
    if not roles.can_manage_policy(request.user):
        raise PermissionDenied
    closure = get_object_or_404(SchoolClosure, pk=pk)
    services.school_closure_remove(actor=request.user, closure=closure)
    messages.success(request, _("Removed: %(closure)s.") % {"closure": closure})
    return redirect("school_calendar")


@login_not_required
def admin_login(request):
    """The admin site's sign-in address. Signing in happens on the portal's own page (where the
    lockout and two-factor rules apply). Someone already signed in without admin access is
    refused here, rather than bounced between the two sign-in pages for ever."""
    if request.user.is_authenticated:
        raise PermissionDenied
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{reverse('login')}?{query}" if query else reverse("login"))


# --- Error pages ----------------------------------------------------------------------------


def _record_refusal(request, reason: str) -> None:
    user = getattr(request, "user", None)
    services.audit_record(
        actor=user if user is not None and user.is_authenticated else None,
        action="access.refused",
        summary=f"{request.method} {request.path}"[:1000],
        data={"path": request.path[:1000], "method": request.method, "reason": reason},
    )


def permission_denied(request, exception=None):
    """handler403: the page explains what to do, and the refusal goes in the audit log."""
    _record_refusal(request, "permission")
    return render(request, "403.html", status=403)


@login_not_required
def csrf_failure(request, reason=""):
    """A form sent without a valid security token (usually an old tab): recorded, explained."""
    _record_refusal(request, "csrf")
    return render(request, "403.html", {"csrf_failure": True}, status=403)


def server_error(request):
    """handler500: a database that cannot be reached is a "try again in a minute" page (503),
    not an unexplained error. Like Django's own view, it renders without the request's context,
    which could need the database."""
    if isinstance(sys.exc_info()[1], DatabaseError):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "60"
        return response
    return defaults.server_error(request)


# --- Two-factor sign-in ----------------------------------------------------------------------


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


# --- Audit log -----------------------------------------------------------------------------


class RoleRequiredMixin:
    """Signed-in users without the role get 403 (recorded in the audit log)."""

    allowed = None  # a roles function

    def dispatch(self, request, *args, **kwargs):
        if not type(self).allowed(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _audit_filter(request):
    form = AuditLogFilterForm(request.GET or None, families=selectors.audit_action_families())
    if form.is_valid():
        criteria = form.cleaned_data
    else:
        criteria = {}
    return form, selectors.audit_events(**criteria)


class AuditLogView(RoleRequiredMixin, TemplateView):
    """Every recorded decision, change, sign-in and refusal, newest first, with filters."""

    allowed = staticmethod(roles.can_view_audit_log)
    template_name = "audit/audit_log.html"
    per_page = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, events = _audit_filter(self.request)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            form=form,
            page_obj=Paginator(events, self.per_page).get_page(self.request.GET.get("page")),
            query_string=query.urlencode(),
        )
        return context


class _Echo:
    def write(self, value):
        return value


def _csv_cell(value) -> str:
    """Text for a spreadsheet cell. A leading = + - @ would make Excel run it as a formula
    (CSV injection), so such text is prefixed with an apostrophe."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


class AuditLogCsvView(RoleRequiredMixin, View):
    """The filtered audit log as CSV, streamed row by row in constant memory and queries."""

    allowed = staticmethod(roles.can_view_audit_log)
    header = [
        "When (UTC)",
        "Who",
        "Who (email)",
        "What",
        "Record type",
        "Record",
        "Record id",
        "Details",
        "From address",
        "Data",
    ]

    def get(self, request):
        form, events = _audit_filter(request)
        services.audit_record(
            actor=request.user,
            action="audit_log.exported",
            summary=request.GET.urlencode()[:1000],
        )
        writer = csv.writer(_Echo())

        def rows():
            yield writer.writerow(self.header)
            for event in events.iterator(chunk_size=2000):
                yield writer.writerow(
                    _csv_cell(value)
                    for value in (
                        event.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
                        str(event.actor) if event.actor_id else "",
                        event.actor.email if event.actor_id else "",
                        event.action,
                        event.target_type.model if event.target_type_id else "",
                        event.target_label,
                        event.target_id,
                        event.summary,
                        event.ip_address,
                        json.dumps(event.data, cls=DjangoJSONEncoder) if event.data else "",
                    )
                )

        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
        return response


# --- People and their personal data ----------------------------------------------------------


class PeopleView(RoleRequiredMixin, TemplateView):
    allowed = staticmethod(roles.can_manage_people)
    template_name = "account/people.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = PeopleSearchForm(self.request.GET or None)
        search = form.cleaned_data["search"] if form.is_valid() else ""
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            form=form,
            search=search,
            page_obj=Paginator(selectors.people(search=search), 50).get_page(
                self.request.GET.get("page")
            ),
            query_string=query.urlencode(),
        )
        return context


class PersonMixin(RoleRequiredMixin):
    allowed = staticmethod(roles.can_manage_personal_data)

    def get_person(self):
        return get_object_or_404(get_user_model(), pk=self.kwargs["pk"])


class PersonDetailView(PersonMixin, TemplateView):
    template_name = "account/person_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.get_person()
        context.update(
            person=person,
            person_roles=roles.role_names(person),
            has_two_factor=user_has_device(person),
            recent_events=selectors.audit_events_about(person)[:20],
            is_self=person.pk == self.request.user.pk,
            roles_form=PersonRolesForm(
                initial={"extra_roles": [r for r in roles.role_names(person) if r in EXTRA_ROLES]}
            ),
        )
        return context


class PersonExportView(PersonMixin, View):
    """Download everything held about one person, as JSON (a subject access request)."""

    def post(self, request, pk):
        person = self.get_person()
        data = services.personal_data_export(actor=request.user, user=person)
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="personal-data-{person.pk}.json"'
        return response


class PersonAnonymiseView(PersonMixin, FormView):
    template_name = "account/person_anonymise.html"
    form_class = AnonymiseForm

    def get_context_data(self, **kwargs):
        person = self.get_person()
        return super().get_context_data(
            person=person, is_self=person.pk == self.request.user.pk, **kwargs
        )

    def form_valid(self, form):
        person = self.get_person()
        try:
            person = services.user_anonymise(actor=self.request.user, user=person)
        except services.AccountError as error:
            messages.error(self.request, str(error))
            return redirect("person_detail", pk=person.pk)
        messages.success(
            self.request, _("Anonymised. The account is now %(name)s.") % {"name": person}
        )
        return redirect("person_detail", pk=person.pk)


class PersonActionView(PersonMixin, View):
    """A POST-only action on someone's account, calling one service."""

    service = None
    done_message = ""

    def post(self, request, pk):
        person = self.get_person()
        try:
            type(self).service(actor=request.user, user=person)
        except services.AccountError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, self.done_message % {"name": person})
        return redirect("person_detail", pk=person.pk)


class PersonTwoFactorResetView(PersonActionView):
    service = staticmethod(services.two_factor_reset)
    done_message = gettext_lazy(
        "%(name)s will set up two-factor sign-in again next time they sign in."
    )
