"""The review editor's pages: what a policy admin sees and what happens when two edit at once,
a save is refused, or the input is wrong (a clear message, never a 500)."""

import pytest
from django.test import Client
from django.urls import reverse

from policy import review, services
from policy.models import Clause, ListItem
from tests.factories import PolicyAdminFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _clause(draft, number):
    return Clause.objects.get(version=draft, number=number)


def test_the_editor_shows_the_draft_and_the_differences(policy_admin_client, draft, policy_admin):
    clause = _clause(draft, "6.3")
    review.clause_edit(actor=policy_admin, clause=clause, text="Brand new wording.", revision=1)
    page = policy_admin_client.get(reverse("policy:review_edit")).content.decode()
    assert "Edit clause 6.3" in page and "Edit clause 4.4" in page
    assert '<ins><span class="visually-hidden">[added: </span>Brand new wording.' in page
    assert "1 changed, 0 added, 0 removed" in page
    changes = policy_admin_client.get(reverse("policy:review_changes")).content.decode()
    assert "Clause 6.3" in changes and "Brand new wording." in changes


def test_a_conflict_keeps_the_typed_text_and_shows_theirs(policy_admin_client, draft):
    clause = _clause(draft, "6.3")
    other = Client()
    other.force_login(PolicyAdminFactory())
    url = reverse("policy:review_clause_save", kwargs={"pk": clause.pk})
    other.post(url, {"clause-text": "Their wording.", "clause-revision": "1"})
    response = policy_admin_client.post(url, {"clause-text": "My wording.", "clause-revision": "1"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved clause 6.3" in page
    assert "Their wording." in page  # theirs, shown
    assert ">My wording.</textarea>" in page  # mine, kept in the box
    assert 'name="clause-revision" value="2"' in page  # saving again is deliberate
    clause.refresh_from_db()
    assert clause.text == "Their wording."


def test_a_nested_item_is_saved_and_moved(policy_admin_client, draft):
    item = (
        ListItem.objects.filter(clause__version=draft, clause__number="4.4")
        .exclude(parent=None)
        .order_by("order", "pk")[1]
    )
    url = reverse("policy:review_item", kwargs={"pk": item.pk})
    key = f"item-{item.pk}"
    response = policy_admin_client.post(
        url, {f"{key}-text": "Typed then moved.", f"{key}-revision": "1", "action": "up"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.text == "Typed then moved."  # moving saved what was typed
    first = ListItem.objects.filter(parent=item.parent).order_by("order", "pk").first()
    assert first == item
    response = policy_admin_client.post(url, {f"{key}-text": "", f"{key}-revision": "2"})
    assert response.status_code == 400
    assert "Enter the wording" in response.content.decode()


def test_the_live_difference_follows_what_is_typed(policy_admin_client, draft):
    clause = _clause(draft, "6.3")
    url = reverse("policy:review_clause_diff", kwargs={"pk": clause.pk})
    response = policy_admin_client.post(url, {"clause-text": clause.text + " Typed words."})
    assert response.status_code == 200
    assert "Typed words." in response.content.decode()
    assert "<ins>" in response.content.decode()
    unchanged = policy_admin_client.post(url, {"clause-text": clause.text})
    assert "No change from the published version" in unchanged.content.decode()


def test_renumbering_warns_and_lists_what_cites_the_clause(
    policy_admin_client, draft, policy_admin
):
    review.clause_edit(
        actor=policy_admin, clause=_clause(draft, "6.3"), text="See clause 4.4.", revision=1
    )
    clause = _clause(draft, "4.4")
    url = reverse("policy:review_clause_renumber", kwargs={"pk": clause.pk})
    page = policy_admin_client.get(url).content.decode()
    assert "Staff cite clauses by number" in page
    assert "Clause 6.3 of the draft" in page
    response = policy_admin_client.post(url, {"number": "4.9", "revision": "1"})
    assert response.status_code == 400  # the warning must be confirmed
    response = policy_admin_client.post(url, {"number": "4.9", "revision": "1", "confirm": "on"})
    assert response.status_code == 302
    clause.refresh_from_db()
    assert clause.number == "4.9"


def test_adding_a_clause_with_a_taken_number_is_an_error_by_the_field(policy_admin_client, draft):
    section = _clause(draft, "6.3").section
    url = reverse("policy:review_clause_add", kwargs={"pk": section.pk})
    response = policy_admin_client.post(url, {"number": "6.3", "text": "Again."})
    assert response.status_code == 400
    assert "There is already a clause 6.3" in response.content.decode()


def test_parts_of_other_versions_are_not_found(policy_admin_client, draft, policy_v1):
    published = Clause.objects.get(version=policy_v1, number="6.3")
    assert (
        policy_admin_client.get(
            reverse("policy:review_clause", kwargs={"pk": published.pk})
        ).status_code
        == 404
    )
    response = policy_admin_client.post(
        reverse("policy:review_clause_save", kwargs={"pk": published.pk}),
        {"clause-text": "x", "clause-revision": "1"},
    )
    assert response.status_code == 404


def test_a_draft_waiting_for_sign_off_is_read_only(policy_admin_client, draft, policy_admin):
    review.policy_draft_summary_update(actor=policy_admin, version=draft, change_summary="S.")
    review.policy_draft_send_for_sign_off(actor=policy_admin, version=draft)
    page = policy_admin_client.get(reverse("policy:review_edit")).content.decode()
    assert "waiting for sign-off, so it cannot be changed" in page
    assert "Edit clause 6.3" not in page
    clause = _clause(draft, "6.3")
    response = policy_admin_client.post(
        reverse("policy:review_clause_save", kwargs={"pk": clause.pk}),
        {"clause-text": "x", "clause-revision": "1"},
        follow=True,
    )
    assert "waiting for sign-off" in response.content.decode()


def test_sending_back_from_the_sign_off_page(client, draft, policy_admin, senior_user):
    review.policy_draft_summary_update(actor=policy_admin, version=draft, change_summary="S.")
    review.policy_draft_send_for_sign_off(actor=policy_admin, version=draft)
    client.force_login(senior_user)
    url = reverse("policy:review_sign_off")
    response = client.post(url, {"decision": "send_back", "comments": ""})
    assert response.status_code == 400
    assert "Say what should change" in response.content.decode()
    response = client.post(url, {"decision": "send_back", "comments": "Clause 6.3 is unclear."})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.sign_off_comments == "Clause 6.3 is unclear."


def test_staff_cannot_open_the_sign_off(staff_client, draft):
    assert staff_client.get(reverse("policy:review_sign_off")).status_code == 403


def test_the_home_page_asks_the_senior_team_to_sign_off(client, draft, policy_admin, senior_user):
    client.force_login(senior_user)
    assert "waiting for your sign-off" not in client.get("/").content.decode()
    review.policy_draft_summary_update(actor=policy_admin, version=draft, change_summary="S.")
    review.policy_draft_send_for_sign_off(actor=policy_admin, version=draft)
    assert (
        "Version 2 of the policy is waiting for your sign-off" in client.get("/").content.decode()
    )
    client.force_login(policy_admin)  # who prepared it is not asked
    assert "waiting for your sign-off" not in client.get("/").content.decode()


def test_the_person_responsible_is_asked_to_sign_off_and_can_open_the_page(
    client, draft, policy_admin
):
    first, last = draft.person_responsible.split(" ", 1)
    responsible = StaffFactory(first_name=first, last_name=last)
    review.policy_draft_summary_update(actor=policy_admin, version=draft, change_summary="S.")
    review.policy_draft_send_for_sign_off(actor=policy_admin, version=draft)
    client.force_login(responsible)
    assert (
        "Version 2 of the policy is waiting for your sign-off" in client.get("/").content.decode()
    )
    page = client.get(reverse("policy:review_sign_off")).content.decode()
    assert "Sign off version 2" in page
    # Other staff are neither asked nor let in.
    client.force_login(StaffFactory())
    assert "waiting for your sign-off" not in client.get("/").content.decode()
    assert client.get(reverse("policy:review_sign_off")).status_code == 403


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("size", [2, 12])
def test_the_editor_pages_read_a_fixed_number_of_queries(policy_admin_client, policy_admin, size):
    from tests.policy.factories import build_version

    build_version(sections=size, clauses=size, items=3, number=1)
    draft = services.policy_review_start(actor=policy_admin)
    clause = Clause.objects.filter(version=draft).order_by("pk").first()
    counts = (
        _queries(policy_admin_client, reverse("policy:review_edit")),
        _queries(policy_admin_client, reverse("policy:review_clause", kwargs={"pk": clause.pk})),
        _queries(policy_admin_client, reverse("policy:review_changes")),
    )
    # The same at 4 and 144 clauses: nothing is read clause by clause. (One query each is the
    # navigation asking whether the policy admin looks after a social media account.)
    assert counts == (20, 14, 12), counts
