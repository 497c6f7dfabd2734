from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

from redbridge_portal.urls import urlpatterns as portal_urlpatterns


@login_not_required
def reference(request):
    """The smallest possible Django view: a fixed short response, no database."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/reference/", reference, name="bench_reference"), *portal_urlpatterns]
