"""The portal's URLs plus the benchmark's reference views and the queue's idiomatic peer."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path
from django.views.generic import ListView

from approvals.models import Post, PostStatus
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


class QueuePeerView(ListView):
    """The queue's first page as a textbook Django page: a ListView of the same 25 posts
    waiting for a decision, oldest first, with their author and account joined, in a simple
    table (templates/bench/queue_peer.html). What a page of this kind costs done the ordinary
    way; the portal's list pages are compared with it in the same run."""

    template_name = "bench/queue_peer.html"
    paginate_by = 25

    def get_queryset(self):
        return (
            Post.objects.filter(status=PostStatus.SUBMITTED, submitted_at__isnull=False)
            .select_related("author", "account")
            .order_by("submitted_at", "id")
        )


urlpatterns = [
    path("bench/reference/", reference, name="bench_reference"),
    path("bench/signed-in/", signed_in_floor, name="bench_signed_in"),
    path("bench/queue-peer/", QueuePeerView.as_view(), name="bench_queue_peer"),
    *portal_urlpatterns,
]
