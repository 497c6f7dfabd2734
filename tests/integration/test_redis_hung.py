"""A Redis that hangs (accepts connections, never answers) must not hold the portal: pages
answer without it, a submission succeeds once and says so, and /healthz names Redis within two
seconds. The test starts a Redis of its own on a free port and pauses it with SIGSTOP, as a
swapping or wedged server would behave."""

import json
from contextlib import contextmanager
from dataclasses import dataclass
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse
from redis.connection import AbstractConnection
from redis.exceptions import TimeoutError as RedisTimeoutError

from approvals.models import Post, PostStatus
from redbridge_portal.models import EmailStatus, Notification
from tests.approvals.factories import AccountFactory, draft_post, submit_from_page
from tests.integration.brokers import tasks_sent_to
from tests.own_redis import REDIS_SERVER, own_redis_fixture  # noqa: F401 (own_redis)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(REDIS_SERVER is None, reason="needs redis-server"),
]


@dataclass(frozen=True)
class Wait:
    """One time the portal waited for Redis to answer: for at most `timeout` seconds."""

    timeout: float | None
    answered: bool


@contextmanager
def waits_for_redis():
    """Every wait for an answer from Redis while the block runs (the cache's, the broker's and
    /healthz's connections all read through redis-py's `read_response`)."""
    waits: list[Wait] = []
    read_response = AbstractConnection.read_response

    def noting(connection, *args, **kwargs):
        timeout = kwargs.get("timeout", connection.socket_timeout)
        try:
            response = read_response(connection, *args, **kwargs)
        except RedisTimeoutError:
            waits.append(Wait(timeout, answered=False))
            raise
        waits.append(Wait(timeout, answered=True))
        return response

    with mock.patch.object(AbstractConnection, "read_response", noting):
        yield waits


@pytest.fixture
def portal_on_redis(own_redis, settings):
    """The cache and the broker both on the module's own Redis, configured by settings.py,
    running and empty at the start of each test."""
    own_redis.healthy()
    portal = own_redis.portal_settings()
    settings.CACHES = portal["CACHES"]
    broker_url = f"redis://127.0.0.1:{own_redis.port}/1"
    assert portal["CELERY_BROKER_URL"] == broker_url
    with tasks_sent_to(
        broker_url, broker_transport_options=portal["CELERY_BROKER_TRANSPORT_OPTIONS"]
    ):
        # The breakers start closed: tests/conftest.py resets them around every test.
        yield own_redis
    cache.close()
    # Left paused by a test: running again for the next.
    own_redis.healthy()


# Counted, not timed: each wait on a hung Redis costs its socket timeout, however fast the machine.


def test_with_redis_hung_pages_answer_after_one_short_wait_and_healthz_names_redis(
    staff_client, portal_on_redis, policy_v1
):
    urls = ("/", "/policy/", reverse("approvals:my_posts"))
    with waits_for_redis() as waits:
        for url in urls:
            assert staff_client.get(url).status_code == 200
        assert staff_client.get("/healthz").status_code == 200
    assert waits and all(wait.answered for wait in waits)  # the pages use this Redis

    portal_on_redis.pause()
    with waits_for_redis() as waits:
        for url in (*urls, *urls):
            response = staff_client.get(url)
            assert response.status_code == 200, url
    # One half-second wait for the cache, then every read is a miss served from the database
    # without asking Redis again (it once cost 2 s on every page).
    assert waits == [Wait(0.5, answered=False)]
    assert policy_v1.title in staff_client.get("/policy/").content.decode()

    with waits_for_redis() as waits:
        response = staff_client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["broker"] == "unreachable"
    assert body["cache"] == "unreachable (pages still work)"
    assert "Redis" in body["status"]
    # The broker and the cache each get half a second: /healthz answers within two seconds.
    assert waits == [Wait(0.5, answered=False), Wait(0.5, answered=False)]

    portal_on_redis.resume()
    assert staff_client.get("/healthz").status_code == 200


def test_with_redis_hung_a_submission_succeeds_once_and_is_emailed_later(
    staff_client, staff_user, senior_user, portal_on_redis, django_capture_on_commit_callbacks
):
    post = draft_post(staff_user, AccountFactory(name="X"))
    usual = draft_post(staff_user, AccountFactory(name="W"))
    with django_capture_on_commit_callbacks(execute=True):
        assert submit_from_page(staff_client, usual).status_code == 302

    portal_on_redis.pause()
    with waits_for_redis() as waits, django_capture_on_commit_callbacks(execute=True):
        response = submit_from_page(staff_client, post, follow=True)
    assert response.status_code == 200
    assert "Your post was sent to the senior team." in response.content.decode()
    # One wait of the broker's second to hand over the email, never the old retries (42 s).
    assert waits == [Wait(1, answered=False)]
    assert Post.objects.filter(author=staff_user).count() == 2  # the usual one and this one
    assert Post.objects.get(pk=post.pk).status == PostStatus.SUBMITTED
    notification = Notification.objects.filter(recipient=senior_user).latest("pk")
    assert notification.email_status == EmailStatus.PENDING  # the outbox sweep sends it

    # A second action while Redis is still hung does not wait for it again.
    other = draft_post(staff_user, AccountFactory(name="Y"))
    with waits_for_redis() as waits, django_capture_on_commit_callbacks(execute=True):
        assert submit_from_page(staff_client, other).status_code == 302
    assert waits == []
