"""Policy versions of any size, for tests that need more (or less) than the school's text."""

import itertools

from policy.models import (
    Clause,
    Guideline,
    ListItem,
    PolicyVersion,
    PolicyVersionStatus,
    Principle,
    Section,
    SignOffState,
)

_numbers = itertools.count(1000)
# What every built version says about itself; only its number differs.
FRONT_MATTER = {
    "title": "Social Media Policy",
    "school": "Test School",
    "person_responsible": "Alex Hoyle",
    "person_responsible_role": "Assistant Headteacher",
    "guidelines_introduction": "Introduction to the guidelines.",
    "principles_introduction": "The core principles:",
}


def build_version(
    *,
    sections=2,
    clauses=2,
    items=2,
    subitems=1,
    depth=2,
    principles=2,
    guidelines=2,
    status=PolicyVersionStatus.PUBLISHED,
    number=None,
) -> PolicyVersion:
    """A version with `sections` sections of `clauses` clauses, each with `items` list items
    carrying `subitems` nested items per level down to `depth` levels."""
    version = PolicyVersion.objects.create(number=number or next(_numbers), **FRONT_MATTER)

    def add_items(clause, parent, level, count):
        for position in range(1, count + 1):
            item = ListItem.objects.create(
                clause=clause,
                parent=parent,
                order=position,
                text=f"Rule {clause.number} level {level} item {position} or;",
            )
            if level < depth:
                add_items(clause, item, level + 1, subitems)

    for s in range(1, sections + 1):
        section = Section.objects.create(
            version=version, number=str(s), title=f"Section {s}", order=s
        )
        for c in range(1, clauses + 1):
            clause = Clause.objects.create(
                section=section, number=f"{s}.{c}", order=c, text=f"Clause {s}.{c} says this."
            )
            add_items(clause, None, 1, items)
    for p in range(1, principles + 1):
        Principle.objects.create(version=version, number=p, text=f"Principle {p}")
    for g in range(1, guidelines + 1):
        Guideline.objects.create(version=version, title=f"Guideline {g}", body="Body.", order=g)
    if status != PolicyVersionStatus.DRAFT:
        import datetime

        from django.utils import timezone

        version.status = status
        version.published_at = timezone.now()
        version.last_review_date = datetime.date(2025, 9, 1)
        version.next_review_due = datetime.date(2099, 9, 30)
        # Made outside the annual review, so nobody signed it off in the portal.
        version.sign_off_state = SignOffState.NOT_RECORDED
        version.save()
    return version


def publish_reviewed(*, actor, version, change_summary="Reviewed.", signer=None):
    """Publish a draft as the annual review does: the summary written, sent for sign-off by
    `actor`, signed off by someone else (a new member of the senior team unless given)."""
    from policy import review, services
    from tests.factories import SeniorTeamFactory

    review.policy_draft_summary_update(actor=actor, version=version, change_summary=change_summary)
    review.policy_draft_send_for_sign_off(actor=actor, version=version)
    review.policy_draft_sign_off(actor=signer or SeniorTeamFactory(), version=version)
    return services.policy_version_publish(actor=actor, version=version)
