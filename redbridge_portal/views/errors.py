"""Error pages: a refusal is recorded in the audit log; the admin site signs in through the
portal."""

import sys

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.views import defaults

from redbridge_portal import services


@login_not_required
def admin_login(request):
    """The admin site's sign-in address. Signing in happens on the portal's own page (where the
    lockout and two-factor rules apply). Someone already signed in without admin access is
    refused here, rather than bounced between the two sign-in pages for ever."""
    if request.user.is_authenticated:
        raise PermissionDenied
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{reverse('login')}?{query}" if query else reverse("login"))


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
