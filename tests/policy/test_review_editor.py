"""The review editor's services: each change to the draft, the conflict case, renumbering,
and the sign-off rules (nobody signs off their own draft)."""

import pytest
from django.db import IntegrityError, transaction

from policy import review, selectors, services
from policy.models import Clause, ListItem, PolicyVersion, SignOffState
from policy.review import EditConflict
from policy.services import PolicyError
from redbridge_portal.models import AuditEvent, Notification
from tests.factories import PolicyAdminFactory, SeniorTeamFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _clause(draft, number):
    return Clause.objects.get(version=draft, number=number)


def _nested_item(draft, number):
    return (
        ListItem.objects.filter(clause__version=draft, clause__number=number)
        .exclude(parent=None)
        .order_by("order", "pk")
        .first()
    )


# --- Editing text ------------------------------------------------------------------------------


def test_editing_a_clause_changes_its_wording_and_revision(draft, policy_admin):
    clause = _clause(draft, "6.3")
    review.clause_edit(
        actor=policy_admin, clause=clause, text=clause.text + " Check twice.", revision=1
    )
    clause.refresh_from_db()
    assert clause.text.endswith("Check twice.")
    assert clause.revision == 2
    assert AuditEvent.objects.filter(action="policy.draft_clause_edited").count() == 1
    change = selectors.clause_change(draft, clause.pk)
    assert change.status == "changed"
    assert any(s.op == "insert" and "Check twice." in s.text for s in change.segments)


def test_a_stale_revision_is_a_conflict_and_overwrites_nothing(draft, policy_admin):
    clause = _clause(draft, "6.3")
    other_admin = PolicyAdminFactory()
    review.clause_edit(actor=other_admin, clause=clause, text="Their wording.", revision=1)
    with pytest.raises(EditConflict) as raised:
        review.clause_edit(actor=policy_admin, clause=clause, text="My wording.", revision=1)
    assert "Someone else saved clause 6.3" in str(raised.value)
    assert raised.value.current.text == "Their wording."
    clause.refresh_from_db()
    assert clause.text == "Their wording."
    # Having seen theirs, saving with the new revision is deliberate and goes through.
    review.clause_edit(actor=policy_admin, clause=clause, text="My wording.", revision=2)
    clause.refresh_from_db()
    assert clause.text == "My wording."


def test_editing_a_nested_item(draft, policy_admin):
    item = _nested_item(draft, "4.4")
    review.list_item_edit(actor=policy_admin, item=item, text="posting photographs", revision=1)
    item.refresh_from_db()
    assert (item.text, item.revision) == ("posting photographs", 2)
    with pytest.raises(EditConflict):
        review.list_item_edit(actor=policy_admin, item=item, text="other", revision=1)
    change = selectors.clause_change(draft, item.clause_id)
    assert "posting photographs" in "".join(s.text for s in change.segments if s.op == "insert")


def test_empty_wording_is_refused(draft, policy_admin):
    clause = _clause(draft, "6.3")
    with pytest.raises(PolicyError, match="Enter the wording"):
        review.clause_edit(actor=policy_admin, clause=clause, text="   ", revision=1)


def test_staff_cannot_edit_the_draft(draft, staff_user):
    with pytest.raises(PolicyError, match="Only policy admins"):
        review.clause_edit(actor=staff_user, clause=_clause(draft, "6.3"), text="x", revision=1)


def test_the_published_version_cannot_be_edited(policy_v1, policy_admin):
    clause = Clause.objects.get(version=policy_v1, number="6.3")
    with pytest.raises(PolicyError, match="published"):
        review.clause_edit(actor=policy_admin, clause=clause, text="x", revision=1)


# --- Adding, removing, moving, renumbering -----------------------------------------------------


def test_adding_a_clause_at_the_end_of_its_section(draft, policy_admin):
    section = _clause(draft, "6.3").section
    clause = review.clause_add(
        actor=policy_admin, section=section, number="6.9", text="A new rule."
    )
    last = Clause.objects.filter(section=section).order_by("-order").first()
    assert last == clause
    assert selectors.clause_change(draft, clause.pk).status == "added"
    with pytest.raises(PolicyError, match="already a clause 6.9"):
        review.clause_add(actor=policy_admin, section=section, number="6.9", text="Again.")
    with pytest.raises(PolicyError, match="like 6.4"):
        review.clause_add(actor=policy_admin, section=section, number="six", text="Bad.")


def test_moving_clauses_keeps_their_numbers(draft, policy_admin):
    section = _clause(draft, "6.3").section
    before = list(section.clauses.order_by("order").values_list("number", flat=True))
    second = _clause(draft, before[1])
    assert review.clause_move(actor=policy_admin, clause=second, direction="up") is True
    after = list(section.clauses.order_by("order").values_list("number", flat=True))
    assert after == [before[1], before[0], *before[2:]]
    first = _clause(draft, before[1])
    assert review.clause_move(actor=policy_admin, clause=first, direction="up") is False


def test_moving_removing_and_adding_items(draft, policy_admin):
    clause = _clause(draft, "4.4")
    top = list(ListItem.objects.filter(clause=clause, parent=None).order_by("order", "pk"))
    assert review.list_item_move(actor=policy_admin, item=top[1], direction="up")
    reordered = list(ListItem.objects.filter(clause=clause, parent=None).order_by("order", "pk"))
    assert reordered[:2] == [top[1], top[0]]

    parent = reordered[0]
    child = review.list_item_add(
        actor=policy_admin, clause=clause, text="A new one.", parent=parent
    )
    assert child.parent == parent
    children_before = ListItem.objects.filter(clause=clause).count()
    review.list_item_remove(actor=policy_admin, item=parent, revision=parent.revision)
    # The item and everything inside it go.
    assert ListItem.objects.filter(clause=clause).count() < children_before - 1
    assert not ListItem.objects.filter(pk=child.pk).exists()


def test_removing_a_clause(draft, policy_admin):
    clause = _clause(draft, "6.3")
    review.clause_remove(actor=policy_admin, clause=clause, revision=1)
    assert not Clause.objects.filter(pk=clause.pk).exists()
    assert Clause.objects.filter(version=draft.based_on, number="6.3").exists()


def test_renumbering_is_explicit_and_checked(draft, policy_admin):
    clause = _clause(draft, "6.3")
    with pytest.raises(PolicyError, match="already a clause 6.2"):
        review.clause_renumber(actor=policy_admin, clause=clause, number="6.2", revision=1)
    review.clause_renumber(actor=policy_admin, clause=clause, number="6.30", revision=1)
    clause.refresh_from_db()
    assert clause.number == "6.30"
    event = AuditEvent.objects.get(action="policy.draft_clause_renumbered")
    assert event.data == {"old": "6.3", "new": "6.30"}
    with pytest.raises(EditConflict):
        review.clause_renumber(actor=policy_admin, clause=clause, number="6.31", revision=1)


def test_clause_citations_lists_what_cites_the_number(draft, policy_admin):
    mentioning = _clause(draft, "6.3")
    review.clause_edit(
        actor=policy_admin, clause=mentioning, text="As clause 4.4 says, check.", revision=1
    )
    citations = selectors.clause_citations(draft, _clause(draft, "4.4"))
    assert [c.number for c in citations.clauses] == ["6.3"]
    assert selectors.clause_citations(draft, _clause(draft, "4.1")).clauses == []


def test_the_summary_can_be_written_at_any_time_while_editing(draft, policy_admin):
    review.policy_draft_summary_update(actor=policy_admin, version=draft, change_summary=" New. ")
    draft.refresh_from_db()
    assert draft.change_summary == "New."


# --- Sign-off ----------------------------------------------------------------------------------


def _send(draft, admin):
    review.policy_draft_summary_update(actor=admin, version=draft, change_summary="Clearer 6.3.")
    return review.policy_draft_send_for_sign_off(actor=admin, version=draft)


def test_sign_off_round_trip(draft, policy_admin, senior_user, staff_user):
    with pytest.raises(PolicyError, match="signed off"):
        services.policy_version_publish(actor=policy_admin, version=draft)
    draft = _send(draft, policy_admin)
    assert draft.sign_off_state == SignOffState.AWAITING
    assert draft.prepared_by == policy_admin
    # The senior team is asked.
    assert Notification.objects.filter(recipient=senior_user, subject__contains="sign off").exists()
    # Waiting for sign-off, the draft cannot change.
    with pytest.raises(PolicyError, match="waiting for sign-off"):
        review.clause_edit(actor=policy_admin, clause=_clause(draft, "6.3"), text="x", revision=1)
    with pytest.raises(PolicyError, match="signed off"):
        services.policy_version_publish(actor=policy_admin, version=draft)
    review.policy_draft_sign_off(actor=senior_user, version=draft)
    version = services.policy_version_publish(actor=policy_admin, version=draft)
    assert (version.prepared_by, version.signed_off_by) == (policy_admin, senior_user)
    assert version.change_summary == "Clearer 6.3."


def test_nobody_signs_off_their_own_draft(draft, policy_admin):
    # A policy admin who is also on the senior team still cannot sign off what they prepared.
    preparer = SeniorTeamFactory(roles=["Staff", "Senior team", "Policy admin"])
    draft = _send(draft, preparer)
    with pytest.raises(PolicyError, match="someone else must sign it off"):
        review.policy_draft_sign_off(actor=preparer, version=draft)
    # Nor can somebody who edited it, even if another admin sent it.
    review.policy_draft_reopen(actor=policy_admin, version=draft)
    editor = SeniorTeamFactory(roles=["Staff", "Senior team", "Policy admin"])
    review.clause_edit(actor=editor, clause=_clause(draft, "6.3"), text="Edited.", revision=1)
    draft = _send(draft, policy_admin)
    with pytest.raises(PolicyError, match="someone else must sign it off"):
        review.policy_draft_sign_off(actor=editor, version=draft)


def test_the_database_refuses_a_self_sign_off(draft, policy_admin):
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyVersion.objects.filter(pk=draft.pk).update(
            prepared_by=policy_admin,
            signed_off_by=policy_admin,
            sign_off_state=SignOffState.SIGNED_OFF,
        )


def test_only_senior_team_or_the_person_responsible_sign_off(draft, policy_admin):
    draft = _send(draft, policy_admin)
    with pytest.raises(PolicyError, match="senior team or the policy's person responsible"):
        review.policy_draft_sign_off(actor=StaffFactory(), version=draft)
    first, last = draft.person_responsible.split(" ", 1)
    responsible = StaffFactory(first_name=first, last_name=last)
    review.policy_draft_sign_off(actor=responsible, version=draft)
    draft.refresh_from_db()
    assert draft.signed_off_by == responsible


def test_sending_back_needs_comments_and_reopens_editing(draft, policy_admin, senior_user):
    draft = _send(draft, policy_admin)
    with pytest.raises(PolicyError, match="Say what should change"):
        review.policy_draft_send_back(actor=senior_user, version=draft, comments=" ")
    review.policy_draft_send_back(actor=senior_user, version=draft, comments="Clause 6.3 is vague.")
    draft.refresh_from_db()
    assert draft.sign_off_state == SignOffState.EDITING
    assert draft.sign_off_comments == "Clause 6.3 is vague."
    review.clause_edit(
        actor=policy_admin, clause=_clause(draft, "6.3"), text="Clearer.", revision=1
    )
    # It cannot be signed off until it is sent again.
    with pytest.raises(PolicyError, match="cannot be signed off"):
        review.policy_draft_sign_off(actor=senior_user, version=draft)


def test_reopening_a_draft_being_edited_is_refused_in_a_sentence(draft, policy_admin):
    with pytest.raises(
        PolicyError, match="^The draft is being edited, so it cannot be taken back for changes.$"
    ):
        review.policy_draft_reopen(actor=policy_admin, version=draft)


def test_reopening_a_signed_off_draft_clears_the_sign_off(draft, policy_admin, senior_user):
    draft = _send(draft, policy_admin)
    review.policy_draft_sign_off(actor=senior_user, version=draft)
    review.policy_draft_reopen(actor=policy_admin, version=draft)
    draft.refresh_from_db()
    assert (draft.sign_off_state, draft.signed_off_by) == (SignOffState.EDITING, None)
    with pytest.raises(PolicyError, match="signed off"):
        services.policy_version_publish(actor=policy_admin, version=draft)


def test_a_summary_is_needed_before_sending(draft, policy_admin):
    with pytest.raises(PolicyError, match="summary of changes"):
        review.policy_draft_send_for_sign_off(actor=policy_admin, version=draft)
