"""Taking access away works on the very next request, whatever state the cache is in.

The portal's cache is Redis in production. Each test here runs against a Redis of its own (not
CI's), configured exactly as the settings configure CACHE_URL, and puts it in one of the states a
real Redis gets into: healthy, stopped, paused (a hung host: connections open, no answers),
paused and then resumed, or restarted from a snapshot saved before the change (a restore, or a
replica that had not caught up). Each test first uses the portal while the person still has
access, so that anything the portal caches is in that cache, then takes the access away and
checks the next request.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from approvals.models import DecisionOutcome, PostStatus
from people.services import person_deactivate
from policy.services import policy_load_from_file
from redbridge_portal import roles, services
from tests.approvals.factories import submitted_post
from tests.factories import (
    TEST_PASSWORD,
    PolicyAdminFactory,
    SeniorTeamFactory,
    StaffFactory,
    change_password,
)
from tests.own_redis import REDIS_SERVER, OwnRedis, own_redis_fixture  # noqa: F401 (own_redis)
from tests.security.conftest import give_two_factor

pytestmark = pytest.mark.skipif(REDIS_SERVER is None, reason="needs redis-server on this machine")


@pytest.fixture
def redis_cache(own_redis, settings):
    """The portal's cache is this module's Redis, healthy and empty at the start of each test."""
    own_redis.healthy()
    caches = own_redis.portal_settings()["CACHES"]
    assert caches["default"]["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
    settings.CACHES = caches
    settings.TWO_FACTOR_REQUIRED = True
    yield own_redis
    # Leave it answering, so that the cache can be cleared after the test.
    own_redis.healthy()


@dataclass(frozen=True)
class CacheState:
    """What happens to Redis around the change: `before_change` runs after the person has used
    the portal (the cache is warm) and before their access is taken away; `before_next_request`
    after it, before the request that must be refused."""

    name: str
    before_change: Callable[[OwnRedis], None] = lambda server: None
    before_next_request: Callable[[OwnRedis], None] = lambda server: None

    @contextmanager
    def around_change(self, server: OwnRedis):
        self.before_change(server)
        yield
        self.before_next_request(server)


CACHE_STATES = [
    CacheState("healthy"),
    CacheState("stopped", before_change=OwnRedis.kill),
    # Paused during the change and still paused on the next request (a hung Redis host).
    CacheState("paused", before_change=OwnRedis.pause),
    CacheState(
        "paused-then-resumed", before_change=OwnRedis.pause, before_next_request=OwnRedis.resume
    ),
    # A snapshot saved while the person still had access, loaded after the change.
    CacheState(
        "restored-from-old-snapshot",
        before_change=OwnRedis.snapshot,
        before_next_request=OwnRedis.restart,
    ),
]


def signed_in_with_two_factor(client, user, device) -> None:
    """Signed in and verified by the authenticator app, as after entering a code."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def world(db, redis_cache):
    policy_load_from_file()
    author = StaffFactory()
    senior = SeniorTeamFactory()
    give_two_factor(author)
    device = give_two_factor(senior)
    admin = PolicyAdminFactory()
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    return {"author": author, "senior": senior, "device": device, "admin": admin}


def uses_the_portal(client, post, server: OwnRedis) -> None:
    """The senior reads the policy, the queue and a post, filling the cache."""
    assert client.get(reverse("policy:contents")).status_code == 200
    assert client.get(reverse("approvals:queue")).status_code == 200
    assert client.get(reverse("approvals:post_detail", args=[post.pk])).status_code == 200
    assert server.client().dbsize() > 0, "the portal put nothing in this Redis"


def is_sent_to_sign_in(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def approve(client, post):
    return client.post(
        reverse("approvals:post_decide", args=[post.pk]),
        {"outcome": DecisionOutcome.APPROVE, "revision": post.current_revision_id},
    )


@pytest.fixture(params=CACHE_STATES, ids=lambda state: state.name)
def cache_state(request):
    return request.param


@pytest.fixture
def waiting_post(world, redis_cache, client):
    """A post waiting for the senior, who is signed in with two-factor in `client` and has used
    the portal, so that what it caches for them is in the cache."""
    post = submitted_post(world["author"])
    signed_in_with_two_factor(client, world["senior"], world["device"])
    uses_the_portal(client, post, redis_cache)
    return post


def test_a_senior_removed_from_the_senior_team_loses_the_queue_at_once(
    world, redis_cache, cache_state, client, waiting_post
):
    senior = world["senior"]
    with cache_state.around_change(redis_cache):
        senior.groups.remove(Group.objects.get(name=roles.SENIOR_TEAM))

    assert client.get(reverse("approvals:queue")).status_code == 403
    assert approve(client, waiting_post).status_code == 403
    waiting_post.refresh_from_db()
    assert waiting_post.status == PostStatus.SUBMITTED
    # Still signed in and still a member of staff: the policy is theirs to read.
    assert client.get(reverse("policy:contents")).status_code == 200


def test_a_closed_account_is_signed_out_at_once(
    world, redis_cache, cache_state, client, waiting_post
):
    senior = world["senior"]
    with cache_state.around_change(redis_cache):
        person_deactivate(actor=world["admin"], person=senior)

    assert is_sent_to_sign_in(client.get(reverse("approvals:queue")))
    assert is_sent_to_sign_in(approve(client, waiting_post))
    waiting_post.refresh_from_db()
    assert waiting_post.status == PostStatus.SUBMITTED
    # Nor can they sign in again.
    response = client.post(reverse("login"), {"username": senior.email, "password": TEST_PASSWORD})
    assert not is_sent_to_sign_in(response) and response.status_code == 200
    assert is_sent_to_sign_in(client.get(reverse("approvals:queue")))


def test_a_signed_out_session_cannot_be_used_again(
    world, redis_cache, cache_state, client, waiting_post
):
    copied_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    with cache_state.around_change(redis_cache):
        assert is_sent_to_sign_in(client.post(reverse("logout")))

    # The same browser, and anyone who copied the session cookie, must sign in again.
    assert is_sent_to_sign_in(client.get(reverse("approvals:queue")))
    client.cookies[settings.SESSION_COOKIE_NAME] = copied_cookie
    assert is_sent_to_sign_in(client.get(reverse("approvals:queue")))
    assert is_sent_to_sign_in(approve(client, waiting_post))


def test_changing_a_password_signs_out_every_other_session(
    world, redis_cache, cache_state, client, waiting_post
):
    phone = Client()
    signed_in_with_two_factor(phone, world["senior"], world["device"])
    uses_the_portal(phone, waiting_post, redis_cache)

    with cache_state.around_change(redis_cache):
        response = change_password(client, "a-New-passphrase-for-2026")
        assert response.status_code == 302

    # The session that changed it stays signed in; the other (say, a lost phone) does not.
    assert client.get(reverse("approvals:queue")).status_code == 200
    assert is_sent_to_sign_in(phone.get(reverse("approvals:queue")))
    assert is_sent_to_sign_in(approve(phone, waiting_post))


def test_resetting_two_factor_signs_the_person_out_and_asks_for_a_new_app(
    world, redis_cache, cache_state, client, waiting_post
):
    senior = world["senior"]
    with cache_state.around_change(redis_cache):
        services.two_factor_reset(actor=world["admin"], user=senior)

    assert is_sent_to_sign_in(client.get(reverse("approvals:queue")))
    assert is_sent_to_sign_in(approve(client, waiting_post))
    # Signing in again with the password alone leads to setting up a new authenticator app,
    # not to the queue.
    client.post(reverse("login"), {"username": senior.email, "password": TEST_PASSWORD})
    response = client.get(reverse("approvals:queue"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))
