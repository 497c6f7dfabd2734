"""The school calendar: closures policy admins enter, and the bank holidays."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView

from redbridge_portal import roles, school_calendar, services
from redbridge_portal.forms import (
    SchoolClosureForm,
)
from redbridge_portal.mixins import RoleRequiredMixin
from redbridge_portal.models import SchoolClosure


class SchoolCalendarView(RoleRequiredMixin, FormView):
    """The dates the school is closed, entered by a policy admin, so that reminders count
    only school days."""

    allowed = staticmethod(roles.can_manage_policy)

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
