"""The policy pages as staff and policy admins use them."""

import csv
import datetime
import io

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from policy import search, selectors, services
from policy.models import Acknowledgement, Clause, ListItem, PolicyVersion
from tests.factories import PolicyAdminFactory, StaffFactory
from tests.policy.factories import build_version, publish_reviewed

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 23, 12, tzinfo=datetime.UTC)


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


# --- Reading -----------------------------------------------------------------------------------


@time_machine.travel(NOW)
def test_the_policy_page_shows_contents_details_and_the_overdue_banner(staff_client, policy_v1):
    response = staff_client.get(reverse("policy:contents"))
    page = response.content.decode()
    assert response.status_code == 200
    for heading in ("1. Introduction", "4. Use of social media", "8. Review"):
        assert heading in page
    assert "9. Social Media Guidelines" in page
    assert 'href="#principle-1"' in page and 'id="principle-5"' in page
    assert 'href="#guideline-when-in-doubt-ask"' in page
    assert "Alex Hoyle, Assistant Headteacher" in page
    assert "September 2022" in page and "30 September 2023" in page
    assert "The annual review of this policy is overdue" in page
    # The nested rules are there, with their joiners.
    assert "giving away confidential information about an individual" in page
    assert 'id="clause-4-4"' in page and 'href="/policy/clause/4.4/"' in page
    assert "I have read and understood version 1" in page


def test_before_loading_the_policy_page_says_so(staff_client):
    response = staff_client.get(reverse("policy:contents"))
    assert response.status_code == 200
    assert "has not been loaded" in response.content.decode()


def test_the_policy_page_is_not_overdue_after_a_review(staff_client, policy_v1, policy_admin):
    draft = services.policy_review_start(actor=policy_admin)
    publish_reviewed(actor=policy_admin, version=draft, change_summary="Checked.")
    page = staff_client.get(reverse("policy:contents")).content.decode()
    assert "overdue" not in page
    assert "What changed in version 2" in page and "Checked." in page


def _measure(client, version):
    """Queries for the version's page with an empty cache, then with the cache warm."""
    url = reverse("policy:version", kwargs={"version": version.number})
    cache.clear()
    return _queries(client, url), _queries(client, url)


def test_the_policy_page_query_count_does_not_grow_with_the_policy(staff_client):
    staff_client.get("/")  # the session's first use costs a query or two
    small = build_version(sections=1, clauses=1, items=1, depth=1, principles=1, guidelines=1)
    small_counts = _measure(staff_client, small)
    small.status = "superseded"
    small.save(update_fields=["status"])
    large = build_version(sections=8, clauses=6, items=4, subitems=3, depth=3, guidelines=11)
    assert ListItem.objects.filter(clause__version=large).count() > 500
    assert _measure(staff_client, large) == small_counts
    uncached, cached = small_counts
    assert cached < uncached


def test_the_clause_page_query_count_does_not_grow_with_the_policy(staff_client):
    staff_client.get("/")
    small = build_version(sections=1, clauses=1, items=1, depth=1)
    url = reverse("policy:clause", kwargs={"number": "1.1"})
    cache.clear()
    small_counts = (_queries(staff_client, url), _queries(staff_client, url))
    small.status = "superseded"
    small.save(update_fields=["status"])
    build_version(sections=8, clauses=6, items=4, subitems=3, depth=3)
    cache.clear()
    assert (_queries(staff_client, url), _queries(staff_client, url)) == small_counts


def test_the_current_policy_page_is_served_from_the_cache(staff_client, policy_v1):
    url = reverse("policy:contents")
    staff_client.get(url)
    with CaptureQueriesContext(connection) as context:
        staff_client.get(url)
    policy_queries = [q["sql"] for q in context.captured_queries if '"policy_' in q["sql"]]
    # The current version and the user's acknowledgement; its text comes from the cache (a
    # published version never changes).
    assert len(policy_queries) == 2
    assert "policy_acknowledgement" in policy_queries[1]
    assert not [q for q in policy_queries if '"policy_clause"' in q or '"policy_section"' in q]


def test_the_clause_permalink_is_served_from_the_cache(staff_client, policy_v1):
    url = reverse("policy:clause", kwargs={"number": "6.4"})
    staff_client.get(url)
    with CaptureQueriesContext(connection) as context:
        page = staff_client.get(url).content.decode()
    policy_queries = [q["sql"] for q in context.captured_queries if '"policy_' in q["sql"]]
    assert len(policy_queries) == 1  # the current version; the clause comes from the cache
    assert '"policy_clause"' not in policy_queries[0]
    assert "criticising or arguing with students, parents, colleagues, parents" in page


def test_the_clause_permalink_shows_the_current_wording(staff_client, policy_v1, policy_admin):
    url = reverse("policy:clause", kwargs={"number": "4.3"})
    assert url == "/policy/clause/4.3/"
    page = staff_client.get(url).content.decode()
    assert "<h1>Clause 4.3</h1>" in page
    assert "obtaining permission from a member of the senior team" in page
    assert "http://testserver/policy/clause/4.3/" in page

    draft = services.policy_review_start(actor=policy_admin)
    clause = Clause.objects.get(version=draft, number="4.3")
    clause.text = "New wording of the safeguards:"
    clause.save()
    publish_reviewed(actor=policy_admin, version=draft, change_summary="4.3")
    assert "New wording of the safeguards" in staff_client.get(url).content.decode()
    old = staff_client.get(reverse("policy:version_clause", kwargs={"version": 1, "number": "4.3"}))
    old_page = old.content.decode()
    assert old.status_code == 200
    assert "Employees should use the same safeguards" in old_page
    assert "has been replaced" in old_page


@pytest.mark.parametrize("number", ["9.9", "sample", "4.4.4", "%3Cscript%3E"])
def test_an_unknown_clause_is_not_found(staff_client, policy_v1, number):
    assert staff_client.get(f"/policy/clause/{number}/").status_code == 404


def test_a_superseded_version_stays_readable(staff_client, policy_v1, policy_admin):
    draft = services.policy_review_start(actor=policy_admin)
    publish_reviewed(actor=policy_admin, version=draft, change_summary="x")
    response = staff_client.get(reverse("policy:version", kwargs={"version": 1}))
    page = response.content.decode()
    assert response.status_code == 200
    assert "This is version 1, which has been replaced" in page
    assert "/policy/version/1/clause/4.4/" in page  # permalinks to that version's wording
    assert "I have read and understood" not in page


def test_a_draft_is_a_preview_for_policy_admins_and_signers_only(
    client, policy_v1, policy_admin, staff_user, senior_user
):
    draft = services.policy_review_start(actor=policy_admin)
    url = draft.get_absolute_url()
    client.force_login(staff_user)
    assert client.get(url).status_code == 404
    assert client.get(f"{url}clause/4.4/").status_code == 404
    client.force_login(policy_admin)
    response = client.get(url)
    assert response.status_code == 200
    assert "Preview of draft version 2" in response.content.decode()
    # The senior team read what they are asked to sign off.
    client.force_login(senior_user)
    response = client.get(url)
    assert response.status_code == 200
    assert reverse("policy:review_sign_off") in response.content.decode()


# --- Search ------------------------------------------------------------------------------------


def test_search_finds_a_word_in_a_nested_item_and_highlights_it(staff_client, policy_v1):
    response = staff_client.get(reverse("policy:search"), {"q": "derogatory"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<mark>derogatory</mark>" in page
    assert 'href="/policy/clause/4.4/"' in page and 'href="/policy/clause/6.4/"' in page
    assert "2 results" in page


def test_search_covers_principles_and_guidelines(staff_client, policy_v1):
    page = staff_client.get(reverse("policy:search"), {"q": "honesty"}).content.decode()
    assert 'href="/policy/#principle-1"' in page
    page = staff_client.get(reverse("policy:search"), {"q": "newspaper"}).content.decode()
    assert 'href="/policy/#guideline-the-internet-is-a-public-space"' in page
    assert "<mark>newspaper</mark>" in page


def test_search_results_are_escaped(staff_client, policy_admin):
    build_version(number=1)
    draft = services.policy_review_start(actor=policy_admin)
    clause = Clause.objects.filter(version=draft).first()
    clause.text = "Never post <script>x()</script> & ignore <b>alerts</b>."
    clause.save()
    publish_reviewed(actor=policy_admin, version=draft, change_summary="x")
    page = staff_client.get(reverse("policy:search"), {"q": "alerts"}).content.decode()
    assert "<script>x" not in page and "<b>" not in page
    assert "Never post &lt;script&gt;x()&lt;/script&gt; &amp; ignore &lt;b&gt;" in page
    assert "<mark>alerts</mark>&lt;/b&gt;." in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Enter a word"),
        ("   ", "Enter a word"),
        ("&&& !!! ***", "Search for words"),
        ("\x00", "Enter a word"),
        ("x" * 500, "No results"),
        ('"unclosed OR -', "No results"),
        ("<script>alert(1)</script>", "No results"),
        ("zebra crossing", "No results"),
    ],
)
def test_an_empty_or_junk_search_gives_a_helpful_page(staff_client, policy_v1, query, message):
    response = staff_client.get(reverse("policy:search"), {"q": query})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "<script>alert" not in page


def test_the_search_page_without_a_query_explains_itself(staff_client, policy_v1):
    page = staff_client.get(reverse("policy:search")).content.decode()
    assert "Search the clauses, rules, core principles and guidelines" in page


def test_search_matches_every_word(staff_client, policy_v1):
    results = search.search_policy("senior team campaign")
    assert [hit.label for hit in results.hits] == ["Clause 4.3, in its list"]


def test_a_search_made_again_finds_the_newly_published_wording(staff_client, policy_admin):
    """Results are kept per published version: a repeat costs no query, and a new version
    (or a draft being edited) is searched afresh."""
    build_version(number=1)
    search_url = reverse("policy:search")
    assert "No results" in staff_client.get(search_url, {"q": "kingfisher"}).content.decode()
    draft = services.policy_review_start(actor=policy_admin)
    clause = Clause.objects.filter(version=draft).first()
    clause.text = "Photos of the kingfisher nest stay on the school's own accounts."
    clause.save()
    assert [h.kind for h in search.search_policy("kingfisher", version=draft).hits] == ["clause"]
    clause.text = "Photos of the heron nest stay on the school's own accounts."
    clause.save()
    assert not search.search_policy("kingfisher", version=draft).hits  # a draft: afresh
    clause.text = "Photos of the kingfisher nest stay on the school's own accounts."
    clause.save()
    publish_reviewed(actor=policy_admin, version=draft, change_summary="Nests.")
    page = staff_client.get(search_url, {"q": "kingfisher"}).content.decode()
    assert "<mark>kingfisher</mark>" in page
    assert "No results" not in page


def test_the_same_search_again_reads_its_results_from_the_cache(
    staff_client, policy_v1, django_assert_num_queries
):
    first = staff_client.get(reverse("policy:search"), {"q": "confidential"}).content
    with CaptureQueriesContext(connection) as context:
        again = staff_client.get(reverse("policy:search"), {"q": "confidential"}).content
    text_tables = (
        '"policy_clause"',
        '"policy_listitem"',
        '"policy_principle"',
        '"policy_guideline"',
    )
    assert not [
        q["sql"] for q in context.captured_queries if any(t in q["sql"] for t in text_tables)
    ]
    assert b"<mark>" in again
    assert again.count(b"<mark>") == first.count(b"<mark>")


# --- Acknowledgement ---------------------------------------------------------------------------


def test_staff_acknowledge_the_current_version_once(staff_client, staff_user, policy_v1):
    url = reverse("policy:acknowledge")
    response = staff_client.post(url, {"version": 1})
    assert response.status_code == 302 and response["Location"] == "/policy/"
    staff_client.post(url, {"version": 1})
    acknowledgement = Acknowledgement.objects.get()
    assert acknowledgement.user == staff_user and acknowledgement.version == policy_v1
    page = staff_client.get("/policy/").content.decode()
    assert "You confirmed that you have read and understood version 1" in page
    assert "I have read and understood version 1" not in page


@pytest.mark.parametrize(
    "data", [{}, {"version": "x"}, {"version": "99"}, {"version": "²"}, {"version": "9" * 30}]
)
def test_acknowledging_a_missing_version_is_refused_politely(staff_client, policy_v1, data):
    response = staff_client.post(reverse("policy:acknowledge"), data, follow=True)
    assert response.status_code == 200
    assert "could not be found" in response.content.decode()
    assert not Acknowledgement.objects.exists()


def test_acknowledging_a_replaced_version_is_refused(staff_client, policy_v1, policy_admin):
    draft = services.policy_review_start(actor=policy_admin)
    publish_reviewed(actor=policy_admin, version=draft, change_summary="x")
    response = staff_client.post(reverse("policy:acknowledge"), {"version": 1}, follow=True)
    assert "not the current policy" in response.content.decode()
    assert not Acknowledgement.objects.exists()


def test_acknowledge_does_not_redirect_off_site(staff_client, policy_v1):
    response = staff_client.post(
        reverse("policy:acknowledge"), {"version": 1, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/policy/"
    response = staff_client.post(reverse("policy:acknowledge"), {"version": 1, "next": "/"})
    assert response["Location"] == "/"


def test_acknowledge_is_post_only(staff_client, policy_v1):
    assert staff_client.get(reverse("policy:acknowledge")).status_code == 405


def test_policy_admins_see_who_has_acknowledged(
    policy_admin_client, policy_v1, staff_user, other_staff_user
):
    services.policy_acknowledge(user=staff_user, version=policy_v1)
    page = policy_admin_client.get(reverse("policy:acknowledgements")).content.decode()
    assert "1 of 3 staff have confirmed" in page
    assert "Jo Okafor" in page and "Not yet" in page
    response = policy_admin_client.get(reverse("policy:acknowledgements_csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert "policy-version-1-acknowledgements.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["Name", "Email", "Version", "Acknowledged", "Acknowledged at"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Sam Patel"][3] == "yes" and by_name["Sam Patel"][4]
    assert by_name["Jo Okafor"][3] == "no"
    assert len(rows) == 4


def test_the_csv_cannot_smuggle_a_formula(policy_admin_client, policy_v1):
    StaffFactory(first_name="=HYPERLINK(1)", last_name="x")
    response = policy_admin_client.get(reverse("policy:acknowledgements_csv"))
    content = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK(1) x" in content


def test_the_acknowledgement_list_query_count_is_fixed(policy_admin_client, policy_v1):
    url = reverse("policy:acknowledgements")
    policy_admin_client.get(url)
    few = _queries(policy_admin_client, url)
    for person in StaffFactory.create_batch(15):
        services.policy_acknowledge(user=person, version=policy_v1)
    # The change is read in once, as on the user's next visit.
    policy_admin_client.get(url)
    assert _queries(policy_admin_client, url) == few


def test_an_unknown_version_in_the_acknowledgement_list_is_not_found(
    policy_admin_client, policy_v1
):
    response = policy_admin_client.get(reverse("policy:acknowledgements"), {"version": "42"})
    assert response.status_code == 404


@pytest.mark.parametrize("value", ["²", "x", "9" * 30, "-1"])
def test_a_junk_version_in_the_acknowledgement_list_shows_the_current_one(
    policy_admin_client, policy_admin, policy_v1, value
):
    draft = services.policy_review_start(actor=policy_admin)
    publish_reviewed(actor=policy_admin, version=draft, change_summary="Two.")
    response = policy_admin_client.get(reverse("policy:acknowledgements"), {"version": value})
    assert response.status_code == 200
    assert response.context["version"].number == 2
    assert "version 2" in response.content.decode().lower()
    csv = policy_admin_client.get(reverse("policy:acknowledgements_csv"), {"version": value})
    assert csv.status_code == 200
    assert "version-2" in csv["Content-Disposition"]


@pytest.mark.parametrize("path", ["/policy/version/99999999999999999999/", "/policy/version/0/"])
def test_a_huge_or_missing_version_number_is_not_found(staff_client, policy_v1, path):
    assert staff_client.get(path).status_code == 404
    assert staff_client.get(path + "clause/4.4/").status_code == 404


# --- Changes -----------------------------------------------------------------------------------


def test_staff_see_what_changed_since_the_version_they_acknowledged(
    staff_client, staff_user, policy_v1, policy_admin
):
    services.policy_acknowledge(user=staff_user, version=policy_v1)
    draft = services.policy_review_start(actor=policy_admin)
    clause = Clause.objects.get(version=draft, number="8.1")
    clause.text = clause.text.replace("on an annual basis", "every year")
    clause.save()
    publish_reviewed(actor=policy_admin, version=draft, change_summary="8.1")
    home = staff_client.get("/policy/").content.decode()
    assert "/policy/changes/?old=1&amp;new=2" in home
    page = staff_client.get(reverse("policy:changes")).content.decode()
    assert "the version you last acknowledged" in page
    assert "Clause 8.1" in page
    assert '<del><span class="visually-hidden">[removed: </span>on an annual basis' in page
    assert '<ins><span class="visually-hidden">[added: </span>every year' in page
    assert "Clause 4.4" not in page


def test_the_changes_page_with_one_version(staff_client, policy_v1):
    page = staff_client.get(reverse("policy:changes")).content.decode()
    assert "nothing to compare" in page


@pytest.mark.parametrize(
    "query", ["?old=1&new=1", "?old=x&new=2", "?old=1", "?old=9&new=1", "?old=1&new=3"]
)
def test_a_bad_comparison_shows_the_form_with_errors(staff_client, policy_v1, policy_admin, query):
    draft = services.policy_review_start(actor=policy_admin)
    publish_reviewed(actor=policy_admin, version=draft, change_summary="x")
    services.policy_review_start(actor=policy_admin)  # version 3, a draft staff cannot see
    response = staff_client.get(reverse("policy:changes") + query)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


# --- The annual review pages ------------------------------------------------------------------

REVIEW_URLS = [
    ("get", "policy:review"),
    ("post", "policy:review_start"),
    ("get", "policy:review_publish"),
    ("post", "policy:review_publish"),
    ("post", "policy:review_discard"),
    ("get", "policy:acknowledgements"),
    ("get", "policy:acknowledgements_csv"),
]


@pytest.mark.parametrize(("method", "name"), REVIEW_URLS)
def test_staff_cannot_reach_the_review_pages(staff_client, senior_client, policy_v1, method, name):
    for client in (staff_client, senior_client):
        assert getattr(client, method)(reverse(name)).status_code == 403
    assert not PolicyVersion.objects.drafts().exists()


def test_a_policy_admin_runs_the_review_in_the_portal(
    policy_admin_client, policy_v1, staff_user, senior_user
):
    page = policy_admin_client.get(reverse("policy:review")).content.decode()
    assert "Start annual review" in page and "The review is overdue" in page
    response = policy_admin_client.post(reverse("policy:review_start"), follow=True)
    page = response.content.decode()
    assert "Version 2 is a draft copy" in page
    assert reverse("policy:review_edit") in page
    assert "/admin/" not in page  # the Django admin is for emergencies only
    draft = PolicyVersion.objects.get(number=2)
    # A second start is refused with a message, not an error page.
    response = policy_admin_client.post(reverse("policy:review_start"), follow=True)
    assert "already being reviewed" in response.content.decode()

    publish_url = reverse("policy:review_publish")
    page = policy_admin_client.get(publish_url).content.decode()
    assert "has not been signed off yet" in page and "0 changed, 0 added, 0 removed" in page
    response = policy_admin_client.post(publish_url)
    assert response.status_code == 400
    assert "has not been signed off yet" in response.content.decode()

    # Sending for sign-off needs the summary; then the senior team signs off.
    response = policy_admin_client.post(reverse("policy:review_send"), follow=True)
    assert "Write the summary of changes" in response.content.decode()
    policy_admin_client.post(reverse("policy:review_summary"), {"change_summary": "No change."})
    response = policy_admin_client.post(reverse("policy:review_send"))
    assert response["Location"] == reverse("policy:review_sign_off")
    page = policy_admin_client.get(reverse("policy:review_sign_off")).content.decode()
    assert "Sign off version 2" not in page  # not their own draft
    senior = Client()
    senior.force_login(senior_user)
    page = senior.get(reverse("policy:review_sign_off")).content.decode()
    assert "Sign off version 2" in page
    senior.post(reverse("policy:review_sign_off"), {"decision": "sign_off"})
    draft.refresh_from_db()
    assert draft.signed_off_by == senior_user

    response = policy_admin_client.post(publish_url)
    assert response.status_code == 302 and response["Location"] == "/policy/"
    draft.refresh_from_db()
    assert draft.status == "published"
    page = policy_admin_client.get("/policy/").content.decode()
    assert "Signed off by" in page and "Priya Shah" in page
    # Nothing left to publish.
    response = policy_admin_client.get(publish_url)
    assert response.status_code == 302 and response["Location"] == reverse("policy:review")


def test_a_policy_admin_can_discard_the_draft(policy_admin_client, policy_v1, policy_admin):
    services.policy_review_start(actor=policy_admin)
    response = policy_admin_client.post(reverse("policy:review_discard"), follow=True)
    assert "The draft has been discarded" in response.content.decode()
    assert not PolicyVersion.objects.drafts().exists()
    response = policy_admin_client.post(reverse("policy:review_discard"), follow=True)
    assert "There is no draft to discard" in response.content.decode()


# --- The admin ---------------------------------------------------------------------------------


@pytest.fixture
def admin_site_policy_admin(client, db):
    user = PolicyAdminFactory(is_staff=True)
    client.force_login(user)
    return client


def test_the_admin_is_for_policy_admins(client, policy_v1, admin_site_policy_admin):
    url = reverse("admin:policy_policyversion_change", args=[policy_v1.pk])
    assert admin_site_policy_admin.get(url).status_code == 200
    other = StaffFactory(is_staff=True)  # may open the admin, but is no policy admin
    client.force_login(other)
    assert client.get(url).status_code == 403
    assert client.get(reverse("admin:policy_policyversion_changelist")).status_code == 403
    client.force_login(StaffFactory())
    assert client.get(url).status_code == 302  # not an admin-site user at all


def test_a_published_version_is_read_only_in_the_admin(admin_site_policy_admin, policy_v1):
    url = reverse("admin:policy_policyversion_change", args=[policy_v1.pk])
    page = admin_site_policy_admin.get(url).content.decode()
    assert 'name="title"' not in page  # shown, not editable
    response = admin_site_policy_admin.post(url, {"title": "Changed"})
    assert response.status_code == 403
    clause = Clause.objects.get(version=policy_v1, number="4.4")
    clause_url = reverse("admin:policy_clause_change", args=[clause.pk])
    assert admin_site_policy_admin.post(clause_url, {"text": "x"}).status_code == 403
    delete_url = reverse("admin:policy_policyversion_delete", args=[policy_v1.pk])
    assert admin_site_policy_admin.post(delete_url, {"post": "yes"}).status_code == 403
    policy_v1.refresh_from_db()
    assert policy_v1.title == "Social Media Policy"


def test_a_policy_admin_edits_a_clause_of_the_draft_in_the_admin(
    admin_site_policy_admin, policy_v1, policy_admin
):
    draft = services.policy_review_start(actor=policy_admin)
    clause = Clause.objects.get(version=draft, number="5.1")
    url = reverse("admin:policy_clause_change", args=[clause.pk])
    page = admin_site_policy_admin.get(url).content.decode()
    assert 'name="text"' in page and 'name="items-0-parent"' in page
    items = list(clause.items.order_by("order"))
    data = {
        "section": clause.section_id,
        "order": clause.order,
        "number": "5.1",
        "text": "The school may monitor employees' internet use. Reasons include:",
        "items-TOTAL_FORMS": str(len(items) + 1),
        "items-INITIAL_FORMS": str(len(items)),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for index, item in enumerate(items):
        data.update(
            {
                f"items-{index}-id": item.pk,
                f"items-{index}-clause": clause.pk,
                f"items-{index}-order": item.order,
                f"items-{index}-parent": "",
                f"items-{index}-text": item.text,
            }
        )
    new = len(items)
    data.update(
        {
            f"items-{new}-clause": clause.pk,
            f"items-{new}-order": "1",
            f"items-{new}-parent": items[1].pk,
            f"items-{new}-text": "for example, sharing pupils' photographs.",
        }
    )
    response = admin_site_policy_admin.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    clause.refresh_from_db()
    assert clause.text.startswith("The school may monitor")
    assert clause.items.get(text__startswith="for example").parent == items[1]
    # A new revision: whoever has the clause open in the portal's editor gets a conflict.
    assert clause.revision == 2
    # The published wording is untouched.
    assert Clause.objects.get(version=policy_v1, number="5.1").text.startswith("Redbridge")
    # Once sent for sign-off, the admin cannot change the draft either.
    from policy import review

    review.policy_draft_summary_update(actor=policy_admin, version=draft, change_summary="S.")
    review.policy_draft_send_for_sign_off(actor=policy_admin, version=draft)
    assert admin_site_policy_admin.post(url, data).status_code == 403


def test_the_admin_offers_only_items_of_the_same_clause_as_parents(
    admin_site_policy_admin, policy_v1, policy_admin
):
    draft = services.policy_review_start(actor=policy_admin)
    clause = Clause.objects.get(version=draft, number="5.1")
    page = admin_site_policy_admin.get(
        reverse("admin:policy_clause_change", args=[clause.pk])
    ).content.decode()
    other = ListItem.objects.filter(clause__version=draft, clause__number="4.4").first()
    assert f'value="{clause.items.first().pk}"' in page
    assert f'value="{other.pk}"' not in page
    nested = Clause.objects.get(version=draft, number="4.4")
    page = admin_site_policy_admin.get(
        reverse("admin:policy_clause_change", args=[nested.pk])
    ).content.decode()
    first = page.index("1. breach confidentiality, for example by:")
    assert (
        first
        < page.index("1.3. discussing the school&#x27;s internal workings")
        < page.index("2. do anything that could be considered")
    )


# --- Home panel and navigation -----------------------------------------------------------------


def test_the_home_panel_asks_for_an_acknowledgement(
    staff_user, policy_v1, django_assert_num_queries
):
    selectors.current_version()
    staff_user.get_all_permissions()  # as the navigation has done on every page
    with django_assert_num_queries(2):  # the current version, the acknowledgement
        context = selectors.home_panel_context(staff_user)
    assert context["policy_needs_acknowledgement"]
    html = render_to_string("policy/includes/home_panel.html", context)
    assert "Read and acknowledge version 1" in html
    services.policy_acknowledge(user=staff_user, version=policy_v1)
    html = render_to_string(
        "policy/includes/home_panel.html", selectors.home_panel_context(staff_user)
    )
    assert "You have acknowledged version 1" in html


@time_machine.travel(NOW)
def test_the_home_panel_tells_policy_admins_about_the_review(
    policy_admin, policy_v1, django_assert_num_queries
):
    selectors.current_version()
    policy_admin.get_all_permissions()
    # The version with the draft, the acknowledgement; acknowledgements, staff, past reviews.
    with django_assert_num_queries(5):
        context = selectors.home_panel_context(policy_admin)
    html = render_to_string("policy/includes/home_panel.html", context)
    assert "Start the annual review" in html
    services.policy_review_start(actor=policy_admin)
    html = render_to_string(
        "policy/includes/home_panel.html", selectors.home_panel_context(policy_admin)
    )
    assert "Version 2 is being reviewed" in html


def test_the_navigation_shows_the_policy_links_by_role(staff_client, policy_v1, client):
    page = staff_client.get("/policy/").content.decode()
    assert 'href="/policy/"' in page and 'href="/policy/review/"' not in page
    client.force_login(PolicyAdminFactory())
    page = client.get("/policy/").content.decode()
    assert 'href="/policy/review/"' in page and 'href="/policy/acknowledgements/"' in page


# --- PostgreSQL full-text search -------------------------------------------------------------

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL"
)


@postgresql_only
def test_postgresql_search_is_stemmed(policy_v1):
    results = search.search_policy("monitor")
    labels = [hit.label for hit in results.hits]
    assert labels[:2] == ["Clause 1.2", "Clause 5.1"]
    assert "proactively <mark>monitoring</mark> the development" in results.hits[0].snippet
    assert "right to <mark>monitor</mark> employees" in results.hits[1].snippet


@postgresql_only
@pytest.mark.parametrize(
    ("table", "model"), [("policy_clause", Clause), ("policy_listitem", ListItem)]
)
def test_postgresql_search_uses_the_gin_index(policy_v1, table, model):
    from django.contrib.postgres.search import SearchQuery, SearchVector

    query = (
        model.objects.annotate(document=SearchVector("text", config="english"))
        .filter(document=SearchQuery("confidential", search_type="websearch", config="english"))
        .order_by()  # the filter alone: the default ordering's joins may lead the planner away
        .values("pk")
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = query.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"{table}_search" in plan, plan
