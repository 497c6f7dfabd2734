"""A person's notifications and which of them also come by email."""

import re

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import FormView, TemplateView

from redbridge_portal import selectors, services
from redbridge_portal.forms import (
    EmailPreferencesForm,
)
from redbridge_portal.models import Notification


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
