"""The audit log, on a page and as a CSV download."""

import json
from datetime import UTC

from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from redbridge_portal import roles, selectors, services
from redbridge_portal.csv_export import csv_download
from redbridge_portal.forms import (
    AuditLogFilterForm,
)
from redbridge_portal.mixins import RoleRequiredMixin


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


class AuditLogCsvView(RoleRequiredMixin, View):
    """The filtered audit log as CSV, streamed row by row in constant memory and queries."""

    allowed = staticmethod(roles.can_view_audit_log)
    header = [
        _("When (UTC)"),
        _("Who"),
        _("Who (email)"),
        _("What"),
        _("Record type"),
        _("Record"),
        _("Record id"),
        _("Details"),
        _("From address"),
        _("Data"),
    ]

    def get(self, request):
        form, events = _audit_filter(request)
        services.audit_record(
            actor=request.user,
            action="audit_log.exported",
            summary=request.GET.urlencode()[:1000],
        )
        rows = (
            (
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
            for event in events.iterator(chunk_size=2000)
        )
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        return csv_download(self.header, rows, filename=f"audit-log-{stamp}.csv")
