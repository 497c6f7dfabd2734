"""Pages for concerns. Only the senior team and the reporter see a concern; anyone
else gets 404. Each action is a small POST-only view calling one service."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from concerns import selectors, services
from concerns.forms import ConcernActionForm, ConcernForm, ConcernResolveForm
from concerns.models import Concern, ConcernStatus
from concerns.services import ConcernError
from redbridge_portal import roles
from redbridge_portal.actions import run_action


def _concern_or_404(request, pk) -> Concern:
    concern = selectors.concern_for_page(request.user, pk)
    if concern is None:
        raise Http404(_("No such concern, or it is not yours to see."))
    return concern


@require_GET
def concern_list(request):
    is_senior = roles.is_senior_team(request.user)
    items = list(selectors.concern_list(request.user)[:200])
    return render(
        request,
        "concerns/concern_list.html",
        {
            "is_senior": is_senior,
            "open_concerns": [c for c in items if c.status != ConcernStatus.RESOLVED],
            "resolved_concerns": [c for c in items if c.status == ConcernStatus.RESOLVED][:50],
        },
    )


def concern_create(request):
    if request.method == "POST":
        form = ConcernForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                concern, created = services.concern_raise(
                    actor=request.user,
                    description=form.cleaned_data["description"],
                    urgency=form.cleaned_data["urgency"],
                    link=form.cleaned_data["link"],
                    screenshot=form.cleaned_data["screenshot"],
                    form_token=form.cleaned_data.get("form_token"),
                )
            except ConcernError as error:
                form.add_error(None, error.message)
            else:
                if created:
                    messages.success(
                        request, _("Thank you. The senior team has been told about your concern.")
                    )
                return redirect(concern.get_absolute_url())
        messages.error(request, _("Your concern was not sent. Check the problems listed."))
        status = 400
    else:
        form = ConcernForm(initial={"form_token": uuid.uuid4()})
        status = 200
    return render(request, "concerns/concern_form.html", {"form": form}, status=status)


def _concern_page(request, concern: Concern, *, status=200, **forms):
    context = {
        "concern": concern,
        "is_senior": roles.is_senior_team(request.user),
        "is_reporter": concern.reporter_id == request.user.pk,
        "can_take": roles.may_take_concern(request.user, concern),
        "can_act": roles.may_work_on_concern(request.user, concern),
        "action_form": forms.get("action_form") or ConcernActionForm(),
        "resolve_form": forms.get("resolve_form") or ConcernResolveForm(),
    }
    return render(request, "concerns/concern_detail.html", context, status=status)


@require_GET
def concern_detail(request, pk):
    return _concern_page(request, _concern_or_404(request, pk))


@require_POST
def concern_take(request, pk):
    concern = _concern_or_404(request, pk)
    return run_action(
        request,
        lambda: services.concern_take(actor=request.user, concern=concern),
        success=_("You are now dealing with this concern. The person who raised it has been told."),
        then=concern.get_absolute_url(),
    )


@require_POST
def concern_action(request, pk):
    concern = _concern_or_404(request, pk)
    form = ConcernActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was recorded. Check the problems listed."))
        return _concern_page(request, concern, status=400, action_form=form)
    return run_action(
        request,
        lambda: services.concern_add_action(
            actor=request.user, concern=concern, body=form.cleaned_data["body"]
        ),
        success=_("The action was recorded."),
        then=concern.get_absolute_url(),
    )


@require_POST
def concern_resolve(request, pk):
    concern = _concern_or_404(request, pk)
    form = ConcernResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The concern was not resolved. Check the problems listed."))
        return _concern_page(request, concern, status=400, resolve_form=form)
    return run_action(
        request,
        lambda: services.concern_resolve(
            actor=request.user, concern=concern, outcome=form.cleaned_data["outcome"]
        ),
        success=_("The concern is resolved. The person who raised it has been told the outcome."),
        then=concern.get_absolute_url(),
    )


@require_GET
def concern_screenshot(request, pk):
    concern = _concern_or_404(request, pk)
    if not concern.screenshot:
        raise Http404(_("No screenshot."))
    try:
        handle = concern.screenshot.open("rb")
    except FileNotFoundError:
        raise Http404(_("The screenshot file is missing.")) from None
    response = FileResponse(handle, content_type=concern.screenshot_type or "image/png")
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def moved_from_posts(request, rest: str = ""):
    """Concerns once lived under /posts/concerns/; links from old emails and bookmarks land on
    the same page at its new address, permanently (308, so a form posted there keeps its method)."""
    query = request.META.get("QUERY_STRING", "")
    return redirect(
        f"/concerns/{rest}" + (f"?{query}" if query else ""), permanent=True, preserve_request=True
    )
