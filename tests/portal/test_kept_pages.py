"""What is kept between requests (redbridge_portal.identity and page_cache) never shows a user
something out of date or someone else's: every change is seen on the very next request."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from approvals import services as approval_services
from approvals.models import DecisionOutcome, PostStatus
from policy.services import policy_load_from_file
from redbridge_portal import checks, roles, services, stamps
from redbridge_portal.models import NotificationKind
from tests.approvals.factories import AccountFactory, submitted_post
from tests.factories import PolicyAdminFactory
from tests.security.conftest import current_code, give_two_factor, sign_in

QUEUE = "/posts/queue/"


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def approved_with(client, post, csrf_token: str) -> bool:
    """Approve `post` through the decision form with this CSRF token; True when it worked."""
    response = client.post(
        reverse("approvals:post_decide", args=[post.pk]),
        {
            "csrfmiddlewaretoken": csrf_token,
            "outcome": DecisionOutcome.APPROVE,
            "comment": "",
            "revision": post.current_revision_id,
        },
    )
    post.refresh_from_db()
    return response.status_code == 302 and post.status == PostStatus.APPROVED


def test_a_new_post_shows_in_the_queue_at_once(senior_client, staff_user):
    account = AccountFactory(name="Main")
    submitted_post(staff_user, account, text="First post")
    assert "First post" in page(senior_client, QUEUE)
    assert "First post" in page(senior_client, QUEUE)  # the kept page
    submitted_post(staff_user, account, text="Second post")
    assert "Second post" in page(senior_client, QUEUE)


def test_a_decision_takes_the_post_off_the_queue_at_once(senior_client, senior_user, staff_user):
    post = submitted_post(staff_user, AccountFactory(), text="Waiting post")
    assert "Waiting post" in page(senior_client, QUEUE)
    approval_services.post_approve(actor=senior_user, post=post)
    assert "Waiting post" not in page(senior_client, QUEUE)


def test_a_kept_page_is_only_ever_shown_to_whoever_it_was_made_for(
    senior_user, second_senior_user, staff_user
):
    submitted_post(staff_user, AccountFactory(), text="Shared post")
    first, second = Client(), Client()
    first.force_login(senior_user)
    second.force_login(second_senior_user)
    assert "Priya Shah" in page(first, QUEUE)
    html = page(second, QUEUE)
    assert "Tom Bennett" in html and "Priya Shah" not in html


def test_losing_a_role_closes_the_queue_on_the_next_request(senior_client, senior_user):
    assert senior_client.get(QUEUE).status_code == 200
    senior_user.groups.remove(Group.objects.get(name=roles.SENIOR_TEAM))
    assert senior_client.get(QUEUE).status_code == 403


def test_gaining_a_role_shows_in_the_menu_on_the_next_request(staff_client, staff_user):
    assert "Senior-team queue" not in page(staff_client, "/policy/")
    roles.assign_role(staff_user, roles.SENIOR_TEAM)
    assert staff_client.get(QUEUE).status_code == 200


def test_a_new_name_shows_on_the_next_request(staff_client, staff_user):
    policy_load_from_file()
    assert "Sam Patel" in page(staff_client, "/policy/")
    staff_user.first_name = "Samira"
    staff_user.save()
    assert "Samira Patel" in page(staff_client, "/policy/")


def test_a_closed_account_is_signed_out_at_once(staff_client, staff_user, policy_admin):
    policy_load_from_file()
    page(staff_client, "/policy/")
    services.user_deactivate(actor=policy_admin, user=staff_user)
    response = staff_client.get("/policy/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_unread_count_follows_new_and_read_notifications(staff_client, staff_user):
    policy_load_from_file()
    badge = re.compile(r"Notifications <span[^>]*>(\d+)<span")
    assert not badge.search(page(staff_client, "/policy/"))
    for n in range(2):
        services.notify(
            recipients=[staff_user],
            kind=NotificationKind.POST_DECIDED,
            subject=f"Decision {n}",
            message="Approved.",
        )
    assert badge.search(page(staff_client, "/policy/")).group(1) == "2"
    services.notifications_mark_read(user=staff_user)
    assert not badge.search(page(staff_client, "/policy/"))


def test_a_kept_page_carries_a_fresh_working_csrf_token(senior_user, staff_user):
    post = submitted_post(staff_user, AccountFactory(), text="Please approve")
    client = Client(enforce_csrf_checks=True)
    client.force_login(senior_user)
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    first = token.findall(page(client, post.get_absolute_url()))
    kept = token.findall(page(client, post.get_absolute_url()))
    assert first and kept and set(kept).isdisjoint(first)  # masked afresh for each response
    assert approved_with(client, post, kept[0])


def test_a_one_off_message_is_shown_once_and_never_kept(staff_client, staff_user):
    post = submitted_post(staff_user, AccountFactory(), text="Mine")
    page(staff_client, post.get_absolute_url())  # a kept copy without the message exists
    response = staff_client.post(
        reverse("approvals:post_comment", args=[post.pk]), {"body": "A note for the reviewer"}
    )
    assert response.status_code == 302
    shown = page(staff_client, post.get_absolute_url())
    assert "A note for the reviewer" in shown
    assert 'role="alert"' in shown or "alert-success" in shown
    again = page(staff_client, post.get_absolute_url())
    assert "A note for the reviewer" in again
    assert "alert-success" not in again


def test_removing_a_device_ends_two_factor_sign_in_at_once(settings, client, senior_user):
    settings.TWO_FACTOR_REQUIRED = True
    device = give_two_factor(senior_user)
    sign_in(client, senior_user)
    client.post(reverse("two_factor_verify"), {"token": current_code(device), "next": QUEUE})
    assert client.get(QUEUE).status_code == 200
    assert client.get(QUEUE).status_code == 200  # the device is kept, and still checked
    # Deleted in the admin: the session's device is gone, so is its second factor.
    TOTPDevice.objects.filter(user=senior_user).delete()
    StaticDevice.objects.filter(user=senior_user).delete()
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))


def test_a_change_made_in_another_process_is_seen(settings, tmp_path):
    """As when the Celery worker records a notification: the web worker's next request sees
    new stamps through the shared cache (here the file cache `make run` uses)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    before = stamps.current()
    env = {
        **os.environ,
        "CACHE_URL": f"filecache://{tmp_path / 'cache'}",
        "DJANGO_SETTINGS_MODULE": "redbridge_portal.settings",
    }
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); "
            "from redbridge_portal import stamps; stamps.changed('notifications')",
        ],
        env=env,
        check=True,
        cwd=settings.BASE_DIR,
    )
    after = stamps.current()
    assert after["notifications"] != before["notifications"]
    assert after["content"] == before["content"]


@pytest.mark.parametrize(
    ("backend", "warned"),
    [
        ("django.core.cache.backends.locmem.LocMemCache", True),
        ("django.core.cache.backends.filebased.FileBasedCache", False),
        ("django_redis.cache.RedisCache", False),
    ],
)
def test_a_deployment_is_warned_off_a_cache_each_process_keeps_alone(settings, backend, warned):
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": "/tmp/unused"}}
    assert [w.id for w in checks.shared_cache(None)] == (["redbridge.W001"] if warned else [])


def test_a_new_pre_screen_term_shows_on_a_kept_post_page(client, senior_user, staff_user):
    from policy.screening import screening_lists, screening_lists_replace

    admin = PolicyAdminFactory()
    post = submitted_post(staff_user, AccountFactory(), text="Our Fortnite club meets on Friday")
    client.force_login(senior_user)
    assert "Fortnite" in page(client, post.get_absolute_url())
    before = page(client, post.get_absolute_url())
    terms, sites = screening_lists()
    # Only added (bulk_create, no signal): the usual sites stay as they are.
    screening_lists_replace(actor=admin, terms=[*terms, "fortnite"], domains=list(sites))
    after = page(client, post.get_absolute_url())
    assert after != before
    assert after.count("Fortnite") > before.count("Fortnite")


def test_other_peoples_notifications_leave_a_kept_page_alone(
    senior_client, staff_user, other_staff_user, django_assert_num_queries
):
    submitted_post(staff_user, AccountFactory(), text="Kept post")
    page(senior_client, QUEUE)
    services.notify(
        recipients=[other_staff_user],
        kind=NotificationKind.POST_DECIDED,
        subject="Someone else's decision",
        message="Approved.",
    )
    # Only the viewer's own unread count is read again; the queue is not rendered again.
    with django_assert_num_queries(1):
        assert "Kept post" in page(senior_client, QUEUE)


# --- Served before the rest of the stack (page_cache.KeptPageMiddleware) ---------------------


def test_a_kept_page_has_the_headers_and_body_of_the_rendered_one(staff_client):
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    rendered = staff_client.get("/policy/")
    kept = staff_client.get("/policy/")
    assert rendered.status_code == kept.status_code == 200
    for header in (
        "Content-Type",
        "Content-Security-Policy",
        "X-Frame-Options",
        "Cache-Control",
        "X-Content-Type-Options",
        "Referrer-Policy",
    ):
        assert kept[header] == rendered[header], header
    assert "private" in kept["Cache-Control"]
    assert "Cookie" in kept["Vary"]
    assert int(kept["Content-Length"]) == len(kept.content)
    assert token.sub(b"", kept.content) == token.sub(b"", rendered.content)


def test_a_clause_kept_for_one_address_never_shows_another_addresss_permalink(staff_client):
    policy_load_from_file()
    url = reverse("policy:clause", args=["4.4"])
    assert "http://testserver/policy/clause/4.4/" in page(staff_client, url)
    response = staff_client.get(url, secure=True)  # the same page, through HTTPS
    assert "https://testserver/policy/clause/4.4/" in response.content.decode()


def test_a_kept_page_sets_a_working_csrf_cookie_for_a_browser_without_one(senior_user, staff_user):
    post = submitted_post(staff_user, AccountFactory(), text="Please approve")
    client = Client(enforce_csrf_checks=True)
    client.force_login(senior_user)
    page(client, post.get_absolute_url())  # kept
    del client.cookies["csrftoken"]
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    assert response.cookies["csrftoken"].value  # a new secret, sent with the kept page
    kept = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    assert approved_with(client, post, kept.group(1))


def test_a_signed_out_session_is_never_served_a_kept_page(staff_user):
    first = Client()
    first.force_login(staff_user)
    page(first, "/policy/")
    copied = Client()  # the same session in another tab, or a cookie copied by someone else
    copied.cookies["sessionid"] = first.cookies["sessionid"].value
    page(copied, "/policy/")
    first.post(reverse("logout"))
    response = copied.get("/policy/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_kept_page_keeps_a_working_session_and_its_csrf_cookie_alive(
    staff_client, staff_user, settings
):
    page(staff_client, "/policy/")
    page(staff_client, "/policy/")  # kept; the session was refreshed moments ago: no write
    quiet = staff_client.get("/policy/")
    assert "sessionid" not in quiet.cookies
    assert "csrftoken" not in quiet.cookies
    session = staff_client.session
    session["_refreshed_at"] = 0  # last refreshed long ago
    session.save()
    response = staff_client.get("/policy/")
    assert response.status_code == 200
    # Saved with a fresh expiry and sent again, and the CSRF cookie renewed with it.
    assert response.cookies["sessionid"].value
    assert response.cookies["csrftoken"].value == staff_client.cookies["csrftoken"].value
    assert staff_client.session["_refreshed_at"] > 0


def test_a_kept_page_is_rendered_again_when_its_time_slot_ends(
    senior_client, staff_user, monkeypatch
):
    """ "Waited 3 school hours" moves on: no page is kept past its minute."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from redbridge_portal import page_cache

    submitted_post(staff_user, AccountFactory(), text="Waiting")
    page(senior_client, QUEUE)
    with CaptureQueriesContext(connection) as kept:
        page(senior_client, QUEUE)
    later = page_cache.now() + 61
    monkeypatch.setattr(page_cache, "now", lambda: later)
    with CaptureQueriesContext(connection) as rendered:
        assert "Waiting" in page(senior_client, QUEUE)
    assert len(kept) == 0
    assert len(rendered) > 0


def test_a_kept_page_is_masked_with_a_fresh_token_every_time():
    from django.middleware.csrf import _unmask_cipher_token
    from django.test import RequestFactory

    from redbridge_portal.page_cache import csrf_token

    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = "s3cretS3CRETs3cretS3CRETs3cret00"
    tokens = [csrf_token(request).decode() for _ in range(500)]
    assert len(set(tokens)) == 500
    assert all(len(t) == 64 and t.isascii() and t.isalnum() for t in tokens)
    assert {_unmask_cipher_token(t) for t in tokens} == {request.META["CSRF_COOKIE"]}
    assert len({t[0] for t in tokens}) > 40  # the mask's characters vary, not a few of them


@pytest.mark.parametrize(
    ("order", "error"),
    [
        (["context", "sessions", "kept", "auth"], False),
        (["context", "kept", "sessions", "auth"], True),
        (["context", "sessions", "auth", "kept"], True),
        (["sessions", "kept", "context", "auth"], True),
        (["context", "sessions", "auth"], False),
    ],
)
def test_the_kept_page_middleware_must_sit_after_sessions_and_before_authentication(
    settings, order, error
):
    names = {
        "context": checks.REQUEST_CONTEXT,
        "sessions": checks.SESSIONS,
        "kept": checks.KEPT_PAGES,
        "auth": checks.AUTHENTICATION,
    }
    settings.MIDDLEWARE = [names[name] for name in order]
    found = [e.id for e in checks.kept_page_middleware_order(None)]
    assert found == (["redbridge.E001"] if error else [])


def test_the_content_stamp_is_renewed_after_the_cached_filter_choices_are_dropped(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    """A page rendered between the commit and the drop of the cached filter choices shows the
    old ones: the stamp renewed after the drop means it is never found again."""
    from django.core.cache import cache
    from django.db import transaction

    from approvals.selectors import FILTER_OPTIONS_KEY

    stamp_when_dropped = {}
    real_delete = cache.delete

    def delete(key, *args, **kwargs):
        stamp_when_dropped[key] = stamps.current()["content"]
        return real_delete(key, *args, **kwargs)

    monkeypatch.setattr(cache, "delete", delete)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            AccountFactory(name="New account")
    assert stamps.current()["content"] != stamp_when_dropped[FILTER_OPTIONS_KEY]


def test_old_pre_screen_lists_cached_late_are_never_used(db, django_capture_on_commit_callbacks):
    """A request that read the lists just before a change commits, and caches them just
    after, files them under the old content stamp: everyone screens with the new lists."""
    from django.core.cache import cache

    from policy import screening

    old = screening.screening_lists()
    key_before = screening._cache_key()
    with django_capture_on_commit_callbacks(execute=True):
        screening.screening_lists_replace(
            actor=PolicyAdminFactory(), terms=[*old[0], "kingfisher"], domains=old[1]
        )
    cache.set(key_before, old)  # the slow request's late write
    assert "kingfisher" in screening.screening_lists()[0]
