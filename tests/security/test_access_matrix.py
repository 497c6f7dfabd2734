"""Who may open every page and send every form: every URL pattern, for an anonymous visitor,
staff member A (the author of the posts in the world), staff member B (not the author), a member
of the senior team and a policy admin, by GET and by POST.

A route with no row in EXPECTED fails the test, so no page can be added without someone deciding
who may use it. Object-level rules are rows too: B gets 404 for A's draft, the senior team get
404 for a draft never sent to them, only the senior team reach the queue.

Outcomes: "200", "400", "403", "404", "405"; "login" is a redirect to the sign-in page; "302"
any other redirect (a form's "done" or a message); "admin-login" the admin site's refusal of
someone signed in without admin access.

Set ACCESS_MATRIX_DUMP=1 to print the outcomes observed, in the table's format.
"""

import copy
import os
from collections import defaultdict

import pytest
from django.core.cache import cache
from django.db import transaction

from policy.models import ListItem, PolicyVersion
from tests.security.world import ROLES, World, signed_in_clients
from tests.urlwalk import all_routes


def _draft_parts(draft) -> dict:
    """The review editor's routes, tried with a part of the world's draft version."""
    if not isinstance(draft, PolicyVersion):  # only the route names matter
        draft_clause = section = item = principle = guideline = draft
    else:
        draft_clause = draft.clauses.order_by("pk").first()
        section = draft.sections.order_by("pk").first()
        item = ListItem.objects.filter(clause__version=draft).order_by("pk").first()
        principle = draft.principles.order_by("pk").first()
        guideline = draft.guidelines.order_by("pk").first()
    by_clause = (
        "review_clause review_clause_save review_clause_diff review_clause_move "
        "review_clause_remove review_clause_renumber review_item_add"
    ).split()
    parts = {f"policy:{name}": {"pk": draft_clause.pk} for name in by_clause}
    parts["policy:review_clause_add"] = {"pk": section.pk}
    parts["policy:review_item"] = {"pk": item.pk}
    parts["policy:review_principle"] = {"pk": principle.pk}
    parts["policy:review_guideline"] = {"pk": guideline.pk}
    return parts


# Which object each route is tried with. Routes not listed take no arguments. Several
# variants give a row each ("approvals:post_detail[draft]").
def _variants(world):
    o = world.objects
    post_variants = {
        "draft": {"pk": o["draft"].pk},
        "submitted": {"pk": o["submitted"].pk},
        "published": {"pk": o["published"].pk},
    }
    draft_part = _draft_parts(o["draft_version"])
    return {
        **{name: {"": kwargs} for name, kwargs in draft_part.items()},
        "password_reset_confirm": {"": {"uidb64": "MQ", "token": "not-a-token"}},
        "notification_open": {"": {"pk": o["notification"].pk}},
        "school_closure_remove": {"": {"pk": o["closure"].pk}},
        "person_detail": {"": {"pk": o["person"].pk}},
        "person_export": {"": {"pk": o["person"].pk}},
        "person_anonymise": {"": {"pk": o["person"].pk}},
        "person_deactivate": {"": {"pk": o["person"].pk}},
        "person_two_factor_reset": {"": {"pk": o["person"].pk}},
        "person_roles": {"": {"pk": o["person"].pk}},
        "person_reactivate": {"": {"pk": o["person"].pk}},
        "people_import_preview": {"": {"pk": o["staff_import"].pk}},
        "approvals:account_edit": {"": {"pk": o["account"].pk}},
        "approvals:account_retire": {"": {"pk": o["account"].pk}},
        "approvals:account_reinstate": {"": {"pk": o["account"].pk}},
        "openid_connect_login": {"": {"provider_id": "school"}},
        "openid_connect_callback": {"": {"provider_id": "school"}},
        "policy:clause": {"": {"number": o["clause"].number}},
        "policy:version": {
            "current": {"version": o["current_version"].number},
            "draft": {"version": o["draft_version"].number},
        },
        "policy:version_clause": {
            "current": {"version": o["current_version"].number, "number": o["clause"].number},
            "draft": {"version": o["draft_version"].number, "number": o["clause"].number},
        },
        "approvals:post_detail": post_variants,
        "approvals:post_edit": post_variants,
        "approvals:post_submit": post_variants,
        "approvals:post_withdraw": post_variants,
        "approvals:post_decide": post_variants,
        "approvals:post_comment": post_variants,
        "approvals:post_mark_published": post_variants,
        "approvals:post_new_draft_from": post_variants,
        "approvals:post_correct_publication": post_variants,
        "approvals:campaign_detail": {"": {"pk": o["campaign"].pk}},
        "approvals:campaign_decide": {"": {"pk": o["campaign"].pk}},
        "approvals:pending_image": {"": {"pk": o["pending_image"].pk}},
        "approvals:media": {
            "draft": {"pk": o["draft_media"].pk},
            "submitted": {"pk": o["submitted_media"].pk},
        },
    }


#                                  anonymous author other senior policy
EXPECTED = {
    # --- Signing in and accounts -----------------------------------------------------------
    "home": ("login 200 200 200 200", "login 405 405 405 405"),
    "login": ("200 302 302 302 302", "200 302 302 302 302"),
    "logout": ("login 405 405 405 405", "login login login login login"),
    "password_change": ("login 200 200 200 200", "login 200 200 200 200"),
    "password_change_done": ("login 200 200 200 200", "login 405 405 405 405"),
    "password_reset": ("200 200 200 200 200", "200 200 200 200 200"),
    "password_reset_done": ("200 200 200 200 200", "405 405 405 405 405"),
    "password_reset_confirm": ("200 200 200 200 200", "200 200 200 200 200"),
    "password_reset_complete": ("200 200 200 200 200", "405 405 405 405 405"),
    "account_profile": ("login 200 200 200 200", "login 405 405 405 405"),
    "two_factor_setup": ("login 403 403 200 200", "login 403 403 200 200"),
    "two_factor_verify": ("login 302 302 302 302", "login 302 302 302 302"),
    "two_factor_backup_codes": ("login 403 403 302 302", "login 403 403 302 302"),
    # --- Notifications ----------------------------------------------------------------------
    "notifications": ("login 200 200 200 200", "login 405 405 405 405"),
    "notifications_mark_read": ("login 405 405 405 405", "login 302 302 302 302"),
    "notification_open": ("login 302 404 404 404", "login 405 405 405 405"),
    "notification_settings": ("login 200 200 200 200", "login 302 302 302 302"),
    # --- Policy admins' own pages -----------------------------------------------------------
    "school_calendar": ("login 403 403 403 200", "login 403 403 403 200"),
    "school_closure_remove": ("login 405 405 405 405", "login 403 403 403 302"),
    "audit_log": ("login 403 403 403 200", "login 403 403 403 405"),
    "audit_log_csv": ("login 403 403 403 200", "login 403 403 403 405"),
    "people": ("login 403 403 403 200", "login 403 403 403 405"),
    "person_detail": ("login 403 403 403 200", "login 403 403 403 405"),
    "person_export": ("login 403 403 403 405", "login 403 403 403 200"),
    "person_anonymise": ("login 403 403 403 200", "login 403 403 403 200"),
    "person_deactivate": ("login 403 403 403 405", "login 403 403 403 302"),
    "person_two_factor_reset": ("login 403 403 403 405", "login 403 403 403 302"),
    "person_add": ("login 403 403 403 200", "login 403 403 403 200"),
    "person_roles": ("login 403 403 403 405", "login 403 403 403 302"),
    "person_reactivate": ("login 403 403 403 405", "login 403 403 403 302"),
    "people_import": ("login 403 403 403 200", "login 403 403 403 200"),
    # Only the policy admin who uploaded the file sees its preview and confirms it.
    "people_import_preview": ("login 403 403 403 200", "login 403 403 403 302"),
    # --- Signing in with the school account (allauth's handshake). No provider is set up in
    # this world, so there is nothing to start or finish.
    "microsoft_login": ("404 404 404 404 404", "404 404 404 404 404"),
    "microsoft_callback": ("404 404 404 404 404", "404 404 404 404 404"),
    "google_login": ("404 404 404 404 404", "404 404 404 404 404"),
    "google_callback": ("404 404 404 404 404", "404 404 404 404 404"),
    "openid_connect_login": ("404 404 404 404 404", "404 404 404 404 404"),
    "openid_connect_callback": ("404 404 404 404 404", "404 404 404 404 404"),
    # --- Open to everyone -------------------------------------------------------------------
    "accessibility": ("200 200 200 200 200", "405 405 405 405 405"),
    "healthz": ("200 200 200 200 200", "405 405 405 405 405"),
    "admin/login/": ("login 403 403 403 403", "login 403 403 403 403"),
    # --- The policy -------------------------------------------------------------------------
    "policy:contents": ("login 200 200 200 200", "login 405 405 405 405"),
    "policy:clause": ("login 200 200 200 200", "login 405 405 405 405"),
    "policy:version[current]": ("login 200 200 200 200", "login 405 405 405 405"),
    # The senior team read the draft they are asked to sign off.
    "policy:version[draft]": ("login 404 404 200 200", "login 405 405 405 405"),
    "policy:version_clause[current]": ("login 200 200 200 200", "login 405 405 405 405"),
    "policy:version_clause[draft]": ("login 404 404 200 200", "login 405 405 405 405"),
    "policy:search": ("login 200 200 200 200", "login 405 405 405 405"),
    "policy:changes": ("login 200 200 200 200", "login 405 405 405 405"),
    "policy:acknowledge": ("login 405 405 405 405", "login 302 302 302 302"),
    "policy:acknowledgements": ("login 403 403 403 200", "login 403 403 403 405"),
    "policy:acknowledgements_csv": ("login 403 403 403 200", "login 403 403 403 405"),
    "policy:review": ("login 403 403 403 200", "login 403 403 403 405"),
    "policy:review_start": ("login 403 403 403 405", "login 403 403 403 302"),
    "policy:review_publish": ("login 403 403 403 200", "login 403 403 403 400"),
    "policy:review_discard": ("login 403 403 403 405", "login 403 403 403 302"),
    # The review editor and the sign-off: policy admins edit; the senior team signs off.
    "policy:review_edit": ("login 403 403 403 200", "login 405 405 405 405"),
    "policy:review_changes": ("login 403 403 403 200", "login 405 405 405 405"),
    "policy:review_summary": ("login 403 403 403 200", "login 403 403 403 302"),
    "policy:review_send": ("login 405 405 405 405", "login 403 403 403 302"),
    "policy:review_sign_off": ("login 403 403 200 200", "login 403 403 302 302"),
    "policy:review_reopen": ("login 405 405 405 405", "login 403 403 403 302"),
    "policy:review_clause": ("login 403 403 403 200", "login 405 405 405 405"),
    "policy:review_clause_save": ("login 405 405 405 405", "login 403 403 403 400"),
    "policy:review_clause_diff": ("login 405 405 405 405", "login 403 403 403 200"),
    "policy:review_clause_move": ("login 405 405 405 405", "login 403 403 403 302"),
    "policy:review_clause_remove": ("login 405 405 405 405", "login 403 403 403 302"),
    "policy:review_clause_renumber": ("login 403 403 403 200", "login 403 403 403 400"),
    "policy:review_clause_add": ("login 403 403 403 200", "login 403 403 403 400"),
    "policy:review_item_add": ("login 405 405 405 405", "login 403 403 403 400"),
    "policy:review_item": ("login 405 405 405 405", "login 403 403 403 400"),
    "policy:review_principle": ("login 403 403 403 200", "login 403 403 403 400"),
    "policy:review_guideline": ("login 403 403 403 200", "login 403 403 403 400"),
    "policy:search_synonyms": ("login 403 403 403 200", "login 403 403 403 400"),
    "policy:search_synonym_remove": ("login 405 405 405 405", "login 403 403 403 302"),
    "policy:acknowledgements_remind": ("login 403 403 403 405", "login 403 403 403 302"),
    "policy:screening_lists": ("login 403 403 403 200", "login 403 403 403 302"),
    # Questions: the sample id 1 does not exist here, so 404 for everyone signed in
    # (tests/policy/test_questions.py checks the asker, the senior team and others).
    "policy:question_list": ("login 200 200 200 200", "login 405 405 405 405"),
    "policy:question_create": ("login 200 200 200 200", "login 400 400 400 400"),
    "policy:question_detail": ("login 404 404 404 404", "login 405 405 405 405"),
    "policy:question_answer": ("login 405 405 405 405", "login 404 404 404 404"),
    "policy:question_publish": ("login 405 405 405 405", "login 404 404 404 404"),
    "policy:faq": ("login 200 200 200 200", "login 405 405 405 405"),
    "policy:personal_use": ("login 200 200 200 200", "login 405 405 405 405"),
    # --- Posts: A's draft (never sent), A's submitted post, A's published post --------------
    "approvals:my_posts": ("login 200 200 200 200", "login 405 405 405 405"),
    "approvals:post_create": ("login 200 200 200 200", "login 200 200 200 200"),
    "approvals:post_detail[draft]": ("login 200 404 404 404", "login 200 404 404 404"),
    "approvals:post_detail[submitted]": ("login 200 404 200 404", "login 200 404 200 404"),
    "approvals:post_detail[published]": ("login 200 200 200 200", "login 200 200 200 200"),
    "approvals:post_edit[draft]": ("login 200 404 404 404", "login 200 404 404 404"),
    "approvals:post_edit[submitted]": ("login 200 404 404 404", "login 200 404 404 404"),
    "approvals:post_edit[published]": ("login 302 404 404 404", "login 302 404 404 404"),
    "approvals:post_submit[draft]": ("login 405 405 405 405", "login 400 404 404 404"),
    "approvals:post_submit[submitted]": ("login 405 405 405 405", "login 400 404 404 404"),
    "approvals:post_submit[published]": ("login 405 405 405 405", "login 400 404 404 404"),
    "approvals:post_withdraw[draft]": ("login 405 405 405 405", "login 302 404 404 404"),
    "approvals:post_withdraw[submitted]": ("login 405 405 405 405", "login 302 404 404 404"),
    "approvals:post_withdraw[published]": ("login 405 405 405 405", "login 302 404 404 404"),
    "approvals:post_decide[draft]": ("login 405 405 405 405", "login 403 403 404 403"),
    "approvals:post_decide[submitted]": ("login 405 405 405 405", "login 403 403 400 403"),
    "approvals:post_decide[published]": ("login 405 405 405 405", "login 403 403 400 403"),
    "approvals:post_comment[draft]": ("login 405 405 405 405", "login 400 404 404 404"),
    "approvals:post_comment[submitted]": ("login 405 405 405 405", "login 400 404 400 404"),
    "approvals:post_comment[published]": ("login 405 405 405 405", "login 400 400 400 400"),
    "approvals:post_mark_published[draft]": ("login 302 404 404 404", "login 302 404 404 404"),
    "approvals:post_mark_published[submitted]": (
        "login 302 404 302 404",
        "login 302 404 302 404",
    ),
    "approvals:post_mark_published[published]": (
        "login 302 404 302 404",
        "login 302 404 302 404",
    ),
    "approvals:post_new_draft_from[draft]": ("login 405 405 405 405", "login 302 404 404 404"),
    "approvals:post_new_draft_from[submitted]": (
        "login 405 405 405 405",
        "login 302 404 404 404",
    ),
    "approvals:post_new_draft_from[published]": (
        "login 405 405 405 405",
        "login 302 404 404 404",
    ),
    "approvals:queue": ("login 403 403 200 403", "login 403 403 405 403"),
    "approvals:calendar": ("login 403 403 200 403", "login 403 403 405 403"),
    "approvals:prescreen": ("login 405 405 405 405", "login 200 200 200 200"),
    "approvals:campaign_list": ("login 200 200 200 200", "login 405 405 405 405"),
    "approvals:campaign_create": ("login 200 200 200 200", "login 200 200 200 200"),
    "approvals:campaign_detail": ("login 200 200 200 200", "login 200 200 200 200"),
    "approvals:campaign_decide": ("login 405 405 405 405", "login 403 403 400 403"),
    "approvals:published_log": ("login 200 200 200 200", "login 405 405 405 405"),
    "approvals:published_log_csv": ("login 200 200 200 200", "login 200 200 200 200"),
    "approvals:media[draft]": ("login 200 404 404 404", "login 200 404 404 404"),
    "approvals:media[submitted]": ("login 200 404 200 404", "login 200 404 200 404"),
    # Correcting a publication record: the senior team, for a published post they may see.
    "approvals:post_correct_publication[draft]": (
        "login 403 403 404 403",
        "login 403 403 404 403",
    ),
    "approvals:post_correct_publication[submitted]": (
        "login 403 403 302 403",
        "login 403 403 302 403",
    ),
    "approvals:post_correct_publication[published]": (
        "login 403 403 200 403",
        "login 403 403 200 403",
    ),
    # An image chosen in a post form, not yet saved with the post: its uploader's alone.
    "approvals:pending_image": ("login 200 404 404 404", "login 200 404 404 404"),
    # The school's social media accounts: policy admins only.
    "approvals:account_list": ("login 403 403 403 200", "login 403 403 403 405"),
    "approvals:account_add": ("login 403 403 403 200", "login 403 403 403 200"),
    "approvals:account_edit": ("login 403 403 403 200", "login 403 403 403 200"),
    "approvals:account_retire": ("login 403 403 403 405", "login 403 403 403 302"),
    "approvals:account_reinstate": ("login 403 403 403 405", "login 403 403 403 302"),
    # Concerns: seen by the senior team and the reporter only; the sample id 1 does not exist in
    # this world, so everyone signed in gets 404 (tests/concerns/test_services_and_pages.py checks
    # the reporter, the senior team and others against a real concern).
    "concerns:list": ("login 200 200 200 200", "login 405 405 405 405"),
    "concerns:create": ("login 200 200 200 200", "login 400 400 400 400"),
    "concerns:detail": ("login 404 404 404 404", "login 405 405 405 405"),
    "concerns:take": ("login 405 405 405 405", "login 404 404 404 404"),
    "concerns:action": ("login 405 405 405 405", "login 404 404 404 404"),
    "concerns:resolve": ("login 405 405 405 405", "login 404 404 404 404"),
    "concerns:screenshot": ("login 404 404 404 404", "login 405 405 405 405"),
}

# The admin site guards every one of its own pages (admin_view): everyone without admin access,
# signed in or not, is sent to the admin's sign-in address (which forwards anonymous visitors to
# the portal's sign-in page and refuses the others, see "admin/login/"), whichever page it is.
# So its routes, including any a future model adds, share one expectation instead of a row each.
ADMIN_EXPECTED = ("login admin-login admin-login admin-login admin-login",) * 2
ADMIN_ROWS = {
    # Signing out of the admin without being in it just goes back to its front page.
    "admin:logout": ("login 302 302 302 302",) * 2,
}
# The admin site asks only "signed in, active, admin access?", never the school role, so its
# ~150 pages are tried as an anonymous visitor and as the most trusted role without admin
# access; the other roles would give the same answer at four times the cost.
ADMIN_ROLES_TRIED = ("anonymous", "policy_admin")
ADMIN_OPEN = {"admin:login", "admin/login/"}  # the sign-in address itself has its own row


def outcome(response, role) -> str:
    if response.status_code in (301, 302, 303):
        location = response["Location"]
        if location.startswith("/accounts/login/"):
            return "login"
        if location.startswith("/admin/login/"):
            # For someone not signed in, that address forwards to the sign-in page.
            return "login" if role == "anonymous" else "admin-login"
        return "302"
    return str(response.status_code)


def is_admin(name: str) -> bool:
    return (name.startswith("admin:") or name.startswith("admin/")) and name not in ADMIN_OPEN


def cases(world):
    variants = _variants(world)
    for route in all_routes():
        if route.name == "admin:login":
            continue  # the same address as "admin/login/", which has its row
        for label, kwargs in variants.get(route.name, {"": {}}).items():
            key = f"{route.name}[{label}]" if label else route.name
            yield key, route, route.sample_url(**kwargs)


@pytest.fixture
def clients(world):
    return signed_in_clients(world)


def request(client, method, url):
    """One request whose effects are undone, so that every cell starts from the same world."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, {})
        transaction.set_rollback(True)
    client.cookies = cookies
    cache.clear()
    return response


class _Stub:
    pk = number = 1


def test_every_route_has_an_expectation():
    # Only the route names and variant labels matter here, not real objects.
    world = World(users={}, objects=defaultdict(_Stub))
    missing = sorted(
        key for key, route, _url in cases(world) if not is_admin(route.name) and key not in EXPECTED
    )
    assert not missing, (
        "These pages have no row in tests/security/test_access_matrix.py EXPECTED. Decide who "
        "may use each (GET and POST, for every role) and add a row:\n  " + "\n  ".join(missing)
    )
    stale = set(EXPECTED) - {key for key, _route, _url in cases(world)}
    assert not stale, f"Rows for pages that no longer exist: {sorted(stale)}"


def test_the_access_matrix(world, clients):
    mismatches, observed = [], {}
    for key, route, url in cases(world):
        if is_admin(route.name):
            expected = ADMIN_ROWS.get(route.name, ADMIN_EXPECTED)
        else:
            expected = EXPECTED.get(key)
        if expected is None:
            continue  # reported by test_every_route_has_an_expectation
        rows = []
        for method, wanted in zip(("GET", "POST"), expected, strict=True):
            got = []
            for role, want in zip(ROLES, wanted.split(), strict=True):
                if is_admin(route.name) and role not in ADMIN_ROLES_TRIED:
                    got.append(want)
                    continue
                have = outcome(request(clients[role], method, url), role)
                got.append(have)
                if want != have:
                    mismatches.append(
                        f"{method} {url} ({key}) as {role}: expected {want}, got {have}"
                    )
            rows.append(" ".join(got))
        observed[key] = tuple(rows)
    if os.environ.get("ACCESS_MATRIX_DUMP"):
        for key, (get, post) in observed.items():
            if not is_admin(key.split("[")[0]):
                print(f'    "{key}": ("{get}", "{post}"),')
    assert not mismatches, "\n".join(mismatches)
