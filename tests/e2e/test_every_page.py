"""Every page of the portal, as every role sees it, at 390, 768, 1280 and 1920 px wide.

The pages come from the URLconf (tests/urlwalk.py), so a page added later is either checked here
or listed in NOT_PAGES with the reason: a new page cannot slip past. Each (page, role) is loaded
once; the same page is then resized to each width and checked there:

- the HTML as sent is valid (html5lib, the standard's parser: no form inside a form, no stray
  tags), with no duplicate id, no label or ARIA reference to a missing id and no invalid
  `<time datetime>` (tests/e2e/markup.py);
- nothing is wider than the window (no sideways scrolling);
- axe-core finds no WCAG 2.2 A/AA violation;
- a full-page screenshot is kept: var/screenshots/every-page-<role>-<page>-<width>.png.

The people have the longest realistic names and email addresses, which is what breaks a
navigation bar or a table on a phone.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.module_loading import import_string

from approvals import services as approvals_services
from approvals.images import clean_uploaded_image
from approvals.models import MediaSource, Platform
from concerns.models import ConcernUrgency
from concerns.services import concern_raise
from policy import services as policy_services
from policy.models import Clause
from policy.questions import question_ask
from redbridge_portal import services
from tests.approvals.factories import (
    AccountFactory,
    approved_post,
    content,
    image_bytes,
    proposed_campaign,
    published_post,
    submitted_post,
)
from tests.e2e.helpers import SCREENSHOT_DIR, problems_at_size
from tests.e2e.markup import markup_problems
from tests.factories import PolicyAdminFactory, SeniorTeamFactory, StaffFactory
from tests.urlwalk import all_routes

pytestmark = [pytest.mark.e2e]

WIDTHS = (390, 768, 1280, 1920)
HEIGHT = 900

# Routes that are not pages a person opens: actions (POST only), downloads, redirects, the
# Django admin (a known gap in the accessibility statement, checked by journey 4) and pages
# that only exist inside a flow (a password-reset link from an email, two-factor steps that
# need a device).
NOT_PAGES = {
    "logout": "an action (POST)",
    "password_reset_confirm": "opened from an emailed link with a one-time token",
    "two_factor_verify": "needs a two-factor device (tests/e2e/test_two_factor_sign_in.py)",
    "two_factor_backup_codes": "shown once, straight after setting up two-factor sign-in",
    "notifications_mark_read": "an action (POST)",
    "notification_open": "a redirect to what the notification is about",
    "school_closure_remove": "an action (POST)",
    "audit_log_csv": "a download",
    "person_export": "a download",
    "person_deactivate": "an action (POST)",
    "person_roles": "an action (POST)",
    "person_reactivate": "an action (POST)",
    "people_import_preview": "shown after uploading a staff list (tests/people)",
    "openid_connect_login": "single sign-on with the school's provider, off in tests",
    "openid_connect_callback": "single sign-on with the school's provider, off in tests",
    "approvals:account_retire": "an action (POST)",
    "approvals:account_reinstate": "an action (POST)",
    "person_two_factor_reset": "an action (POST)",
    "healthz": "for the load balancer, not a page",
    "policy:acknowledge": "an action (POST)",
    "policy:acknowledgements_csv": "a download",
    "policy:review_start": "an action (POST)",
    "policy:review_discard": "an action (POST)",
    "policy:question_answer": "an action (POST)",
    "policy:question_publish": "an action (POST)",
    "policy:review_clause_save": "an action (POST)",
    "policy:review_clause_diff": "a fragment the clause editor asks for",
    "policy:review_clause_move": "an action (POST)",
    "policy:review_clause_remove": "an action (POST)",
    "policy:review_clause_renumber": "an action (POST)",
    "policy:review_item_add": "an action (POST)",
    "policy:review_clause_add": "an action (POST)",
    "policy:review_item": "an action (POST)",
    "policy:review_principle": "edited from the review editor (tests/policy)",
    "policy:review_guideline": "edited from the review editor (tests/policy)",
    "policy:search_synonym_remove": "an action (POST)",
    "policy:review_send": "an action (POST)",
    "policy:review_reopen": "an action (POST)",
    "policy:acknowledgements_remind": "an action (POST)",
    "approvals:prescreen": "a fragment the post form asks for (POST)",
    "approvals:post_submit": "an action (POST)",
    "approvals:post_withdraw": "an action (POST)",
    "approvals:post_decide": "an action (POST)",
    "approvals:post_comment": "an action (POST)",
    "approvals:post_new_draft_from": "an action (POST)",
    "approvals:campaign_decide": "an action (POST)",
    "approvals:published_log_csv": "a download",
    "approvals:media": "an image",
    "approvals:pending_image": "an image",
    "concerns:take": "an action (POST)",
    "concerns:action": "an action (POST)",
    "concerns:resolve": "an action (POST)",
    "concerns:screenshot": "an image",
}
# Pages only a signed-out visitor sees (signed-in people are sent on or shown the same page).
SIGNED_OUT_PAGES = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_complete",
}

LONG_DOMAIN = "redbridge-community-school-and-sixth-form.example.org.uk"


def _person(factory, first, last):
    email = f"{first}.{last}".lower().replace(" ", "").replace("'", "") + "@" + LONG_DOMAIN
    return factory(first_name=first, last_name=last, email=email)


def _image(alt="Year 8 pupils planting oak saplings beside the pond on the school field"):
    upload = SimpleUploadedFile("photo.jpg", image_bytes("JPEG"), content_type="image/jpeg")
    return approvals_services.NewMedia(
        image=clean_uploaded_image(upload),
        alt_text=alt,
        source=MediaSource.PERMISSION,
        permission_from="Mrs Annabel Featherstonehaugh-Montgomery, Head of Geography",
        pupil_consent_confirmed=True,
    )


def build_world():
    """Every kind of record a page can show, with long names and text."""
    author = _person(StaffFactory, "Alexandra-Louise", "Montgomery-Featherstonehaugh")
    senior = _person(SeniorTeamFactory, "Christopher-James", "Worthington-Smythe")
    second_senior = _person(SeniorTeamFactory, "Oluwaseun", "Adebayo-Richardson")
    policy_admin = _person(PolicyAdminFactory, "Maximilian", "Fitzgerald-Abernethy")
    account_manager = _person(StaffFactory, "Bartholomew", "Ravenscroft-Whitfield")

    current, _ = policy_services.policy_load_from_file()
    cache.clear()
    draft = policy_services.policy_review_start(actor=policy_admin)
    cache.clear()
    draft_clause = Clause.objects.filter(section__version=draft).order_by("pk").first()
    clause = Clause.objects.filter(section__version=current).order_by("pk").first()

    account = AccountFactory(
        name="Redbridge Community School Sixth Form", platform=Platform.X, handle="@RedbridgeSixth"
    )
    account.managers.add(account_manager)
    long_text = (
        "Congratulations to our Year 10 geographers, who spent the whole of Thursday measuring "
        "river flow at https://www.redbridge-community-school-and-sixth-form.example.org.uk/"
        "news/2026/geography-fieldwork-on-the-river-roding"
    )
    draft, _ = approvals_services.post_create(
        actor=author, content=content(account, text=long_text), new_media=[_image()]
    )
    waiting = submitted_post(author, account, text="Sports day is on Friday. Bring a water bottle.")
    own_waiting = submitted_post(senior, account, text="The senior team's own post, waiting.")
    changes = submitted_post(author, account, text="Our choir sang at the town hall tonight.")
    approvals_services.post_request_changes(
        actor=senior, post=changes, comment="Please name the choir leader.", clauses=["4.4"]
    )
    approvals_services.post_comment(actor=author, post=changes, body="Done, thank you.")
    approved = approved_post(author, senior, account, text="Open evening is next Tuesday at 6pm.")
    published = published_post(
        author,
        second_senior,
        account,
        text="Year 11 results day.",
        url="https://x.com/RedbridgeSixth/status/1234567890123456789",
    )
    campaign = proposed_campaign(
        author, title="Celebrating a hundred years of Redbridge Community School and Sixth Form"
    )
    concern, _ = concern_raise(
        actor=author,
        description="A parent's public post names a pupil and a member of staff.",
        urgency=ConcernUrgency.TODAY,
        link="https://www.facebook.com/groups/redbridge-parents/posts/9876543210",
    )
    question, _ = question_ask(
        actor=author, text="May I share the school's posts on my own Instagram account?"
    )
    notification = services.notify(
        recipients=[author, senior, policy_admin],
        kind="post_decided",
        subject="Your post for Redbridge Community School Sixth Form: approved",
        message="Christopher-James Worthington-Smythe approved your post.",
        url=approved.get_absolute_url(),
    )[0]
    today = timezone.localdate()
    services.school_closure_add(
        actor=policy_admin,
        name="Autumn half term",
        first_day=today + datetime.timedelta(days=30),
        last_day=today + datetime.timedelta(days=34),
    )
    people = {
        "staff": author,
        "account_manager": account_manager,
        "senior": senior,
        "policy_admin": policy_admin,
    }
    values = {
        "pk": {
            "approvals:post_detail": waiting.pk,
            "approvals:post_edit": draft.pk,
            "approvals:post_mark_published": approved.pk,
            "approvals:post_correct_publication": published.pk,
            "approvals:account_edit": account.pk,
            "policy:review_clause": draft_clause.pk,
            "approvals:campaign_detail": campaign.pk,
            "concerns:detail": concern.pk,
            "policy:question_detail": question.pk,
            "person_detail": author.pk,
            "person_anonymise": author.pk,
            "notification_open": notification.pk,
        },
        "number": clause.number,
        "version": current.number,
    }
    extra = {
        # More than one page per route where the states differ a lot.
        "approvals:post_detail": [draft.pk, changes.pk, approved.pk, published.pk, own_waiting.pk],
    }
    return people, values, extra


def _url_for(route, values, pk=None):
    sample = {"number": values["number"], "version": values["version"]}
    if "<int:pk>" in route.route:
        sample["pk"] = pk if pk is not None else values["pk"].get(route.name)
        if sample["pk"] is None:
            raise AssertionError(
                f"tests/e2e/test_every_page.py has no record for {route.name}: add one to "
                "build_world() or list the route in NOT_PAGES with the reason"
            )
    return route.sample_url(**sample)


def _pages(values, extra):
    pages = []
    for route in all_routes():
        if route.name.startswith("admin") or route.name in NOT_PAGES:
            continue
        pages.append((route.name, _url_for(route, values)))
        for pk in extra.get(route.name, []):
            pages.append((f"{route.name}-{pk}", _url_for(route, values, pk)))
    return pages


def _signed_in_context(browser, base_url, user):
    """A browser context carrying a session for `user`, made the way Django's test client's
    force_login makes one (the sign-in page itself is checked below, signed out)."""
    engine = import_string(settings.SESSION_ENGINE)
    session = engine.SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = next(
        path
        for path in settings.AUTHENTICATION_BACKENDS
        if hasattr(import_string(path), "get_user")
    )
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    context = browser.new_context(
        viewport={"width": WIDTHS[0], "height": HEIGHT}, base_url=base_url, locale="en-GB"
    )
    context.set_default_timeout(15_000)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": base_url}]
    )
    return context


class Checker:
    def __init__(self):
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.problems: list[str] = []
        self.checked = 0
        self.error_pages_seen: set[int] = set()

    def check(self, page, role: str, name: str, url: str) -> None:
        response = page.goto(url)
        where = f"{role} {url}"
        status = response.status if response else 0
        if status >= 500 or response is None:
            self.problems.append(f"{where}: HTTP {status}")
            return
        content_type = response.headers.get("content-type", "")
        if "text/html" not in content_type:
            return
        if status >= 400:
            # A role's 403 or 404 is the same error page each time: check each kind once.
            if status in self.error_pages_seen:
                return
            self.error_pages_seen.add(status)
        for problem in markup_problems(response.text()):
            self.problems.append(f"{where}: {problem}")
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        for width in WIDTHS:
            found = problems_at_size(page, {"width": width, "height": HEIGHT}, axe=self.axe)
            self.problems.extend(f"{where} at {width} px: {p}" for p in found)
            page.screenshot(
                path=SCREENSHOT_DIR / f"every-page-{role}-{slug}-{width}.png", full_page=True
            )
        self.checked += 1


def test_every_page_of_every_role_at_every_width(browser, live_server, settings):
    settings.TWO_FACTOR_REQUIRED = False
    from django.apps import apps as django_apps

    from redbridge_portal.roles import sync_role_groups

    sync_role_groups(django_apps)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOT_DIR.glob("every-page-*.png"):
        old.unlink()

    people, values, extra = build_world()
    pages = _pages(values, extra)
    checker = Checker()

    signed_out = browser.new_context(
        viewport={"width": WIDTHS[0], "height": HEIGHT}, base_url=live_server.url, locale="en-GB"
    )
    try:
        page = signed_out.new_page()
        for name, url in pages:
            if name in SIGNED_OUT_PAGES or name == "accessibility":
                checker.check(page, "signed-out", name, url)
    finally:
        signed_out.close()

    for role, user in people.items():
        context = _signed_in_context(browser, live_server.url, user)
        try:
            page = context.new_page()
            for name, url in pages:
                if name in SIGNED_OUT_PAGES:
                    continue
                checker.check(page, role, name, url)
        finally:
            context.close()

    assert checker.checked > 4 * 30, f"only {checker.checked} pages were checked"
    assert not checker.problems, f"{len(checker.problems)} problem(s):\n" + "\n".join(
        f"* {p}" for p in checker.problems
    )
