"""What each recorded action means, in words: the audit log shows "Signed in", not
`login.succeeded`. An action not listed here (added later) is shown tidied up from its code."""

from django.utils.translation import gettext_lazy as _

ACTION_WORDS = {
    "access.refused": _("Refused access to a page"),
    "account.backup_codes_replaced": _("Made new backup codes"),
    "account.two_factor_enabled": _("Turned on two-factor sign-in"),
    "account.two_factor_reset": _("Two-factor sign-in reset"),
    "audit_log.exported": _("Downloaded the audit log"),
    "calendar.closure_added": _("Added a school closure"),
    "calendar.closure_removed": _("Removed a school closure"),
    "campaign.proposed": _("Proposed a campaign"),
    "campaign.approved": _("Approved a campaign"),
    "campaign.declined": _("Declined a campaign"),
    "concern.action_recorded": _("Recorded an action on a concern"),
    "concern.raised": _("Raised a concern"),
    "concern.resolved": _("Resolved a concern"),
    "concern.taken": _("Took on a concern"),
    "login.failed": _("Failed to sign in"),
    "login.locked_out": _("Locked out after failed sign-ins"),
    "login.succeeded": _("Signed in"),
    "login.two_factor_failed": _("Entered a wrong two-factor code"),
    "login.two_factor_verified": _("Entered a two-factor code"),
    "logout": _("Signed out"),
    "personal_data.exported": _("Exported someone's personal data"),
    "policy.draft_discarded": _("Discarded a draft of the policy"),
    "policy.loaded": _("Loaded the policy"),
    "policy.published": _("Published a version of the policy"),
    "policy.review_started": _("Started the policy review"),
    "policy.screening_lists_changed": _("Changed the pre-screen lists"),
    "post.approved": _("Approved a post"),
    "post.changes_requested": _("Asked for changes to a post"),
    "post.commented": _("Commented on a post"),
    "post.created": _("Started a post"),
    "post.edited": _("Changed a post"),
    "post.publication_corrected": _("Corrected a post's publication record"),
    "post.published": _("Recorded that a post went out"),
    "post.rejected": _("Rejected a post"),
    "post.submitted": _("Sent a post to the senior team"),
    "post.withdrawn": _("Withdrew a post"),
    "question.answered": _("Answered a question"),
    "question.asked": _("Asked a question"),
    "question.published_as_faq": _("Published a question as an FAQ"),
    "user.anonymised": _("Anonymised a person"),
    "user.created": _("Added a person"),
    "user.deactivated": _("Stopped someone signing in"),
    "user.reactivated": _("Let someone sign in again"),
    "user.roles_changed": _("Changed someone's roles"),
}

FAMILY_WORDS = {
    "access.": _("Refused access"),
    "account.": _("Two-factor sign-in"),
    "audit_log.": _("The audit log"),
    "calendar.": _("School closures"),
    "campaign.": _("Campaigns"),
    "concern.": _("Concerns"),
    "login.": _("Signing in"),
    "logout.": _("Signing out"),
    "personal_data.": _("Personal data"),
    "policy.": _("The policy"),
    "post.": _("Posts"),
    "question.": _("Questions"),
    "user.": _("People"),
}


def action_in_words(action: str) -> str:
    words = ACTION_WORDS.get(action)
    if words is not None:
        return str(words)
    return action.replace(".", ": ").replace("_", " ").capitalize()


def family_in_words(family: str) -> str:
    words = FAMILY_WORDS.get(family)
    if words is not None:
        return str(words)
    return family.rstrip(".").replace("_", " ").capitalize()
