"""A Redis that hangs (accepts connections, never answers) must not hold the portal: pages
answer without it, a submission succeeds once and says so, and /healthz names Redis within two
seconds. The test starts a Redis of its own on a free port and pauses it with SIGSTOP, as a
swapping or wedged server would behave."""

import json
import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from approvals.models import Post, PostStatus
from redbridge_portal.models import EmailStatus, Notification
from redbridge_portal.redis_guard import FailFastConnection
from tests.approvals.factories import AccountFactory, draft_post, submit_from_page
from tests.integration.brokers import tasks_sent_to
from tests.own_redis import REDIS_SERVER, own_redis_fixture  # noqa: F401 (own_redis)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(REDIS_SERVER is None, reason="needs redis-server"),
]

# Generous bounds: a hung Redis used to cost 2 s per page and minutes for /healthz. A page may
# wait once for the cache's half-second timeout.
PAGE_SECONDS = 1.5
HEALTHZ_SECONDS = 2.0


@pytest.fixture
def portal_on_redis(own_redis, settings):
    """The cache and the broker both on the module's own Redis, configured as settings.py does,
    running and empty at the start of each test."""
    own_redis.healthy()
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{own_redis.port}/0",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
                "CONNECTION_POOL_KWARGS": {"connection_class": FailFastConnection},
            },
        }
    }
    with tasks_sent_to(
        f"redis://127.0.0.1:{own_redis.port}/1",
        broker_transport_options={
            "socket_timeout": 1,
            "socket_connect_timeout": 1,
            "max_retries": 0,
        },
    ):
        # The breakers start closed: tests/conftest.py resets them around every test.
        yield own_redis
    cache.close()
    # Left paused by a test: running again for the next.
    own_redis.healthy()


def timed(call):
    start = time.monotonic()
    response = call()
    return response, time.monotonic() - start


def test_with_redis_hung_pages_answer_quickly_and_healthz_names_redis(
    staff_client, portal_on_redis, policy_v1
):
    urls = ("/", "/policy/", reverse("approvals:my_posts"))
    # What each page costs with nothing cached (Redis up, emptied): with Redis hung a page may
    # cost that plus one short wait, never the old seconds per cache read.
    cold = {}
    for url in urls:
        cache.clear()
        response, cold[url] = timed(lambda url=url: staff_client.get(url))
        assert response.status_code == 200
    healthy = staff_client.get("/healthz")
    assert healthy.status_code == 200, healthy.content

    portal_on_redis.pause()
    for url in (*urls, *urls):
        response, seconds = timed(lambda url=url: staff_client.get(url))
        assert response.status_code == 200
        assert seconds < cold[url] + PAGE_SECONDS, (
            f"{url} took {seconds:.1f} s with Redis hung ({cold[url]:.1f} s with nothing cached)"
        )

    response, seconds = timed(lambda: staff_client.get("/healthz"))
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["broker"] == "unreachable"
    assert "Redis" in body["status"]
    assert seconds < HEALTHZ_SECONDS

    portal_on_redis.resume()
    assert staff_client.get("/healthz").status_code == 200


def test_with_redis_hung_a_submission_succeeds_once_and_is_emailed_later(
    staff_client, staff_user, senior_user, portal_on_redis, django_capture_on_commit_callbacks
):
    post = draft_post(staff_user, AccountFactory(name="X"))
    # The same action with Redis answering, for comparison.
    usual = draft_post(staff_user, AccountFactory(name="W"))
    with django_capture_on_commit_callbacks(execute=True):
        response, usual_seconds = timed(lambda: submit_from_page(staff_client, usual))
    assert response.status_code == 302

    portal_on_redis.pause()
    with django_capture_on_commit_callbacks(execute=True):
        response, seconds = timed(lambda: submit_from_page(staff_client, post, follow=True))
    assert response.status_code == 200
    assert "Your post was sent to the senior team." in response.content.decode()
    assert seconds < 5  # one broker timeout at most, never the old 42 s
    assert Post.objects.filter(author=staff_user).count() == 2  # the usual one and this one
    assert Post.objects.get(pk=post.pk).status == PostStatus.SUBMITTED
    notification = Notification.objects.filter(recipient=senior_user).latest("pk")
    assert notification.email_status == EmailStatus.PENDING  # the outbox sweep sends it

    # A second action while Redis is still hung does not wait for it again.
    other = draft_post(staff_user, AccountFactory(name="Y"))
    with django_capture_on_commit_callbacks(execute=True):
        response, seconds = timed(lambda: submit_from_page(staff_client, other))
    assert response.status_code == 302
    # No second wait for the broker (its timeout is a second).
    assert seconds < usual_seconds + 0.8, f"{seconds:.2f} s, usually {usual_seconds:.2f} s"
