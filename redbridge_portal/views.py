import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import FormView, TemplateView

from redbridge_portal import roles, selectors, services
from redbridge_portal.celery import app as celery_app
from redbridge_portal.forms import EmailPreferencesForm, SchoolClosureForm
from redbridge_portal.models import Notification, SchoolClosure

logger = logging.getLogger(__name__)


class HomeView(TemplateView):
    template_name = "home.html"


@method_decorator(login_not_required, name="dispatch")
class AccessibilityStatementView(TemplateView):
    template_name = "accessibility.html"


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: the database is unreachable")
        return False
    return True


def _broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        logger.exception("Health check: the Celery broker is unreachable")
        return False
    return True


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """For the load balancer and monitoring: 200 when the database and the broker answer,
    503 naming whichever does not."""
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    failing = [name for name, ok in checks.items() if not ok]
    body = {name: "ok" if ok else "unreachable" for name, ok in checks.items()}
    body["status"] = "ok" if not failing else "unavailable: " + ", ".join(failing)
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
        notification_ids=[int(i) for i in ids if i.isdigit()] if ids else None,
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
