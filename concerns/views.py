"""Pages for concerns. Only the senior team and the reporter see a concern; anyone
else gets 404. Each action is a small POST-only view calling one service."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from concerns import selectors, services
from concerns.forms import ConcernActionForm, ConcernForm, ConcernResolveForm
from redbridge_portal import roles
from redbridge_portal.mixins import (
    ObjectPageView,
    PersonalListsView,
    PostedFormMixin,
    RoleRequiredMixin,
    SendOnceFormView,
)


class ConcernListView(PersonalListsView):
    template_name = "concerns/concern_list.html"
    lists = staticmethod(selectors.concern_lists)


class ConcernCreateView(RoleRequiredMixin, SendOnceFormView):
    allowed = staticmethod(roles.is_staff_member)
    refused = _("Only members of staff can raise a concern.")
    template_name = "concerns/concern_form.html"
    form_class = ConcernForm
    service = staticmethod(services.concern_raise)
    sent_message = _("Thank you. The senior team has been told about your concern.")
    not_sent_message = _("Your concern was not sent. Check the problems listed.")


class ConcernPageView(ObjectPageView):
    template_name = "concerns/concern_detail.html"
    context_object_name = "concern"
    find = staticmethod(selectors.concern_for_page)
    not_found = _("No such concern, or it is not yours to see.")
    form_classes = {"action_form": ConcernActionForm, "resolve_form": ConcernResolveForm}

    def get_context_data(self, **kwargs):
        user, concern = self.request.user, self.object
        return super().get_context_data(
            is_senior=roles.is_senior_team(user),
            is_reporter=concern.reporter_id == user.pk,
            can_take=roles.may_take_concern(user, concern),
            can_act=roles.may_work_on_concern(user, concern),
            **kwargs,
        )


class ConcernTakeView(PostedFormMixin, ConcernPageView):
    service = staticmethod(services.concern_take)
    success_message = _(
        "You are now dealing with this concern. The person who raised it has been told."
    )


class ConcernActionView(PostedFormMixin, ConcernPageView):
    form_name = "action_form"
    service = staticmethod(services.concern_add_action)
    invalid_message = _("Nothing was recorded. Check the problems listed.")
    success_message = _("The action was recorded.")


class ConcernResolveView(PostedFormMixin, ConcernPageView):
    form_name = "resolve_form"
    service = staticmethod(services.concern_resolve)
    invalid_message = _("The concern was not resolved. Check the problems listed.")
    success_message = _(
        "The concern is resolved. The person who raised it has been told the outcome."
    )


class ConcernScreenshotView(ConcernPageView):
    """The screenshot, for the same people as the concern's page."""

    def get(self, request, *args, **kwargs):
        concern = self.get_object()
        if not concern.screenshot:
            raise Http404(_("No screenshot."))
        try:
            handle = concern.screenshot.open("rb")
        except FileNotFoundError:
            raise Http404(_("The screenshot file is missing.")) from None
        response = FileResponse(handle, content_type=concern.screenshot_type or "image/png")
        response["Content-Disposition"] = "inline"
        # No Cache-Control of its own: like the page it is on, a screenshot about a pupil is
        # not kept by a shared computer's browser after its user signs out
        # (NoStoreForSignedInMiddleware).
        return response


def moved_from_posts(request, rest: str = ""):
    """Concerns once lived under /posts/concerns/; links from old emails and bookmarks land on
    the same page at its new address, permanently (308, so a form posted there keeps its method)."""
    query = request.META.get("QUERY_STRING", "")
    return redirect(
        f"/concerns/{rest}" + (f"?{query}" if query else ""), permanent=True, preserve_request=True
    )
