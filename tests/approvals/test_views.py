"""The pages: who sees what, forms, messages instead of errors, escaping and query counts."""

import csv
import io
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals import services
from approvals.models import (
    CampaignStatus,
    Decision,
    Post,
    PostMedia,
    PostRevision,
    PostStatus,
)
from tests.approvals.factories import (
    ALL_CONFIRMED,
    SELF_CHECK_FIELDS,
    AccountFactory,
    approved_post,
    draft_post,
    image_bytes,
    post_form_data,
    proposed_campaign,
    submit_from_page,
    submitted_post,
)
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def decide(client, post, outcome="approve", *, follow=False, **fields):
    """Send the decision form on the post's page, for the revision it shows."""
    data = {"outcome": outcome, "revision": post.current_revision_id, **fields}
    return client.post(reverse("approvals:post_decide", args=[post.pk]), data, follow=follow)


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- Writing ----------------------------------------------------------------------------------


def test_the_write_page_has_the_form_counter_preview_and_self_check(staff_client, account):
    response = staff_client.get(reverse("approvals:post_create"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="form_token"' in html
    assert "data-char-count" in html
    assert 'id="account-limits"' in html
    assert "Preview" in html
    assert html.count('name="check_') == 5
    assert reverse("policy:clause", kwargs={"number": "4.4"}) in html
    # A strict CSP: every script is a file, or data (the limits) that never runs.
    import re

    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag


def test_the_counter_and_preview_take_their_wording_from_the_page(staff_client, account):
    # The script has no catalogue of its own: the page gives it the (translated) sentences.
    html = staff_client.get(reverse("approvals:post_create")).content.decode()
    assert 'data-within-limit="%(used)s of %(limit)s characters used. %(left)s left."' in html
    assert 'data-over-limit="%(used)s of %(limit)s characters used. %(over)s too many."' in html
    assert 'data-no-limit="%(used)s characters used. Choose an account to see its limit."' in html
    assert 'data-no-account="Account"' in html


def test_saving_a_draft(staff_client, staff_user, account):
    response = staff_client.post(reverse("approvals:post_create"), post_form_data(account))
    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == post.get_absolute_url()
    assert post.status == PostStatus.DRAFT
    assert post.author == staff_user


def test_the_same_form_sent_twice_creates_one_post_and_one_submission(staff_client, account):
    data = post_form_data(account, action="submit", **SELF_CHECK_FIELDS)
    first = staff_client.post(reverse("approvals:post_create"), data)
    second = staff_client.post(reverse("approvals:post_create"), data, follow=True)
    assert first.status_code == 302
    assert Post.objects.count() == 1
    assert PostRevision.objects.count() == 1
    assert any("already" in m for m in messages_of(second))


def test_sending_without_the_self_check_is_refused_line_by_line(staff_client, account):
    data = post_form_data(account, action="submit", check_confidentiality="on")
    response = staff_client.post(reverse("approvals:post_create"), data)
    assert response.status_code == 200
    assert Post.objects.count() == 0
    assert response.content.decode().count("Confirm this line before you send the post.") >= 4


def test_text_over_the_accounts_limit_is_refused_with_a_message(staff_client):
    x = AccountFactory(name="X", text_limit=280)
    response = staff_client.post(
        reverse("approvals:post_create"), post_form_data(x, text="a" * 300)
    )
    assert response.status_code == 200
    assert "The post is 300 characters long; X allows 280. Shorten it by 20." in (
        response.content.decode()
    )
    assert Post.objects.count() == 0


def test_a_text_file_called_jpg_is_refused_by_the_form(staff_client, account):
    fake = io.BytesIO(b"not an image" * 50)
    fake.name = "holiday.jpg"
    response = staff_client.post(
        reverse("approvals:post_create"), post_form_data(account, images=fake)
    )
    assert response.status_code == 200
    assert "holiday.jpg: The file is not an image we can use" in response.content.decode()
    assert Post.objects.count() == 0


def test_editing_an_approved_post_sends_it_back(staff_client, staff_user, senior_user, account):
    post = approved_post(staff_user, senior_user, account)
    page = staff_client.get(reverse("approvals:post_edit", args=[post.pk]))
    assert "the approval no longer applies" in page.content.decode()
    data = post_form_data(account, text="A changed text.", action="submit", **SELF_CHECK_FIELDS)
    response = staff_client.post(reverse("approvals:post_edit", args=[post.pk]), data)
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == PostStatus.SUBMITTED
    assert post.current_revision.number == 2


def test_another_persons_post_cannot_be_edited_or_seen(client, staff_user, account):
    post = draft_post(staff_user, account)
    client.force_login(StaffFactory())
    assert client.get(reverse("approvals:post_edit", args=[post.pk])).status_code == 404
    assert client.get(post.get_absolute_url()).status_code == 404
    response = client.post(reverse("approvals:post_withdraw", args=[post.pk]))
    assert response.status_code == 404


# --- Who sees what ----------------------------------------------------------------------------


def test_the_senior_team_sees_submitted_posts_but_not_drafts_never_sent(
    senior_client, staff_user, account
):
    draft = draft_post(staff_user, account)
    waiting = submitted_post(staff_user, account)
    assert senior_client.get(draft.get_absolute_url()).status_code == 404
    assert senior_client.get(waiting.get_absolute_url()).status_code == 200
    assert senior_client.get(reverse("approvals:post_edit", args=[waiting.pk])).status_code == 404


def test_published_posts_are_visible_to_all_staff(client, staff_user, senior_user, account):
    post = approved_post(staff_user, senior_user, account)
    services.post_mark_published(
        actor=staff_user, post=post, published_at=timezone.now(), url="https://x.com/1"
    )
    client.force_login(StaffFactory())
    assert client.get(post.get_absolute_url()).status_code == 200
    log = client.get(reverse("approvals:published_log"))
    assert post.get_absolute_url() in log.content.decode()


def test_only_the_senior_team_sees_the_queue(staff_client):
    assert staff_client.get(reverse("approvals:queue")).status_code == 403


def test_the_queue_lists_waiting_posts_oldest_first_with_filters(
    senior_client, staff_user, other_staff_user, account
):
    facebook = AccountFactory(name="Facebook", text_limit=63206)
    first = submitted_post(staff_user, account, text="First in the queue")
    second = submitted_post(other_staff_user, facebook, text="Second in the queue")
    draft_post(staff_user, account, text="A draft never sent")
    html = senior_client.get(reverse("approvals:queue")).content.decode()
    assert html.index("First in the queue") < html.index("Second in the queue")
    assert "A draft never sent" not in html
    filtered = senior_client.get(reverse("approvals:queue"), {"account": facebook.pk})
    assert list(filtered.context["posts"]) == [second]
    by_author = senior_client.get(reverse("approvals:queue"), {"author": "patel"})
    assert list(by_author.context["posts"]) == [first]
    approved = senior_client.get(reverse("approvals:queue"), {"status": "approved"})
    assert list(approved.context["posts"]) == []


@pytest.fixture
def authors_posts(account):
    """Waiting posts by three people whose names and addresses overlap in parts."""
    jo = StaffFactory(first_name="Jo", last_name="Bloggs", email="jo.bloggs@redbridge.example")
    joanna = StaffFactory(first_name="Joanna", last_name="Blake", email="jblake@redbridge.example")
    sam = StaffFactory(first_name="Sam", last_name="Patel", email="spatel@redbridge.example")
    return {
        "jo": [
            submitted_post(jo, account, text="Jo's first post"),
            submitted_post(jo, account, text="Jo's second post"),
        ],
        "joanna": [submitted_post(joanna, account, text="Joanna's post")],
        "sam": [submitted_post(sam, account, text="Sam's post")],
    }


@pytest.mark.parametrize(
    ("typed", "whose"),
    [
        ("jo", ["jo", "joanna"]),  # part of a first name
        ("JOAN", ["joanna"]),  # case never matters
        ("bloggs", ["jo"]),  # a surname
        ("bl", ["jo", "joanna"]),
        ("jo blog", ["jo"]),  # first and last name
        ("Jo Bloggs", ["jo"]),
        ("blake joanna", ["joanna"]),  # either order
        ("jo.bloggs@", ["jo"]),  # part of an email address
        ("spatel@REDBRIDGE.example", ["sam"]),
        ("redbridge.example", ["jo", "joanna", "sam"]),
        ("  patel  ", ["sam"]),  # spaces around are dropped
        ("jo patel", []),  # every word must match the same person
        ("nobody", []),
    ],
)
def test_the_queue_finds_posts_by_what_is_typed_for_the_author(
    senior_client, authors_posts, typed, whose
):
    response = senior_client.get(reverse("approvals:queue"), {"author": typed})
    assert response.status_code == 200
    expected = [post for person in whose for post in authors_posts[person]]
    # Oldest first, each post once, even when a word matches a name and the address too.
    assert list(response.context["posts"]) == sorted(expected, key=lambda p: p.submitted_at)
    assert response.context["filter_form"]["author"].value() == typed  # kept in the box


def test_the_author_filter_combines_with_the_others(senior_client, authors_posts):
    jo_first = authors_posts["jo"][0]
    services.post_withdraw(actor=jo_first.author, post=jo_first)
    withdrawn = senior_client.get(
        reverse("approvals:queue"), {"author": "bloggs", "status": PostStatus.WITHDRAWN}
    )
    assert list(withdrawn.context["posts"]) == [jo_first]
    waiting = senior_client.get(reverse("approvals:queue"), {"author": "bloggs"})
    assert list(waiting.context["posts"]) == [authors_posts["jo"][1]]


def test_an_empty_author_filter_shows_everyone(senior_client, authors_posts):
    response = senior_client.get(reverse("approvals:queue"), {"author": "   "})
    assert len(response.context["posts"]) == 4
    assert not response.context["filter_form"].errors


def test_an_over_long_author_shows_the_error_and_the_waiting_posts(senior_client, authors_posts):
    response = senior_client.get(
        reverse("approvals:queue"), {"author": "jo" * 51, "status": PostStatus.APPROVED}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ensure this value has at most 100 characters (it has 102)." in html
    # Like any bad filter: the default list, every post waiting for a decision.
    assert response.context["status"] == PostStatus.SUBMITTED
    assert len(response.context["posts"]) == 4


def test_the_queue_asks_for_the_author_as_text_not_a_list_of_everyone(senior_client, authors_posts):
    html = senior_client.get(reverse("approvals:queue"), {"author": "<b>jo"}).content.decode()
    assert '<select name="author"' not in html
    assert 'type="search" name="author"' in html
    assert 'maxlength="100"' in html
    assert "Part of a name or school email address" in html
    assert 'value="&lt;b&gt;jo"' in html


def test_the_queue_shows_waiting_campaigns(senior_client, staff_user):
    campaign = proposed_campaign(staff_user, title="Book week")
    html = senior_client.get(reverse("approvals:queue")).content.decode()
    assert "Book week" in html
    assert campaign.get_absolute_url() in html


# --- Decisions through the page ---------------------------------------------------------------


def test_approving_from_the_post_page(senior_client, staff_user, account):
    post = submitted_post(staff_user, account)
    page = senior_client.get(post.get_absolute_url())
    assert "Record my decision" in page.content.decode()
    response = decide(senior_client, post)
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == PostStatus.APPROVED


def test_rejecting_without_a_comment_shows_the_form_again(senior_client, staff_user, account):
    post = submitted_post(staff_user, account)
    response = decide(senior_client, post, "reject", comment="")
    assert response.status_code == 400
    assert "Say what needs to change, or why the post is rejected." in response.content.decode()
    assert Decision.objects.count() == 0


def test_deciding_on_your_own_post_shows_a_message_not_an_error(client, senior_user, account):
    post = submitted_post(senior_user, account)
    client.force_login(senior_user)
    response = decide(client, post, follow=True)
    assert response.status_code == 200
    assert any("your own post" in m for m in messages_of(response))
    assert Decision.objects.count() == 0


def test_approving_twice_tells_who_decided_first(
    client, staff_user, senior_user, second_senior_user, account
):
    post = submitted_post(staff_user, account)
    services.post_approve(actor=senior_user, post=post)
    client.force_login(second_senior_user)
    response = decide(client, post, "reject", comment="No", follow=True)
    assert any("Priya Shah already decided" in m for m in messages_of(response))
    assert Decision.objects.count() == 1


def test_staff_cannot_post_a_decision(staff_client, other_staff_user, account):
    post = submitted_post(other_staff_user, account)
    response = decide(staff_client, post)
    assert response.status_code == 403


def test_acting_on_a_withdrawn_post_shows_a_message(client, staff_user, senior_user, account):
    post = submitted_post(staff_user, account)
    services.post_withdraw(actor=staff_user, post=post)
    client.force_login(senior_user)
    response = decide(client, post, follow=True)
    assert response.status_code == 200
    assert any("Withdrawn" in m for m in messages_of(response))


def test_submitting_from_the_post_page_twice_sends_once(staff_client, staff_user, account):
    post = draft_post(staff_user, account)
    submit_from_page(staff_client, post)
    again = submit_from_page(staff_client, post, follow=True)
    assert PostRevision.objects.filter(post=post).count() == 1
    assert any("already submitted" in m for m in messages_of(again))


def test_submitting_from_the_post_page_needs_the_self_check(staff_client, staff_user, account):
    post = draft_post(staff_user, account)
    response = staff_client.post(reverse("approvals:post_submit", args=[post.pk]), {})
    assert response.status_code == 400
    assert "Confirm this line" in response.content.decode()
    post.refresh_from_db()
    assert post.status == PostStatus.DRAFT


def test_comments_cite_clauses_as_links(client, staff_user, senior_user, account, policy_v1):
    post = submitted_post(staff_user, account)
    client.force_login(senior_user)
    response = client.post(
        reverse("approvals:post_comment", args=[post.pk]),
        {"body": "Check the pupil's name.", "clauses": "4.4, 4.3"},
        follow=True,
    )
    html = response.content.decode()
    assert "Check the pupil&#x27;s name." in html
    link = reverse("policy:version_clause", kwargs={"version": policy_v1.number, "number": "4.4"})
    assert f'href="{link}"' in html


def test_an_unknown_clause_is_refused_in_the_comment_form(
    client, staff_user, senior_user, account, policy_v1
):
    post = submitted_post(staff_user, account)
    client.force_login(senior_user)
    response = client.post(
        reverse("approvals:post_comment", args=[post.pk]), {"body": "x", "clauses": "4.4, 12.9"}
    )
    assert response.status_code == 400
    assert "The policy in force has no clause 12.9." in response.content.decode()


def test_the_timeline_shows_a_word_diff_and_decisions_with_their_revision(
    staff_client, staff_user, senior_user, account, policy_v1
):
    post = submitted_post(staff_user, account, text="Sports day is on Friday.")
    services.post_request_changes(
        actor=senior_user, post=post, comment="Say which Friday.", clauses=["4.3"]
    )
    services.post_update(
        actor=staff_user,
        post=post,
        content=services.PostContent(
            account=account, text="Sports day is on Friday 6 June.", purpose=post.purpose
        ),
        submit=True,
        self_check=ALL_CONFIRMED,
    )
    html = staff_client.get(post.get_absolute_url()).content.decode()
    assert '<ins><span class="visually-hidden">added: </span>' in html
    assert "Friday." in html and "6 June." in html
    assert 'href="#revision-1"' in html
    assert "under policy version 1" in html


def test_marking_published_from_its_page(staff_client, staff_user, senior_user, account):
    post = approved_post(staff_user, senior_user, account)
    url = reverse("approvals:post_mark_published", args=[post.pk])
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(
        url,
        {
            "published_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "url": "https://x.com/RedbridgeCS/status/1",
        },
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED


def test_marking_published_a_post_not_approved_redirects_with_a_message(
    staff_client, staff_user, account
):
    post = submitted_post(staff_user, account)
    response = staff_client.get(
        reverse("approvals:post_mark_published", args=[post.pk]), follow=True
    )
    assert any("Only an approved post" in m for m in messages_of(response))


def test_starting_a_new_draft_from_a_rejected_post(staff_client, staff_user, senior_user, account):
    post = submitted_post(staff_user, account)
    services.post_reject(actor=senior_user, post=post, comment="No")
    token = str(uuid.uuid4())
    url = reverse("approvals:post_new_draft_from", args=[post.pk])
    response = staff_client.post(url, {"form_token": token})
    staff_client.post(url, {"form_token": token})
    copy = Post.objects.get(copied_from=post)
    assert response["Location"] == reverse("approvals:post_edit", args=[copy.pk])


# --- Media ------------------------------------------------------------------------------------


def _post_with_image(author, account):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from approvals.images import clean_uploaded_image

    clean = clean_uploaded_image(SimpleUploadedFile("a.png", image_bytes("PNG")))
    post, _created = services.post_create(
        actor=author,
        content=services.PostContent(account=account, text="With a picture", purpose="Show it"),
        new_media=[
            services.NewMedia(
                image=clean, alt_text="A picture", source="own", pupil_consent_confirmed=True
            )
        ],
    )
    return post, PostMedia.objects.get(post=post)


def test_media_is_served_only_to_people_who_may_see_the_post(
    client, staff_user, senior_user, account
):
    post, media = _post_with_image(staff_user, account)
    url = reverse("approvals:media", args=[media.pk])
    client.force_login(staff_user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    client.force_login(StaffFactory())
    assert client.get(url).status_code == 404
    client.force_login(senior_user)
    assert client.get(url).status_code == 404  # a draft never sent
    services.post_submit(actor=staff_user, post=post, self_check=ALL_CONFIRMED)
    assert client.get(url).status_code == 200


# --- Escaping ---------------------------------------------------------------------------------


def test_post_text_is_escaped_everywhere(client, staff_user, senior_user, account):
    nasty = "<script>alert('x')</script> & <b>bold</b>"
    post = approved_post(staff_user, senior_user, account, text=nasty, purpose="<i>why</i>")
    services.post_mark_published(
        actor=staff_user, post=post, published_at=timezone.now(), url="https://x.com/1"
    )
    pages = []
    client.force_login(staff_user)
    pages.append(client.get(reverse("approvals:my_posts")))
    pages.append(client.get(post.get_absolute_url()))
    pages.append(client.get(reverse("approvals:published_log")))
    client.force_login(senior_user)
    pages.append(client.get(reverse("approvals:queue"), {"status": "published"}))
    for response in pages:
        html = response.content.decode()
        assert "<script>alert" not in html
        assert "<b>bold</b>" not in html
        assert "&lt;script&gt;" in html
    assert "<i>why</i>" not in pages[1].content.decode()


# --- Published log and CSV --------------------------------------------------------------------


def test_the_published_log_exports_csv_with_who_approved_which_revision(
    staff_client, staff_user, senior_user, account
):
    post = approved_post(staff_user, senior_user, account, text='=HYPERLINK("evil")')
    services.post_mark_published(
        actor=staff_user, post=post, published_at=timezone.now(), url="https://x.com/1"
    )
    response = staff_client.get(reverse("approvals:published_log_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["Post", "Account", "Went out at"]
    row = rows[1]
    assert row[1] == account.name
    assert row[5] == "1"
    assert row[6] == "Priya Shah"
    assert row[-1].startswith("'=")  # a spreadsheet shows it, never runs it


# --- Campaigns --------------------------------------------------------------------------------


def test_proposing_and_deciding_a_campaign_through_the_pages(staff_client, client, senior_user):
    today = timezone.localdate()
    response = staff_client.post(
        reverse("approvals:campaign_create"),
        {
            "form_token": str(uuid.uuid4()),
            "title": "Science week",
            "aim": "Share experiments.",
            "starts_on": today.isoformat(),
            "ends_on": today.isoformat(),
        },
    )
    assert response.status_code == 302
    from approvals.models import Campaign

    campaign = Campaign.objects.get()
    assert (
        staff_client.post(
            reverse("approvals:campaign_decide", args=[campaign.pk]), {"outcome": "approve"}
        ).status_code
        == 403
    )
    client.force_login(senior_user)
    missing_reason = client.post(
        reverse("approvals:campaign_decide", args=[campaign.pk]), {"outcome": "decline"}
    )
    assert missing_reason.status_code == 400
    client.post(reverse("approvals:campaign_decide", args=[campaign.pk]), {"outcome": "approve"})
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.APPROVED
    assert client.get(reverse("approvals:campaign_list")).status_code == 200


def test_campaign_dates_are_checked_by_the_form(staff_client):
    today = timezone.localdate()
    response = staff_client.post(
        reverse("approvals:campaign_create"),
        {
            "title": "Backwards",
            "aim": "x",
            "starts_on": (today + timezone.timedelta(days=5)).isoformat(),
            "ends_on": today.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "The last day must be on or after the first day." in response.content.decode()


# --- Query counts -----------------------------------------------------------------------------


def _many_posts(author, account, count, campaign=None):
    for n in range(count):
        submitted_post(author, account, text=f"Post number {n}", campaign=campaign)


def _queries(django_assert_max_num_queries, client, url, params=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, params or {})  # the first request after signing in also saves the session
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("url_name", ["approvals:my_posts", "approvals:published_log"])
def test_list_pages_run_the_same_queries_for_few_and_many_rows(
    client, staff_user, senior_user, account, url_name, django_assert_max_num_queries
):
    client.force_login(staff_user)
    campaign = proposed_campaign(staff_user)
    services.campaign_decide(actor=senior_user, campaign=campaign, approve=True)
    for n in range(2):
        post = approved_post(staff_user, senior_user, account, campaign=campaign)
        services.post_mark_published(
            actor=staff_user, post=post, published_at=timezone.now(), url=f"https://x.com/{n}"
        )
    few = _queries(django_assert_max_num_queries, client, reverse(url_name))
    other = AccountFactory(name="Instagram", text_limit=2200)
    for n in range(20):
        post = approved_post(staff_user, senior_user, other, campaign=campaign)
        services.post_mark_published(
            actor=staff_user,
            post=post,
            published_at=timezone.now(),
            url=f"https://x.com/redbridge/status/{n}",
        )
    many = _queries(django_assert_max_num_queries, client, reverse(url_name))
    assert few == many


def test_the_queue_runs_the_same_queries_for_few_and_many_posts(
    client, staff_user, other_staff_user, senior_user, account, django_assert_max_num_queries
):
    client.force_login(senior_user)
    campaign = proposed_campaign(staff_user)
    _many_posts(staff_user, account, 2, campaign=campaign)
    few = _queries(django_assert_max_num_queries, client, reverse("approvals:queue"))
    _many_posts(other_staff_user, AccountFactory(name="LinkedIn", text_limit=3000), 30)
    proposed_campaign(other_staff_user, title="Another")
    many = _queries(django_assert_max_num_queries, client, reverse("approvals:queue"))
    assert few == many
    page_two = _queries(
        django_assert_max_num_queries, client, reverse("approvals:queue"), {"page": 2}
    )
    assert page_two == many


def test_the_queue_paginates_oldest_first(client, staff_user, senior_user, account):
    _many_posts(staff_user, account, 30)
    client.force_login(senior_user)
    first = client.get(reverse("approvals:queue"))
    second = client.get(reverse("approvals:queue"), {"page": 2})
    beyond = client.get(reverse("approvals:queue"), {"page": 999})
    assert len(first.context["posts"]) == 25
    assert [p.text for p in second.context["posts"]] == [f"Post number {n}" for n in range(25, 30)]
    assert beyond.context["page_obj"].number == 2
    assert first.context["page_obj"].has_next and not second.context["page_obj"].has_next


def test_the_home_panel_runs_a_fixed_number_of_queries(
    staff_user, senior_user, account, django_assert_num_queries
):
    from approvals.selectors import home_panel_context
    from redbridge_portal.models import User

    draft_post(staff_user, account)
    submitted_post(staff_user, account)
    # Fresh user objects, as on a request: their permissions are read once (one query; was two
    # before the user's own and their groups' were read together).
    fresh = User.objects.get(pk=staff_user.pk)
    with django_assert_num_queries(2):
        staff = home_panel_context(fresh)
    assert len(staff["posts_drafts"]) == 1 and not staff["posts_is_senior_team"]
    for _n in range(15):
        draft_post(staff_user, account)
    fresh = User.objects.get(pk=staff_user.pk)
    with django_assert_num_queries(2):
        staff = home_panel_context(fresh)
    assert len(staff["posts_drafts"]) == 10 and staff["posts_more_waiting_on_me"]
    fresh_senior = User.objects.get(pk=senior_user.pk)
    with django_assert_num_queries(4):
        senior = home_panel_context(fresh_senior)
    assert senior["posts_queue_count"] == 1
    assert senior["posts_queue_oldest"] is not None


def test_the_home_panel_template_renders(staff_user, senior_user, account):
    from django.template.loader import render_to_string

    from approvals.selectors import home_panel_context

    submitted_post(staff_user, account)
    html = render_to_string("approvals/includes/home_panel.html", home_panel_context(senior_user))
    assert "1 post</strong>" in html
    assert reverse("approvals:queue") in html


def test_the_post_page_runs_the_same_queries_however_long_its_history(
    client, staff_user, senior_user, account, policy_v1, django_assert_max_num_queries
):
    client.force_login(senior_user)
    post = submitted_post(staff_user, account, text="Version 0")
    services.post_comment(actor=senior_user, post=post, body="First look", clauses=["4.4"])
    short = _queries(django_assert_max_num_queries, client, post.get_absolute_url())
    for n in range(1, 6):
        services.post_request_changes(actor=senior_user, post=post, comment=f"Round {n}")
        services.post_comment(actor=staff_user, post=post, body=f"Reply {n}", clauses=["4.3"])
        services.post_update(
            actor=staff_user,
            post=post,
            content=services.PostContent(account=account, text=f"Version {n}", purpose="Why"),
            submit=True,
            self_check=ALL_CONFIRMED,
        )
    long = _queries(django_assert_max_num_queries, client, post.get_absolute_url())
    assert short == long


def test_my_posts_says_what_is_expected_next(staff_client, staff_user, senior_user, account):
    post = submitted_post(staff_user, account)
    services.post_request_changes(actor=senior_user, post=post, comment="Shorter")
    html = staff_client.get(reverse("approvals:my_posts")).content.decode()
    assert "Changes requested" in html
    assert "Make the changes asked for and submit again." in html
