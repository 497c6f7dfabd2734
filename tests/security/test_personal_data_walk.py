"""Every model that points at a person is in their subject access export.

The test walks the installed models: each field that refers to a user must be listed here with
where its rows appear in the export. A new model (or a new field) that refers to people fails
the first test until someone adds it to the export and to EXPORTED; the second checks, on a
world where every such field is used, that each one really shows up.
"""

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model

from approvals import services as approvals_services
from concerns import services as concerns
from people.models import StaffImport
from policy import questions
from policy import services as policy_services
from policy.models import PolicyVersion
from redbridge_portal import services
from redbridge_portal.services import personal_data_export
from tests.approvals.factories import AccountFactory
from tests.policy.factories import publish_reviewed
from tests.security.conftest import give_two_factor
from tests.security.world import build_world

# (model, field) -> the keys under which the export shows that field's rows.
EXPORTED = {
    ("admin.LogEntry", "user"): ("admin_site_changes",),
    ("otp_totp.TOTPDevice", "user"): ("two_factor", "authenticator_app"),
    ("otp_static.StaticDevice", "user"): ("two_factor", "backup_codes_left"),
    ("redbridge_portal.AuditEvent", "actor"): ("audit_events_by_them",),
    ("redbridge_portal.Notification", "recipient"): ("notifications",),
    ("redbridge_portal.EmailPreference", "user"): ("email_choices",),
    ("policy.PolicyVersion", "created_by"): ("policy", "versions_drafted"),
    ("policy.PolicyVersion", "published_by"): ("policy", "versions_published"),
    ("policy.PolicyVersion", "prepared_by"): ("policy", "versions_prepared"),
    ("policy.PolicyVersion", "signed_off_by"): ("policy", "versions_signed_off"),
    ("policy.Acknowledgement", "user"): ("policy", "acknowledgements"),
    ("policy.Question", "asker"): ("policy", "questions"),
    ("policy.Question", "answered_by"): ("policy", "questions_answered"),
    ("policy.FrequentlyAskedQuestion", "published_by"): (
        "policy",
        "frequently_asked_questions_published",
    ),
    ("approvals.Campaign", "proposer"): ("approvals", "campaigns_proposed"),
    ("approvals.Campaign", "decided_by"): ("approvals", "campaigns_decided"),
    ("approvals.Post", "author"): ("approvals", "posts"),
    ("approvals.Post", "published_by"): ("approvals", "posts_marked_published"),
    ("approvals.PostRevision", "submitted_by"): ("approvals", "revisions_sent"),
    ("approvals.PostMedia", "uploaded_by"): ("approvals", "images_uploaded"),
    ("approvals.Decision", "decided_by"): ("approvals", "decisions"),
    ("approvals.Comment", "author"): ("approvals", "comments"),
    ("approvals.Account", "managers"): ("approvals", "accounts_managed"),
    ("approvals.PendingImage", "uploaded_by"): ("approvals", "images_not_yet_saved"),
    ("approvals.PublicationCorrection", "corrected_by"): ("approvals", "publication_corrections"),
    ("concerns.Concern", "reporter"): ("concerns", "concerns_raised"),
    ("concerns.Concern", "owner"): ("concerns", "concerns_dealt_with"),
    ("concerns.ConcernAction", "author"): ("concerns", "concern_actions_recorded"),
    ("account.EmailAddress", "user"): ("people", "email_addresses"),
    ("socialaccount.SocialAccount", "user"): ("people", "school_accounts"),
    ("people.StaffImport", "uploaded_by"): ("people", "staff_lists_uploaded"),
}


def fields_referring_to_people():
    """(model label, field name) for every stored field that refers to a user."""
    user_model = get_user_model()
    found = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.concrete and field.is_relation and field.related_model is user_model:
                found[(model._meta.label, field.name)] = (model, field.name)
    return found


def user_references():
    """How many rows each field has that refer to someone."""
    return {
        pair: model.objects.filter(**{f"{field}__isnull": False}).count()
        for pair, (model, field) in fields_referring_to_people().items()
    }


def test_every_field_that_refers_to_a_person_is_in_the_export():
    found = set(fields_referring_to_people())
    missing = sorted(found - set(EXPORTED))
    assert not missing, (
        f"These fields refer to people but are not in the subject access export: {missing}. "
        "Add them to the app's selectors.personal_data() and to EXPORTED here."
    )
    assert not sorted(set(EXPORTED) - found), "EXPORTED lists fields that no longer exist"


def lookup(export: dict, path: tuple[str, ...]):
    value = export
    for key in path:
        value = value[key]
    return value


@pytest.fixture
def full_world(db):
    """Every field that can refer to a person, used at least once."""
    world = build_world()
    users, objects = world.users, world.objects
    author, senior, admin = users["author"], users["senior"], users["policy_admin"]
    approvals_services.post_comment(actor=senior, post=objects["submitted"], body="Nice photo.")
    give_two_factor(senior)
    services.email_preferences_set(user=author, enabled_kinds=[])
    version = PolicyVersion.objects.filter(status="published").get()
    policy_services.policy_acknowledge(user=author, version=version)
    question, _created = questions.question_ask(actor=author, text="May I share a school post?")
    questions.question_answer(actor=senior, question=question, answer="Yes, as it is.")
    questions.faq_publish(
        actor=senior, question=question, faq_question="Sharing posts?", faq_answer="Yes."
    )
    approvals_services.campaign_decide(actor=senior, campaign=objects["campaign"], approve=True)
    approvals_services.post_correct_publication(
        actor=senior,
        post=objects["published"],
        published_at=objects["published"].published_at,
        url="https://x.com/redbridge/status/2",
        reason="The address of another post was recorded.",
    )
    publish_reviewed(
        actor=admin,
        version=objects["draft_version"],
        change_summary="Annual review.",
        signer=senior,
    )
    concern, _created = concerns.concern_raise(
        actor=author,
        link="https://social.example/post/1",
        description="A parent posted a photo of pupils.",
        urgency="today",
    )
    concerns.concern_take(actor=senior, concern=concern)
    concerns.concern_add_action(actor=senior, concern=concern, body="Asked to remove it.")
    LogEntry.objects.log_actions(user_id=admin.pk, queryset=[admin], action_flag=ADDITION)
    AccountFactory().managers.add(author)
    EmailAddress.objects.create(user=author, email=author.email, verified=True, primary=True)
    SocialAccount.objects.create(user=author, provider="microsoft", uid="abc-123", extra_data={})
    StaffImport.objects.create(uploaded_by=admin, file_name="staff.csv", rows=[])
    return world


def test_each_of_those_fields_really_shows_up_in_the_export(full_world):
    policy_admin = full_world.users["policy_admin"]
    unused = sorted(pair for pair, count in user_references().items() if count == 0)
    assert not unused, f"the world never uses {unused}; extend full_world"
    for pair, (model, field) in fields_referring_to_people().items():
        person_ids = set(model.objects.values_list(field, flat=True)) - {None}
        person = get_user_model().objects.get(pk=sorted(person_ids)[0])
        export = personal_data_export(actor=policy_admin, user=person)
        assert lookup(export, EXPORTED[pair]), f"{pair} rows of {person} missing from the export"
