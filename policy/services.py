"""Changes to the policy: loading the school's text, the annual review, acknowledgements.

Views, admin actions and management commands call these functions; nothing else changes a
version's status. A refused action raises PolicyError with a message a user can read.
"""

from __future__ import annotations

import calendar
import datetime
import tomllib
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from policy import selectors
from policy.models import (
    STATUS_TRANSITIONS,
    Acknowledgement,
    Clause,
    Guideline,
    ListItem,
    PolicyVersion,
    PolicyVersionStatus,
    Principle,
    ReviewCycle,
    SearchSynonym,
    Section,
    SignOffState,
)
from redbridge_portal import roles
from redbridge_portal.actions import ActionRefused
from redbridge_portal.models import NotificationKind, SentReminder
from redbridge_portal.services import audit_record, notify

POLICY_FILE = Path(__file__).resolve().parent / "content" / "social-media-policy.toml"
# What a new draft takes over from the version under review; its dates, sign-off and summary of
# changes start afresh.
CARRIED_INTO_REVIEW = (
    "title",
    "school",
    "person_responsible",
    "person_responsible_role",
    "guidelines_title",
    "guidelines_introduction",
    "principles_introduction",
)


class PolicyError(ActionRefused):
    """A refused action on the policy; the message is written for the person who tried it."""


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter (31 Jan + 1
    month = 28 or 29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


def require_policy_admin(actor) -> None:
    """The guard of every annual-review service (the review module's too)."""
    if not roles.can_manage_policy(actor):
        raise PolicyError(_("Only policy admins can run the annual review of the policy."))


def _locked_version(pk: int) -> PolicyVersion:
    return PolicyVersion.objects.select_for_update().get(pk=pk)


def _set_status(version: PolicyVersion, new_status: str, *, extra_fields=()) -> None:
    """The one place a version changes status, along STATUS_TRANSITIONS."""
    if new_status not in STATUS_TRANSITIONS[version.status]:
        raise PolicyError(
            _("Version %(number)s is %(status)s and cannot become %(new)s.")
            % {
                "number": version.number,
                "status": version.get_status_display().lower(),
                "new": PolicyVersionStatus(new_status).label.lower(),
            }
        )
    version.status = new_status
    version.save(update_fields=["status", *extra_fields])


# --- Loading the school's policy ---------------------------------------------------------------


def _create_items(clause: Clause, items: list[dict], parent: ListItem | None = None) -> None:
    for order, data in enumerate(items, start=1):
        item = ListItem.objects.create(clause=clause, parent=parent, text=data["text"], order=order)
        _create_items(clause, data.get("items", []), parent=item)


def policy_load_from_file(*, path: Path = POLICY_FILE) -> tuple[PolicyVersion, bool]:
    """Import the school's policy file as the first published version, once.

    Returns (version, created). When any version exists already nothing is changed: the file
    is where the portal starts, later versions come from the annual review.
    """
    with transaction.atomic():
        existing = PolicyVersion.objects.select_for_update().order_by("number").first()
        if existing is not None:
            return existing, False
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        guidelines = data["guidelines"]
        version = PolicyVersion.objects.create(
            number=1,
            title=data["title"],
            school=data["school"],
            person_responsible=data["person_responsible"],
            person_responsible_role=data["person_responsible_role"],
            guidelines_title=guidelines["title"],
            guidelines_introduction=guidelines["introduction"],
            principles_introduction=guidelines["principles_introduction"],
            change_summary=_("The school's policy as it stood when the portal opened."),
        )
        for section_order, section_data in enumerate(data["sections"], start=1):
            section = Section.objects.create(
                version=version,
                number=section_data["number"],
                title=section_data["title"],
                order=section_order,
            )
            for clause_order, clause_data in enumerate(section_data.get("clauses", []), start=1):
                clause = Clause.objects.create(
                    section=section,
                    number=clause_data["number"],
                    text=clause_data["text"],
                    order=clause_order,
                )
                _create_items(clause, clause_data.get("items", []))
        Principle.objects.bulk_create(
            Principle(version=version, number=p["number"], text=p["text"])
            for p in guidelines["principles"]
        )
        Guideline.objects.bulk_create(
            Guideline(
                version=version,
                title=g["title"],
                slug=slugify(g["title"]),
                body=g["body"],
                order=order,
            )
            for order, g in enumerate(guidelines["guidelines"], start=1)
        )
        # The dates are the school's, from the file; publishing here tells nobody, as there is
        # nothing new for staff to read yet (each is asked to acknowledge version 1 at home).
        version.last_review_date = data["last_review_date"]
        version.next_review_due = data["next_review_due"]
        version.published_at = timezone.now()
        version.status = PolicyVersionStatus.PUBLISHED
        # The school's own text was agreed before the portal: nobody signed it off here.
        version.sign_off_state = SignOffState.NOT_RECORDED
        version.save()
        audit_record(
            actor=None,
            action="policy.loaded",
            target=version,
            summary=_("Loaded the school's policy file as version 1."),
        )
        _review_cycle_roll(published=version)
    return version, True


# --- The annual review -------------------------------------------------------------------------


def _review_cycle_roll(*, published: PolicyVersion) -> ReviewCycle:
    """Record the review deadlines (clause 8.1): publishing completes the review cycle that was
    open (on time or late) and opens the next one, due on the new version's review date. Runs
    inside the publishing transaction."""
    today = timezone.localdate()
    ReviewCycle.objects.filter(completed_on__isnull=True).exclude(version=published).update(
        completed_on=today, completed_by_version=published
    )
    cycle, _created = ReviewCycle.objects.get_or_create(
        version=published, defaults={"due_on": published.next_review_due}
    )
    return cycle


def _copy_items(items_by_parent, old_parent_id, new_clause, new_parent=None) -> None:
    for item in items_by_parent.get(old_parent_id, []):
        copy = ListItem.objects.create(
            clause=new_clause, parent=new_parent, text=item.text, order=item.order
        )
        _copy_items(items_by_parent, item.pk, new_clause, copy)


def policy_review_start(*, actor) -> PolicyVersion:
    """Start the annual review: copy the published version, with everything in it, into a new
    draft that policy admins edit in the portal (policy.review). Only one draft may exist at a
    time (the database holds that rule too). Records `policy.review_started` in the audit log."""
    require_policy_admin(actor)
    with transaction.atomic():
        if PolicyVersion.objects.drafts().exists():
            raise PolicyError(
                _("A draft is already being reviewed. Edit or publish it before starting another.")
            )
        source = PolicyVersion.objects.published().select_for_update().first()
        if source is None:
            raise PolicyError(_("There is no published version to review yet."))
        last_number = PolicyVersion.objects.order_by("-number").values_list("number", flat=True)[0]
        try:
            with transaction.atomic():
                draft = PolicyVersion.objects.create(
                    number=last_number + 1,
                    status=PolicyVersionStatus.DRAFT,
                    based_on=source,
                    created_by=actor,
                    **{name: getattr(source, name) for name in CARRIED_INTO_REVIEW},
                )
        except IntegrityError as error:  # someone else started a review a moment ago
            raise PolicyError(
                _("A draft is already being reviewed. Edit or publish it before starting another.")
            ) from error
        items_by_clause: dict[int, dict[int | None, list[ListItem]]] = {}
        for item in ListItem.objects.filter(clause__version=source).order_by("order", "pk"):
            items_by_clause.setdefault(item.clause_id, {}).setdefault(item.parent_id, []).append(
                item
            )
        for section in source.sections.prefetch_related("clauses"):
            new_section = Section.objects.create(
                version=draft, number=section.number, title=section.title, order=section.order
            )
            for clause in section.clauses.all():
                new_clause = Clause.objects.create(
                    section=new_section, number=clause.number, text=clause.text, order=clause.order
                )
                _copy_items(items_by_clause.get(clause.pk, {}), None, new_clause)
        Principle.objects.bulk_create(
            Principle(version=draft, number=p.number, text=p.text) for p in source.principles.all()
        )
        Guideline.objects.bulk_create(
            Guideline(version=draft, title=g.title, slug=g.slug, body=g.body, order=g.order)
            for g in source.guidelines.all()
        )
        audit_record(
            actor=actor,
            action="policy.review_started",
            target=draft,
            summary=_("Started the annual review: version %(number)s is a draft copy of %(old)s.")
            % {"number": draft.number, "old": source.number},
        )
    return draft


def policy_review_discard(*, actor, version: PolicyVersion) -> None:
    """Throw away a draft (the review is started again from the published version)."""
    require_policy_admin(actor)
    with transaction.atomic():
        version = _locked_version(version.pk)
        if not version.is_draft:
            raise PolicyError(_("Only a draft can be discarded; published versions are kept."))
        audit_record(
            actor=actor,
            action="policy.draft_discarded",
            target=version,
            summary=_("Discarded the draft of version %(number)s.") % {"number": version.number},
        )
        version.delete()


def policy_version_publish(
    *, actor, version: PolicyVersion, change_summary: str | None = None
) -> PolicyVersion:
    """Make a signed-off draft the current policy (policy.review holds the sign-off).

    The summary for staff is the one signed off with the draft; `change_summary`, when given,
    must be that text (a summary that changed after sign-off would not have been checked).
    Sets last review to today and next review due to today plus POLICY_REVIEW_PERIOD_MONTHS;
    the previously published version becomes superseded (still readable at its own address).
    Records `policy.published` in the audit log and asks every member of staff to acknowledge
    the new version (notifications, emailed after commit), and closes the review cycle.
    """
    require_policy_admin(actor)
    with transaction.atomic():
        version = _locked_version(version.pk)
        if not version.is_draft:
            raise PolicyError(
                _("Version %(number)s has already been published.") % {"number": version.number}
            )
        if version.sign_off_state != SignOffState.SIGNED_OFF:
            raise PolicyError(
                _(
                    "Version %(number)s has not been signed off yet. Send it for sign-off: a "
                    "member of the senior team or the person responsible checks it first."
                )
                % {"number": version.number}
            )
        if change_summary is not None and change_summary.strip() != version.change_summary:
            raise PolicyError(
                _("The summary of changes differs from the one signed off. Reopen the draft.")
            )
        change_summary = version.change_summary.strip()
        if not change_summary:
            raise PolicyError(_("Enter a short summary of what changed, for staff to read."))
        if not version.sections.exists() or not Clause.objects.filter(version=version).exists():
            raise PolicyError(_("A version needs at least one section with a clause."))
        previous = PolicyVersion.objects.published().select_for_update().first()
        if previous is not None:
            _set_status(previous, PolicyVersionStatus.SUPERSEDED)
        today = timezone.localdate()
        version.last_review_date = today
        version.next_review_due = add_months(today, settings.POLICY_REVIEW_PERIOD_MONTHS)
        version.published_at = timezone.now()
        version.published_by = actor
        version.change_summary = change_summary
        _set_status(
            version,
            PolicyVersionStatus.PUBLISHED,
            extra_fields=[
                "last_review_date",
                "next_review_due",
                "published_at",
                "published_by",
                "change_summary",
            ],
        )
        _review_cycle_roll(published=version)
        audit_record(
            actor=actor,
            action="policy.published",
            target=version,
            summary=change_summary,
            data={
                "number": version.number,
                "superseded": previous.number if previous else None,
                "next_review_due": version.next_review_due.isoformat(),
            },
        )
        notify(
            recipients=roles.staff_members(),
            kind=NotificationKind.POLICY_PUBLISHED,
            subject=_("Please read version %(number)s of the Social Media Policy")
            % {"number": version.number},
            message=_(
                "A new version of the school's Social Media Policy (version %(number)s) has been "
                "published. What changed: %(summary)s Please read it and confirm that you have "
                "read and understood it."
            )
            % {"number": version.number, "summary": _sentence(change_summary)},
            url=(
                selectors.changes_url(previous, version) if previous else reverse("policy:contents")
            ),
            key=f"policy-published-{version.pk}",
        )
    return version


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."


# --- Acknowledgements --------------------------------------------------------------------------


def policy_acknowledge(*, user, version: PolicyVersion) -> Acknowledgement:
    """Record that `user` has read and understood `version` (the current one). Idempotent:
    acknowledging again keeps the first time."""
    if not (user and user.is_authenticated and user.is_active):
        raise PolicyError(_("Sign in to acknowledge the policy."))
    if version.status != PolicyVersionStatus.PUBLISHED:
        raise PolicyError(
            _("Version %(number)s is not the current policy. Read the current version instead.")
            % {"number": version.number}
        )
    existing = Acknowledgement.objects.filter(user=user, version=version).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Acknowledgement.objects.create(user=user, version=version)
    except IntegrityError:  # a double click: the first one counted
        return Acknowledgement.objects.get(user=user, version=version)


def acknowledgement_reminders_send(
    *, version: PolicyVersion, key: str, today: datetime.date, actor=None
) -> int | None:
    """Remind every member of staff who has not acknowledged `version`, once for `key`.

    The SentReminder row (unique `key`) makes the whole round happen once, even from two
    runs at once; each notification's key names the version and the day, so nobody gets two
    reminders on one day whether they came by hand or automatically. Returns how many were
    reminded now, or None when a round with this key already went out."""
    waiting = list(roles.staff_members().exclude(policy_acknowledgements__version=version))
    try:
        with transaction.atomic():
            SentReminder.objects.create(key=key)
            created = notify(
                recipients=waiting,
                kind=NotificationKind.POLICY_PUBLISHED,
                subject=_("Reminder: please read version %(number)s of the Social Media Policy")
                % {"number": version.number},
                message=_(
                    "You have not yet confirmed that you have read version %(number)s of the "
                    "school's Social Media Policy, published on %(date)s. Please read it (or "
                    "what changed since the version you last acknowledged) and confirm."
                )
                % {
                    "number": version.number,
                    "date": timezone.localdate(version.published_at).strftime("%-d %B %Y"),
                },
                url=reverse("policy:contents"),
                key=f"policy-ack-reminder:{version.pk}:{today.isoformat()}",
            )
            audit_record(
                actor=actor,
                action="policy.acknowledgement_reminder",
                target=version,
                summary=_("Reminded %(count)s member(s) of staff to acknowledge version %(n)s.")
                % {"count": len(created), "n": version.number},
                data={"key": key, "reminded": len(created)},
            )
    except IntegrityError:
        return None
    return len(created)


def policy_acknowledgement_remind(*, actor, version: PolicyVersion) -> int:
    """ "Remind those who have not": at most once a day for each version."""
    if not roles.can_view_acknowledgements(actor):
        raise PolicyError(_("Only policy admins can remind staff to acknowledge the policy."))
    if version.status != PolicyVersionStatus.PUBLISHED:
        raise PolicyError(_("Only the current version of the policy can be acknowledged."))
    today = timezone.localdate()
    sent = acknowledgement_reminders_send(
        version=version,
        key=f"policy-ack:{version.pk}:by-hand:{today.isoformat()}",
        today=today,
        actor=actor,
    )
    if sent is None:
        raise PolicyError(
            _("Staff were already reminded today. You can remind them again tomorrow.")
        )
    return sent


# --- Search words --------------------------------------------------------------------------------


def search_synonym_add(*, actor, words: list[str]) -> SearchSynonym:
    """Add a set of words the policy search treats as the same."""
    require_policy_admin(actor)
    words = [" ".join(word.split()) for word in words if word.strip()]
    if len(words) < 2:
        raise PolicyError(_("Enter two or more words, separated by commas."))
    text = ", ".join(words)[:300]
    with transaction.atomic():
        if SearchSynonym.objects.filter(words__iexact=text).exists():
            raise PolicyError(_("These words are already on the list."))
        try:
            with transaction.atomic():
                synonym = SearchSynonym.objects.create(words=text)
        except IntegrityError as error:
            raise PolicyError(_("These words are already on the list.")) from error
        audit_record(
            actor=actor, action="policy.search_synonym_added", target=synonym, summary=text
        )
    return synonym


def search_synonym_remove(*, actor, synonym: SearchSynonym) -> None:
    require_policy_admin(actor)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="policy.search_synonym_removed",
            target=synonym,
            summary=synonym.words,
        )
        SearchSynonym.objects.filter(pk=synonym.pk).delete()
