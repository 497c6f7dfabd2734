"""Pre-screening drafts against clause 4.4: each kind of finding appears when it
should and not otherwise; the admins' lists change what is found; it is fast."""

import pytest
from django.urls import reverse

from policy.models import ScreeningTerm
from policy.prescreen import FindingKind, MediaFacts, prescreen, screen_draft
from policy.screening import screening_lists, screening_lists_replace
from tests.approvals.factories import draft_post, submitted_post

SITES = ["redbridge.example", "bbc.co.uk"]
TERMS = ["staff meeting", "disciplinary", "Ofsted", "idiot"]
SPORTS_DAY = (
    "What a Sports Day! Year 6 won the relay and Year 3 loved the egg and spoon race. "
    "Thank you to every parent who came to cheer on Friday. More photos on our website: "
    "https://www.redbridge.example/news/sports-day"
)


def kinds(findings):
    return [f.kind for f in findings]


def screen(text, **kwargs):
    kwargs.setdefault("terms", TERMS)
    kwargs.setdefault("usual_sites", SITES)
    return prescreen(text, **kwargs)


def test_an_ordinary_post_about_sports_day_has_no_findings():
    assert screen(SPORTS_DAY) == []


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        (
            "Questions? Email j.smith@redbridge.example today.",
            FindingKind.EMAIL,
            "j.smith@redbridge.example",
        ),
        ("Call the office on 020 7946 0000 for tickets.", FindingKind.PHONE, "020 7946 0000"),
        ("Ring 07700 900123 to book.", FindingKind.PHONE, "07700 900123"),
        ("Collect from 12 Oak Tree Road after school.", FindingKind.ADDRESS, "12 Oak Tree Road"),
        ("Our fair is at IG1 4AB on Saturday.", FindingKind.ADDRESS, "IG1 4AB"),
        ("Great work by @jamie_runs at the race!", FindingKind.MENTION, "@jamie_runs"),
        ("Well done to Sam Patel in Year 9.", FindingKind.NAME, "Sam Patel"),
        ("Thanks to Mrs Okafor for the trip.", FindingKind.NAME, "Mrs Okafor"),
        ("Read more at https://evil.example/page", FindingKind.LINK, "https://evil.example/page"),
        ("Details at randomblog.com today.", FindingKind.LINK, "randomblog.com"),
        ("News from the staff meeting: new uniform.", FindingKind.TERM, "staff meeting"),
        ("Ready for OFSTED next week!", FindingKind.TERM, "OFSTED"),
        ("RT @localpaper: school wins award", FindingKind.REPOST, "RT @"),
        ("Reposted from the county page.", FindingKind.REPOST, "Reposted"),
    ],
)
def test_each_kind_of_finding_appears_with_its_clause(text, kind, found):
    findings = screen(text)
    assert kind in kinds(findings), findings
    finding = next(f for f in findings if f.kind == kind)
    assert finding.found == found
    assert finding.clause == "4.4"
    assert finding.advice


@pytest.mark.parametrize(
    "text",
    [
        "Year 10 visited the Science Museum on Tuesday.",  # capitalised, not a name
        "Open Evening is on 14 March at 6pm.",  # a date is not a phone number
        "We raised 1250 pounds for 2 charities in 2024.",
        "Visit https://www.bbc.co.uk/news for the story.",  # a usual site
        "Parents can find the timetable on redbridge.example.",
        "A staff member led the assembly.",  # "staff" alone is not watched
        "The meeting of the eco club was a great success.",
    ],
)
def test_ordinary_sentences_raise_nothing(text):
    assert screen(text) == []


def test_a_subdomain_of_a_usual_site_is_usual_and_the_post_link_is_checked():
    assert screen("Story", link="https://news.bbc.co.uk/a") == []
    findings = screen("Story", link="https://www.tiktok.com/@x")
    assert [(f.kind, f.detail) for f in findings] == [(FindingKind.LINK, "tiktok.com")]


def test_an_email_is_not_also_a_mention():
    assert kinds(screen("Write to office@redbridge.example")) == [FindingKind.EMAIL]


def test_media_from_someone_else_is_pointed_out_unless_the_credit_is_in_the_text():
    credited = MediaFacts(source="credited", credit="Photo: Ilford Recorder")
    assert kinds(screen("Our choir on stage.", media=[credited])) == [FindingKind.MEDIA]
    assert screen("Our choir on stage. Photo: Ilford Recorder", media=[credited]) == []
    assert screen("Our choir.", media=[MediaFacts(source="own")]) == []
    permitted = MediaFacts(source="permission", permission_from="County FA")
    assert kinds(screen("Our choir.", media=[permitted])) == [FindingKind.MEDIA]


def test_the_same_words_are_found_once():
    findings = screen("Ofsted, Ofsted, ofsted!")
    assert kinds(findings) == [FindingKind.TERM]


@pytest.mark.parametrize(
    "junk", ["", "\x00" * 100, "@" * 5000, "a@" * 3000, "0" * 5000, "<script>" * 500]
)
def test_hostile_input_finds_nothing_and_hides_nothing(junk):
    assert screen(junk) == []
    # A watched word after the junk is still found.
    assert kinds(screen(junk + " Ofsted visited.")) == [FindingKind.TERM]


# --- The lists the policy admins keep --------------------------------------------------------


@pytest.mark.django_db
def test_the_seeded_lists_are_used_and_the_admins_list_changes_what_is_found(policy_admin):
    terms, sites = screening_lists()
    assert "staff meeting" in terms and "bbc.co.uk" in sites
    text = "After the staff meeting we planned the bake sale."
    assert kinds(screen_draft(text)) == [FindingKind.TERM]
    screening_lists_replace(actor=policy_admin, terms=["bake sale"], domains=["example.org"])
    assert [f.found for f in screen_draft(text)] == ["bake sale"]
    assert kinds(screen_draft("See https://bbc.co.uk")) == [FindingKind.LINK]
    assert kinds(screen_draft("See https://www.example.org")) == []
    assert list(ScreeningTerm.objects.values_list("term", flat=True)) == ["bake sale"]


@pytest.mark.django_db
def test_only_policy_admins_change_the_lists(staff_user):
    from policy.screening import ScreeningListError

    with pytest.raises(ScreeningListError):
        screening_lists_replace(actor=staff_user, terms=[], domains=[])


@pytest.mark.django_db
def test_the_lists_page_saves_and_refuses_what_is_not_a_domain(policy_admin_client):
    url = reverse("policy:screening_lists")
    page = policy_admin_client.get(url)
    assert "staff meeting" in page.content.decode()
    bad = policy_admin_client.post(url, {"terms": "x", "domains": "not a domain\nbbc.co.uk"})
    assert bad.status_code == 200
    assert "not domains" in bad.content.decode()
    ok = policy_admin_client.post(
        url, {"terms": "Prom night\nprom night\n", "domains": "https://www.Example.org/x"}
    )
    assert ok.status_code == 302
    assert screening_lists() == (["Prom night"], ["example.org"])


@pytest.mark.django_db
def test_the_author_and_the_reviewer_see_the_findings_beside_the_post(
    client, staff_user, senior_user, account
):
    post = submitted_post(staff_user, account, text="Thanks to Sam Patel after the staff meeting.")
    for user in (staff_user, senior_user):
        client.force_login(user)
        page = client.get(post.get_absolute_url()).content.decode()
        assert "Things to check before it goes out" in page
        assert "Sam Patel" in page and reverse("policy:clause", args=["4.4"]) in page
    clean = draft_post(staff_user, account, text=SPORTS_DAY)
    client.force_login(staff_user)
    page = client.get(clean.get_absolute_url()).content.decode()
    assert "Nothing in the text stood out" in page


@pytest.mark.django_db
def test_the_edit_form_shows_the_findings_for_the_saved_post_and_for_what_was_typed(
    staff_client, staff_user, account
):
    post = draft_post(staff_user, account, text="Email head@redbridge.example")
    page = staff_client.get(reverse("approvals:post_edit", args=[post.pk])).content.decode()
    assert "head@redbridge.example" in page and "Things to check" in page
    # An invalid save (no purpose) shows findings for the text as typed.
    response = staff_client.post(
        reverse("approvals:post_edit", args=[post.pk]),
        {"account": account.pk, "text": "Call 07700 900123", "purpose": "", "action": "save"},
    )
    assert response.status_code == 200
    assert "07700 900123" in response.content.decode()


def test_the_findings_follow_the_text_as_the_author_writes(staff_client):
    response = staff_client.post(
        "/posts/prescreen/",
        {"text": "Call Mrs Okafor on 020 7946 0018 about <script>x</script>", "link": ""},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Things to check before it goes out" in page
    assert "020 7946 0018" in page
    assert "<script>x" not in page


def test_live_prescreening_needs_post_and_a_signed_in_writer(staff_client):
    from django.test import Client

    assert staff_client.get("/posts/prescreen/").status_code == 405
    response = Client().post("/posts/prescreen/", {"text": "hello"})
    assert response.status_code == 302


def test_a_new_post_form_has_the_live_findings_region(staff_client):
    page = staff_client.get("/posts/new/").content.decode()
    assert 'data-prescreen-live="/posts/prescreen/"' in page
