"""Who may do what: the one place that knows the school's roles.

Views, templates (through the `can` context variable), services and tasks ask the functions
here; nothing else tests group names. Each role is a Django group whose permissions are set by
`sync_role_groups`, which data migrations call whenever an app adds a permission.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.functional import cached_property

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from redbridge_portal.models import User

STAFF = "Staff"
SENIOR_TEAM = "Senior team"
POLICY_ADMIN = "Policy admin"
ROLES = (STAFF, SENIOR_TEAM, POLICY_ADMIN)

# Permissions are "app_label.codename". Every member of staff is in the Staff group; the other
# groups add to it.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    STAFF: (
        "approvals.add_post",
        "approvals.add_campaign",
    ),
    SENIOR_TEAM: (
        "approvals.decide_post",
        "approvals.decide_campaign",
        "approvals.view_all_posts",
    ),
    POLICY_ADMIN: (
        "policy.manage_policy",
        "policy.view_acknowledgements",
        "redbridge_portal.view_audit_log",
        "redbridge_portal.manage_personal_data",
    ),
}


def sync_role_groups(apps, schema_editor=None) -> None:
    """Create the role groups and give each the permissions listed above that exist so far.

    Safe to run any number of times; usable from a data migration (pass the historical `apps`).
    Permissions are normally created after all migrations have run, so they are created here
    first for every app the historical registry knows.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # Historical app configs have no models module; create_permissions needs it truthy.
        original = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = original

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for dotted in ROLE_PERMISSIONS[role]:
            app_label, codename = dotted.split(".", 1)
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                wanted.append(permission)
        group.permissions.add(*wanted)


def _in_role(user, *perms: str) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perms(perms))


def can_submit_posts(user) -> bool:
    return _in_role(user, "approvals.add_post")


def can_propose_campaigns(user) -> bool:
    return _in_role(user, "approvals.add_campaign")


def can_decide_posts(user) -> bool:
    """Senior team: approve, request changes to or reject posts (never their own)."""
    return _in_role(user, "approvals.decide_post")


def can_decide_campaigns(user) -> bool:
    return _in_role(user, "approvals.decide_campaign")


def can_correct_publication(user) -> bool:
    """Senior team: put right the record of when and where a published post went out."""
    return can_decide_posts(user)


def can_view_calendar(user) -> bool:
    """The content calendar: the senior team, and staff who look after one of the school's
    accounts in use (they read it; deciding stays with the senior team)."""
    if can_decide_posts(user):
        return True
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.managed_accounts.filter(is_active=True).exists()
    )


def can_view_all_posts(user) -> bool:
    return _in_role(user, "approvals.view_all_posts")


def may_see_post_history(user, post) -> bool:
    """A post's whole story (every revision, images removed on request, the reviewers'
    decisions and comments) is for its author and those who review posts. Anyone else who may
    see a published post sees only what went out."""
    return post.author_id == getattr(user, "pk", None) or can_view_all_posts(user)


def can_manage_policy(user) -> bool:
    """Policy admins: run the annual review, edit drafts and publish versions."""
    return _in_role(user, "policy.manage_policy")


def can_view_acknowledgements(user) -> bool:
    return _in_role(user, "policy.view_acknowledgements")


def is_policy_person_responsible(user, version) -> bool:
    """Whether `user` is the person the policy names as responsible for it (by full name)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    name = " ".join(version.person_responsible.split()).casefold()
    return bool(name) and " ".join(user.get_full_name().split()).casefold() == name


def edited_policy_draft(user, version) -> bool:
    """Whether `user` sent `version` for sign-off or changed anything in it (the audit log
    records every change to a draft against it)."""
    if not (user and user.is_authenticated):
        return False
    if version.prepared_by_id == user.pk:
        return True
    from django.contrib.contenttypes.models import ContentType

    from redbridge_portal.models import AuditEvent

    return (
        AuditEvent.objects.filter(
            actor=user,
            action__startswith="policy.draft_",
            target_type=ContentType.objects.get_for_model(version, for_concrete_model=False),
            target_id=str(version.pk),
        )
        .exclude(action__in=("policy.draft_sent_back", "policy.draft_signed_off"))
        .exists()
    )


def may_read_policy_draft(user, version) -> bool:
    """Policy admins, and those who may be asked to sign it off, read a draft before it is
    published."""
    return (
        can_manage_policy(user)
        or is_senior_team(user)
        or is_policy_person_responsible(user, version)
    )


def may_sign_off_policy(user, version) -> bool:
    """Four eyes, as for posts: a member of the senior team or the policy's person
    responsible signs off a draft, never someone who prepared or edited it."""
    if not (is_senior_team(user) or is_policy_person_responsible(user, version)):
        return False
    return not edited_policy_draft(user, version)


def policy_sign_off_candidates(version) -> list[User]:
    """Everyone who may be asked to sign off `version`: the senior team and the person
    responsible, when they have an account."""
    from django.db.models import Value
    from django.db.models.functions import Concat

    from redbridge_portal.models import User

    responsible = (
        User.objects.filter(is_active=True)
        .annotate(full_name=Concat("first_name", Value(" "), "last_name"))
        .filter(full_name__iexact=" ".join(version.person_responsible.split()))
    )
    people = {user.pk: user for user in senior_team_members()}
    people.update({user.pk: user for user in responsible})
    return list(people.values())


def can_view_audit_log(user) -> bool:
    return _in_role(user, "redbridge_portal.view_audit_log")


def can_manage_personal_data(user) -> bool:
    return _in_role(user, "redbridge_portal.manage_personal_data")


def can_manage_people(user) -> bool:
    """Policy admins (who already hold people's personal data): add people, give or remove
    roles, close and reopen accounts, import the staff list."""
    return can_manage_personal_data(user)


def may_change_roles(actor, person) -> bool:
    """Never your own: a policy admin cannot give themselves a role or remove their own."""
    return can_manage_people(actor) and actor.pk != person.pk


def may_confirm_import(user, staff_import) -> bool:
    """A staff list is imported by the person who uploaded it and saw its preview."""
    return can_manage_people(user) and staff_import.uploaded_by_id == user.pk


def may_use_password(user) -> bool:
    """With SSO_ONLY, only superusers (the school's break-glass account) sign in with a portal
    password or reset one; everyone else uses their school account."""
    return not settings.SSO_ONLY or bool(user and user.is_superuser)


def has_role(user, role: str) -> bool:
    """Whether `user` holds `role` itself (not merely its permissions, as a superuser does)."""
    return role in role_names(user)


def can_manage_social_accounts(user) -> bool:
    """Policy admins add, change and retire the school's social media accounts."""
    return can_manage_policy(user)


def is_staff_member(user) -> bool:
    """Anyone on the school's staff (every role includes it): may raise concerns and ask."""
    return can_submit_posts(user)


def is_senior_team(user) -> bool:
    """On the senior team: deals with concerns and answers questions, as well as posts."""
    return can_decide_posts(user)


# --- Rules about one post or campaign -------------------------------------------------------------
# Asked by the post page (what to offer) and by approvals.services (the guard).


def may_see_post(user, post) -> bool:
    """Everyone sees their own and published posts; the senior team also sees every post that
    has been sent to them, never someone's unsent draft. `approvals.selectors.visible_posts` is
    the list form."""
    from approvals.models import PostStatus

    if not (user and user.is_authenticated):
        return False
    if post.author_id == user.pk or post.status == PostStatus.PUBLISHED:
        return True
    return can_view_all_posts(user) and post.current_revision_id is not None


def may_change_post(user, post) -> bool:
    """Change, send, withdraw or copy a post: only its author (its status decides which)."""
    return bool(user and user.is_authenticated) and post.author_id == user.pk


def may_decide(user, post) -> bool:
    """Approve, ask for changes or reject: the senior team, never on their own post."""
    return can_decide_posts(user) and post.author_id != user.pk


def may_decide_campaign(user, campaign) -> bool:
    """Approve or decline a proposed campaign: the senior team, never their own."""
    return can_decide_campaigns(user) and campaign.proposer_id != user.pk


def not_their_own(member, items, *, owner: str = "author_id") -> list:
    """The list form of "never your own" (may_decide, may_decide_campaign) for one member of
    the senior team: the `items` someone else wrote or proposed (`owner` names the field)."""
    return [item for item in items if getattr(item, owner) != member.pk]


def deciders_for(post, senior_team) -> list:
    """The list form of may_decide for one post: of `senior_team` (loaded once by the
    caller), everyone but its author."""
    return [person for person in senior_team if person.pk != post.author_id]


def may_comment(user, post) -> bool:
    """The author, and the senior team once the post has been sent to them."""
    if not (user and user.is_authenticated):
        return False
    return post.author_id == user.pk or (
        can_decide_posts(user) and post.current_revision_id is not None
    )


def may_record_publication(user, post) -> bool:
    """Say that an approved post went out: its author or a member of the senior team."""
    if not (user and user.is_authenticated):
        return False
    return post.author_id == user.pk or can_decide_posts(user)


# --- Rules about one concern or question ------------------------------------------------------
# Asked by the page (what to offer) and by the service (the guard), so the two cannot differ.


def senior_team_or_own(user, queryset: QuerySet, owner_field: str) -> QuerySet:
    """The rows of `queryset` that `user` may see when the senior team see every one and
    anyone else only their own (`owner_field` names who raised or asked it): for concerns and
    questions alike, on their lists and their pages."""
    if is_senior_team(user):
        return queryset
    if not (user and user.is_authenticated):
        return queryset.none()
    return queryset.filter(**{owner_field: user})


def may_take_concern(user, concern) -> bool:
    """A concern waiting for someone, or one another senior-team member is dealing with."""
    from concerns.models import ConcernStatus

    return is_senior_team(user) and (
        concern.status == ConcernStatus.RAISED
        or (concern.status == ConcernStatus.IN_HAND and concern.owner_id != user.pk)
    )


def may_work_on_concern(user, concern) -> bool:
    """Record actions and the outcome: only the senior-team member dealing with it."""
    from concerns.models import ConcernStatus

    return (
        is_senior_team(user)
        and concern.status == ConcernStatus.IN_HAND
        and concern.owner_id == user.pk
    )


def may_answer_question(user, question) -> bool:
    """A question is answered once, by the senior team: the one move a question makes."""
    from policy.models import QuestionStatus

    return is_senior_team(user) and question.status == QuestionStatus.ASKED


def may_publish_answer(user, question) -> bool:
    """Once answered, an answer may become a frequently asked question, once."""
    from policy.models import FrequentlyAskedQuestion, QuestionStatus

    if not (is_senior_team(user) and question.status == QuestionStatus.ANSWERED):
        return False
    try:
        return question.faq is None
    except FrequentlyAskedQuestion.DoesNotExist:
        return True


def may_manage_accounts(user) -> bool:
    """Reset another person's two-factor sign-in: those who handle personal data, or anyone the
    admin site lets change accounts."""
    return can_manage_personal_data(user) or bool(
        user and user.is_active and user.has_perm("redbridge_portal.change_user")
    )


def needs_two_factor(user) -> bool:
    """Those who can approve public posts, change the policy or open the admin site sign in
    with a second factor (when settings.TWO_FACTOR_REQUIRED is on)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return bool(
        user.is_staff
        or can_decide_posts(user)
        or can_decide_campaigns(user)
        or can_manage_policy(user)
    )


def notification_kinds_for(user) -> list[str]:
    """The kinds of notification that can reach `user` in their role, in the order of
    NotificationKind: the email settings page lists only these."""
    from redbridge_portal.models import NotificationKind as Kind

    kinds = {Kind.POLICY_PUBLISHED}
    if can_submit_posts(user) or can_propose_campaigns(user):
        kinds |= {
            Kind.POST_DECIDED,
            Kind.CAMPAIGN_DECIDED,
            Kind.COMMENT_ADDED,
            Kind.AUTHOR_REMINDER,
            Kind.CONCERN_UPDATED,
            Kind.QUESTION_ANSWERED,
        }
    if can_decide_posts(user) or can_decide_campaigns(user):
        kinds |= {
            Kind.POST_SUBMITTED,
            Kind.CAMPAIGN_SUBMITTED,
            Kind.COMMENT_ADDED,
            Kind.APPROVAL_REMINDER,
            Kind.APPROVAL_ESCALATION,
            Kind.URGENT_REMINDER,
            Kind.DIGEST,
            Kind.CONCERN_RAISED,
            Kind.CONCERN_REMINDER,
            Kind.QUESTION_ASKED,
        }
    if can_manage_policy(user):
        kinds |= {Kind.POLICY_REVIEW, Kind.APPROVAL_ESCALATION}
    return [kind for kind in Kind.values if kind in kinds]


def role_names(user) -> list[str]:
    """The user's roles in the order they are listed above, for display."""
    if not (user and user.is_authenticated):
        return []
    names = {group.name for group in user.groups.all()}
    return [role for role in ROLES if role in names]


def members_of(role: str) -> QuerySet[User]:
    """Active users holding `role`, e.g. everyone to tell about a new submission."""
    from redbridge_portal.models import User

    return User.objects.filter(groups__name=role, is_active=True).distinct()


def senior_team_members() -> QuerySet[User]:
    return members_of(SENIOR_TEAM)


def policy_admins() -> QuerySet[User]:
    return members_of(POLICY_ADMIN)


def staff_members() -> QuerySet[User]:
    return members_of(STAFF)


def assign_role(user, role: str) -> None:
    from django.contrib.auth.models import Group

    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}")
    user.groups.add(Group.objects.get(name=role))


class Abilities:
    """What the signed-in user may use, for templates: `{% if can.decide_posts %}`."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def submit_posts(self):
        return can_submit_posts(self.user)

    @cached_property
    def propose_campaigns(self):
        return can_propose_campaigns(self.user)

    @cached_property
    def decide_posts(self):
        return can_decide_posts(self.user)

    @cached_property
    def decide_campaigns(self):
        return can_decide_campaigns(self.user)

    @cached_property
    def senior_team(self):
        return is_senior_team(self.user)

    @cached_property
    def view_calendar(self):
        return can_view_calendar(self.user)

    @cached_property
    def manage_policy(self):
        return can_manage_policy(self.user)

    @cached_property
    def view_acknowledgements(self):
        return can_view_acknowledgements(self.user)

    @cached_property
    def view_audit_log(self):
        return can_view_audit_log(self.user)

    @cached_property
    def manage_personal_data(self):
        return can_manage_personal_data(self.user)

    @cached_property
    def manage_social_accounts(self):
        return can_manage_social_accounts(self.user)

    @cached_property
    def use_two_factor(self):
        return needs_two_factor(self.user)

    @cached_property
    def use_admin_site(self):
        return bool(self.user.is_authenticated and self.user.is_active and self.user.is_staff)
