import pytest
from django.contrib.auth.models import AnonymousUser, Group

from redbridge_portal import roles
from tests.factories import PolicyAdminFactory, SeniorTeamFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_three_role_groups_exist_after_migrating():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ROLES)


def test_every_permission_a_role_names_exists_and_is_granted():
    for role, permissions in roles.ROLE_PERMISSIONS.items():
        granted = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=role).permissions.select_related("content_type")
        }
        assert set(permissions) == granted, role


@pytest.mark.parametrize(
    ("factory", "expected"),
    [
        (StaffFactory, {"submit_posts", "propose_campaigns"}),
        (
            SeniorTeamFactory,
            {
                "submit_posts",
                "propose_campaigns",
                "decide_posts",
                "decide_campaigns",
                "senior_team",
            },
        ),
        (
            PolicyAdminFactory,
            {
                "submit_posts",
                "propose_campaigns",
                "manage_policy",
                "view_acknowledgements",
                "view_audit_log",
                "manage_personal_data",
            },
        ),
    ],
)
def test_each_role_may_do_exactly_its_own_things(factory, expected):
    abilities = roles.Abilities(factory())
    checks = [
        "submit_posts",
        "propose_campaigns",
        "decide_posts",
        "decide_campaigns",
        "senior_team",
        "manage_policy",
        "view_acknowledgements",
        "view_audit_log",
        "manage_personal_data",
    ]
    assert {name for name in checks if getattr(abilities, name)} == expected


def test_a_user_with_no_role_and_an_anonymous_visitor_may_do_nothing():
    for user in (UserFactory(roles=[]), AnonymousUser()):
        assert not roles.can_submit_posts(user)
        assert not roles.can_decide_posts(user)
        assert not roles.can_manage_policy(user)


def test_a_deactivated_senior_team_member_decides_nothing():
    user = SeniorTeamFactory(is_active=False)
    assert not roles.can_decide_posts(user)
    assert user not in roles.senior_team_members()


def test_members_of_a_role():
    senior = SeniorTeamFactory()
    StaffFactory()
    assert list(roles.senior_team_members()) == [senior]
    assert roles.role_names(senior) == [roles.STAFF, roles.SENIOR_TEAM]


# --- Rules about one concern or question ------------------------------------------------------


def test_who_may_take_and_work_on_a_concern(staff_user, senior_user, second_senior_user):
    from concerns import services as concerns
    from concerns.models import Concern

    concern, _created = concerns.concern_raise(
        actor=staff_user, description="A fake school account.", urgency="today"
    )
    for person in (staff_user, senior_user):
        assert concern in roles.senior_team_or_own(person, Concern.objects.all(), "reporter")
    assert concern not in roles.senior_team_or_own(
        StaffFactory(), Concern.objects.all(), "reporter"
    )
    assert not roles.may_take_concern(staff_user, concern)
    assert roles.may_take_concern(senior_user, concern)
    assert not roles.may_work_on_concern(senior_user, concern)  # nobody has taken it on yet
    concern = concerns.concern_take(actor=senior_user, concern=concern)
    assert roles.may_work_on_concern(senior_user, concern)
    assert not roles.may_take_concern(senior_user, concern)  # already theirs
    assert roles.may_take_concern(second_senior_user, concern)  # may take it over
    assert not roles.may_work_on_concern(second_senior_user, concern)


def test_who_may_answer_and_publish_a_question(staff_user, senior_user):
    from policy import questions

    question, _created = questions.question_ask(actor=staff_user, text="May I share this?")
    assert not roles.may_answer_question(staff_user, question)
    assert roles.may_answer_question(senior_user, question)
    assert not roles.may_publish_answer(senior_user, question)  # not answered yet
    question = questions.question_answer(actor=senior_user, question=question, answer="Yes.")
    assert not roles.may_answer_question(senior_user, question)
    assert roles.may_publish_answer(senior_user, question)
    questions.faq_publish(actor=senior_user, question=question, faq_question="Q", faq_answer="A")
    question.refresh_from_db()
    assert not roles.may_publish_answer(senior_user, question)  # once only


# --- Rules about one post ------------------------------------------------------------------------


def test_who_may_decide_comment_on_and_record_a_post(
    staff_user, other_staff_user, senior_user, second_senior_user
):
    from tests.approvals.factories import AccountFactory, draft_post, submitted_post

    account = AccountFactory()
    draft = draft_post(staff_user, account)
    assert roles.may_comment(staff_user, draft)
    assert not roles.may_comment(senior_user, draft)  # never sent to them
    assert not roles.may_comment(other_staff_user, draft)
    sent = submitted_post(staff_user, account)
    assert roles.may_comment(senior_user, sent)
    assert roles.may_decide(senior_user, sent)
    assert not roles.may_decide(staff_user, sent)
    own = submitted_post(senior_user, account)
    assert not roles.may_decide(senior_user, own)  # never your own post
    assert roles.may_decide(second_senior_user, own)
    assert roles.may_record_publication(staff_user, sent)
    assert roles.may_record_publication(second_senior_user, sent)
    assert not roles.may_record_publication(other_staff_user, sent)


def test_who_may_see_a_post(staff_user, other_staff_user, senior_user, second_senior_user):
    from tests.approvals.factories import (
        AccountFactory,
        draft_post,
        published_post,
        submitted_post,
    )

    account = AccountFactory()
    draft = draft_post(staff_user, account)
    sent = submitted_post(staff_user, account)
    published = published_post(
        staff_user, senior_user, account, url="https://x.com/redbridge/status/1"
    )
    nobody = AnonymousUser()
    # (post, who may see it); everyone else may not.
    cases = [
        (draft, {staff_user}),  # someone's unsent draft is theirs alone
        (sent, {staff_user, senior_user, second_senior_user}),
        (published, {staff_user, other_staff_user, senior_user, second_senior_user}),
    ]
    for post, allowed in cases:
        for person in (staff_user, other_staff_user, senior_user, second_senior_user, nobody):
            assert roles.may_see_post(person, post) is (person in allowed), (post, person)
    own_draft = draft_post(senior_user, account)
    assert roles.may_see_post(senior_user, own_draft)
    assert not roles.may_see_post(second_senior_user, own_draft)


def test_only_the_author_may_change_a_post(staff_user, other_staff_user, senior_user):
    from tests.approvals.factories import AccountFactory, draft_post, submitted_post

    account = AccountFactory()
    for post in (draft_post(staff_user, account), submitted_post(staff_user, account)):
        assert roles.may_change_post(staff_user, post)
        assert not roles.may_change_post(other_staff_user, post)
        assert not roles.may_change_post(senior_user, post)  # deciding is not changing
        assert not roles.may_change_post(AnonymousUser(), post)
    assert roles.may_change_post(senior_user, draft_post(senior_user, account))


def test_who_may_decide_a_campaign(staff_user, senior_user, second_senior_user):
    from tests.approvals.factories import proposed_campaign

    campaign = proposed_campaign(staff_user)
    assert roles.may_decide_campaign(senior_user, campaign)
    assert not roles.may_decide_campaign(staff_user, campaign)
    assert not roles.may_decide_campaign(AnonymousUser(), campaign)
    own = proposed_campaign(senior_user, title="Walk to school week")
    assert not roles.may_decide_campaign(senior_user, own)  # never your own campaign
    assert roles.may_decide_campaign(second_senior_user, own)


def test_the_list_forms_of_never_your_own(staff_user, senior_user, second_senior_user):
    from tests.approvals.factories import AccountFactory, proposed_campaign, submitted_post

    account = AccountFactory()
    theirs = submitted_post(staff_user, account)
    own = submitted_post(senior_user, account)
    team = [senior_user, second_senior_user]
    assert roles.deciders_for(theirs, team) == team
    assert roles.deciders_for(own, team) == [second_senior_user]
    assert roles.not_their_own(senior_user, [theirs, own]) == [theirs]
    assert roles.not_their_own(second_senior_user, [theirs, own]) == [theirs, own]
    campaigns = [proposed_campaign(staff_user), proposed_campaign(senior_user, title="Own")]
    assert roles.not_their_own(senior_user, campaigns, owner="proposer_id") == campaigns[:1]
    assert roles.not_their_own(second_senior_user, campaigns, owner="proposer_id") == campaigns
    # Each list form agrees with the rule for one object.
    for person in team:
        assert (person in roles.deciders_for(own, team)) == roles.may_decide(person, own)
        assert (
            campaigns[1] in roles.not_their_own(person, campaigns, owner="proposer_id")
        ) == roles.may_decide_campaign(person, campaigns[1])
