"""Pages for reading the policy, acknowledging it and running the annual review.

Views are thin: they read through selectors and act through services; a PolicyError becomes a
message and a redirect.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import TemplateView

from policy import search, selectors, services
from policy.diff import compare_documents
from policy.forms import ChangesForm
from policy.models import PolicyVersion
from redbridge_portal import roles
from redbridge_portal.csv_export import csv_download
from redbridge_portal.mixins import RoleRequiredMixin


class PolicyManagerRequiredMixin(RoleRequiredMixin):
    allowed = staticmethod(roles.can_manage_policy)
    refused = gettext_lazy("Only policy admins can run the annual review.")


def _version_number(value) -> int | None:
    """A version number from a form or query string, or None for anything else (including
    digits that are not ASCII, such as "²", and numbers too large for the database)."""
    value = (value or "").strip()
    return int(value) if re.fullmatch(r"[0-9]{1,9}", value) else None


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# --- Reading -----------------------------------------------------------------------------------


class PolicyDocumentView(TemplateView):
    """The whole policy: details, contents, text, and the acknowledgement."""

    template_name = "policy/policy_document.html"

    def get_version(self) -> PolicyVersion | None:
        return selectors.current_version()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = self.get_version()
        context["version"] = version
        if version is None:
            return context
        user = self.request.user
        current = version if selectors.status_is_current(version) else None
        # One query answers both "has this user acknowledged it?" and "which version did they
        # acknowledge last?" (for the link to what changed since).
        latest = selectors.latest_acknowledgement(user) if current else None
        acknowledgement = latest if latest and latest.version_id == version.pk else None
        context.update(
            policy_html=selectors.policy_html(version),
            is_current=current is not None,
            review_overdue=current is not None and version.review_overdue(),
            acknowledgement=acknowledgement,
            needs_acknowledgement=current is not None and acknowledgement is None,
            today=timezone.localdate(),
        )
        if current is not None and acknowledgement is None and latest is not None:
            last = latest.version
            if last.number < version.number:
                context["changes_since_url"] = selectors.changes_url(last, version)
                context["last_acknowledged"] = last
                # Staff who read an earlier version confirm only what changed since; the
                # whole text is one link away.
                if "whole" not in self.request.GET:
                    context["changes_to_acknowledge"] = compare_documents(
                        selectors.policy_document(last), selectors.policy_document(version)
                    )
        if not context["is_current"]:
            context["current_version"] = selectors.current_version()
        return context


class VersionInAddressMixin:
    """The version whose number is in the address: superseded ones stay readable; a draft is
    a preview for policy admins (404 for everyone else)."""

    def get_version(self):
        version = selectors.version_by_number(self.kwargs["version"], user=self.request.user)
        if version is None:
            raise Http404(_("There is no such version of the policy."))
        return version


class PolicyVersionView(VersionInAddressMixin, PolicyDocumentView):
    """One version at its own address."""


class ClauseView(TemplateView):
    """A clause's permalink: the current wording of clause N."""

    template_name = "policy/clause_detail.html"

    def get_version(self) -> PolicyVersion:
        version = selectors.current_version(people=False)
        if version is None:
            raise Http404(_("The policy has not been loaded yet."))
        return version

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = self.get_version()
        clause = selectors.clause_fragment(version, self.kwargs["number"])
        if clause is None:
            raise Http404(
                _("There is no clause %(number)s in this version of the policy.")
                % {"number": self.kwargs["number"]}
            )
        is_current = selectors.status_is_current(version)
        context.update(
            version=version,
            clause=clause,
            is_current=is_current,
            current_version=None if is_current else selectors.current_version(),
            current_url=reverse("policy:clause", kwargs={"number": clause.number}),
            version_url=reverse(
                "policy:version_clause", kwargs={"version": version.number, "number": clause.number}
            ),
        )
        context["permalink"] = self.request.build_absolute_uri(
            context["current_url"] if is_current else context["version_url"]
        )
        return context


class VersionClauseView(VersionInAddressMixin, ClauseView):
    """A clause as one version of the policy words it."""


class SearchView(TemplateView):
    template_name = "policy/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        raw = self.request.GET.get("q")
        # Read once, for the search and the page.
        version = selectors.current_version(people=False)
        context["searched"] = raw is not None
        context["results"] = search.search_policy(raw, version=version) if raw is not None else None
        context["query"] = search.clean_query(raw)
        context["version"] = version
        return context


class ChangesView(TemplateView):
    """Compare two versions clause by clause. Without a choice: from the version the user last
    acknowledged (or the previous one) to the current one."""

    template_name = "policy/changes.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        versions = selectors.all_versions(user=user)
        by_number = {v.number: v for v in versions}
        current = selectors.current_version()
        context["versions"] = versions
        if len(versions) < 2:
            context["form"] = None
            return context
        if "old" in self.request.GET or "new" in self.request.GET:
            form = ChangesForm(self.request.GET, versions=versions)
        else:
            new = current or versions[0]
            last = selectors.last_acknowledged_version(user)
            if last is not None and last.number < new.number:
                old, context["since_acknowledged"] = last, True
            else:
                old = new.based_on if new.based_on_id in by_number else None
                old = old or next((v for v in versions if v.number < new.number), versions[-1])
            form = ChangesForm({"old": old.number, "new": new.number}, versions=versions)
        context["form"] = form
        if form.is_valid():
            old = by_number[form.cleaned_data["old"]]
            new = by_number[form.cleaned_data["new"]]
            context["comparison"] = compare_documents(
                selectors.policy_document(old), selectors.policy_document(new)
            )
        if current is not None:
            # Read what changed, then confirm here: no need to go back to the policy page.
            context["current"] = current
            context["acknowledgement"] = selectors.acknowledgement_for(user, current)
            context["next_url"] = self.request.get_full_path()
        return context


class AcknowledgeView(View):
    http_method_names = ["post"]

    def post(self, request):
        number = _version_number(request.POST.get("version"))
        version = PolicyVersion.objects.filter(number=number).first() if number else None
        target = _safe_next(request, reverse("policy:contents"))
        if version is None:
            messages.error(request, _("That version of the policy could not be found."))
            return HttpResponseRedirect(target)
        try:
            services.policy_acknowledge(user=request.user, version=version)
        except services.PolicyError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Thank you. You have confirmed that you have read version %(number)s.")
                % {"number": version.number},
            )
        return HttpResponseRedirect(target)


# --- Who has acknowledged it -------------------------------------------------------------------


class AcknowledgementViewerRequiredMixin(RoleRequiredMixin):
    allowed = staticmethod(roles.can_view_acknowledgements)
    refused = gettext_lazy("Only policy admins can see who has acknowledged the policy.")


class AcknowledgementsView(AcknowledgementViewerRequiredMixin, TemplateView):
    template_name = "policy/acknowledgements.html"

    def get_version(self) -> PolicyVersion | None:
        number = _version_number(self.request.GET.get("version"))
        if number:
            version = PolicyVersion.objects.readable().filter(number=number).first()
            if version is None:
                raise Http404(_("There is no such version of the policy."))
            return version
        return selectors.current_version()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = self.get_version()
        context["version"] = version
        context["versions"] = PolicyVersion.objects.readable().order_by("-number")
        if version is not None:
            report = selectors.acknowledgement_report_filtered(
                version,
                show=self.request.GET.get("show", "all"),
                role=self.request.GET.get("role", ""),
            )
            context.update(
                report=report,
                rows=report.rows,
                is_current=selectors.status_is_current(version),
                show_choices=[
                    ("all", _("Everyone")),
                    ("waiting", _("Not yet")),
                    ("done", _("Acknowledged")),
                ],
                role_choices=roles.ROLES,
            )
        return context


class AcknowledgementRemindView(AcknowledgementViewerRequiredMixin, View):
    """ "Remind those who have not" (at most once a day)."""

    http_method_names = ["post"]

    def post(self, request):
        number = _version_number(request.POST.get("version"))
        version = PolicyVersion.objects.readable().filter(number=number).first() if number else None
        target = reverse("policy:acknowledgements")
        if version is None:
            messages.error(request, _("That version of the policy could not be found."))
            return HttpResponseRedirect(target)
        try:
            sent = services.policy_acknowledgement_remind(actor=request.user, version=version)
        except services.PolicyError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s member of staff was reminded to acknowledge version %(number)s.",
                    "%(count)s members of staff were reminded to acknowledge version %(number)s.",
                    sent,
                )
                % {"count": sent, "number": version.number},
            )
        return HttpResponseRedirect(f"{target}?version={version.number}&show=waiting")


class AcknowledgementsCsvView(AcknowledgementsView):
    def get_context_data(self, **kwargs):
        # The download is always the whole list, whatever the page was filtered by.
        context = TemplateView.get_context_data(self, **kwargs)
        version = self.get_version()
        context["version"] = version
        if version is not None:
            context["rows"] = selectors.acknowledgement_report(version)
        return context

    def render_to_response(self, context, **response_kwargs):
        version = context["version"]
        if version is None:
            raise Http404(_("The policy has not been loaded yet."))

        def rows():
            for row in context["rows"]:
                when = timezone.localtime(row.acknowledged_at) if row.acknowledged_at else None
                yield (
                    str(row.user),
                    row.user.email,
                    version.number,
                    _("yes") if when else _("no"),
                    when.strftime("%Y-%m-%d %H:%M") if when else "",
                )

        return csv_download(
            [_("Name"), _("Email"), _("Version"), _("Acknowledged"), _("Acknowledged at")],
            rows(),
            filename=f"policy-version-{version.number}-acknowledgements.csv",
        )


# --- The annual review -------------------------------------------------------------------------


class ReviewView(PolicyManagerRequiredMixin, TemplateView):
    template_name = "policy/review.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        current = selectors.current_version()
        draft = selectors.draft_version()
        context.update(
            current=current,
            draft=draft,
            review_overdue=bool(current and current.review_overdue()),
            versions=selectors.all_versions(user=self.request.user),
            review_cycles=selectors.review_cycles(),
            today=timezone.localdate(),
        )
        return context


class ReviewStartView(PolicyManagerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        try:
            draft = services.policy_review_start(actor=request.user)
        except services.PolicyError as error:
            messages.error(request, str(error))
            return redirect("policy:review")
        messages.success(
            request,
            _(
                "Version %(number)s is a draft copy of the current policy. Edit it, preview it, "
                "then publish it."
            )
            % {"number": draft.number},
        )
        return redirect("policy:review")


class ReviewDiscardView(PolicyManagerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        draft = selectors.draft_version()
        if draft is None:
            messages.error(request, _("There is no draft to discard."))
            return redirect("policy:review")
        try:
            services.policy_review_discard(actor=request.user, version=draft)
        except services.PolicyError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The draft has been discarded."))
        return redirect("policy:review")


class ReviewPublishView(PolicyManagerRequiredMixin, TemplateView):
    """Publish the signed-off draft, with the summary that was signed off."""

    template_name = "policy/review_publish.html"

    def dispatch(self, request, *args, **kwargs):
        if not roles.can_manage_policy(request.user):
            raise PermissionDenied
        self.draft = selectors.draft_version()
        if self.draft is None:
            messages.error(request, _("There is no draft to publish. Start the annual review."))
            return redirect("policy:review")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        current = selectors.current_version()
        context["draft"] = self.draft
        context["current"] = current
        context["review_months"] = settings.POLICY_REVIEW_PERIOD_MONTHS
        if current is not None:
            context["comparison"] = compare_documents(
                selectors.policy_document(current), selectors.policy_document(self.draft)
            )
        return context

    def post(self, request, *args, **kwargs):
        try:
            version = services.policy_version_publish(actor=request.user, version=self.draft)
        except services.PolicyError as error:
            context = self.get_context_data(**kwargs)
            context["problem"] = str(error)
            return self.render_to_response(context, status=400)
        messages.success(
            request,
            _("Version %(number)s is now the policy. Staff have been asked to acknowledge it.")
            % {"number": version.number},
        )
        return redirect("policy:contents")
