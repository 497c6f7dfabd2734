"""The portal's URLs plus the benchmark's two reference views."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

from redbridge_portal.urls import urlpatterns as portal_urlpatterns


@login_not_required
def reference(request):
    """The smallest possible Django view: a fixed short response, no database. The local limit
    that each page's throughput is compared with."""
    return HttpResponse(b"ok", content_type="text/plain")


def signed_in_floor(request):
    """A fixed short response for a signed-in user, after the middleware has loaded the session
    and the user and the two-factor check has run: what any page rendered for a signed-in user
    costs before its own work. Not a target; it shows how much of a page's time is spent before
    its view runs."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/reference/", reference, name="bench_reference"),
    path("bench/signed-in/", signed_in_floor, name="bench_signed_in"),
    *portal_urlpatterns,
]
