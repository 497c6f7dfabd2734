import pytest

from redbridge_portal.services import personal_data_export
from tests.approvals.factories import approved_post, proposed_campaign

pytestmark = pytest.mark.django_db


def test_the_subject_access_export_holds_their_posts_decisions_and_campaigns(
    policy_v1, account, staff_user, senior_user, policy_admin
):
    approved_post(staff_user, senior_user, account, text="Sports day was a great success.")
    proposed_campaign(staff_user, title="Reading week")

    mine = personal_data_export(actor=policy_admin, user=staff_user)["approvals"]
    assert [p["text"] for p in mine["posts"]] == ["Sports day was a great success."]
    assert mine["posts"][0]["revisions"][0]["number"] == 1
    assert [c["title"] for c in mine["campaigns_proposed"]] == ["Reading week"]
    assert mine["decisions"] == []

    theirs = personal_data_export(actor=policy_admin, user=senior_user)["approvals"]
    assert theirs["posts"] == []
    assert [d["outcome"] for d in theirs["decisions"]] == ["approve"]
