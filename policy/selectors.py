"""Reading the policy: the current version, the whole document as a tree, who has acknowledged
what, the home panel and the review editor (search is in policy.search). Every function here runs
a fixed, small number of queries."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from policy.models import (
    Acknowledgement,
    Clause,
    Guideline,
    ListItem,
    PolicyVersion,
    PolicyVersionStatus,
    Principle,
    Section,
    SignOffState,
)
from redbridge_portal import roles

# Published versions never change, so their tree and rendered text can be cached for long;
# bump the revision when the templates that render them change.
DOCUMENT_REVISION = 1
DOCUMENT_TIMEOUT = 24 * 3600


def current_version(*, people: bool = True) -> PolicyVersion | None:
    """The published version, or None before the policy has been loaded, with who prepared
    and signed it off (shown with it). `people=False` for pages that do not show them (a
    clause, a search): the version's row alone, without joining the user table twice."""
    versions = PolicyVersion.objects.published()
    if people:
        versions = versions.select_related("prepared_by", "signed_off_by")
    return versions.first()


def draft_version() -> PolicyVersion | None:
    return PolicyVersion.objects.drafts().first()


def version_by_number(number: int, *, user) -> PolicyVersion | None:
    """A version the user may read: published and superseded for everyone, the draft (a
    preview) for policy admins and those who sign it off."""
    version = (
        PolicyVersion.objects.select_related("prepared_by", "signed_off_by")
        .filter(number=number)
        .first()
    )
    if version is not None and version.is_draft and not roles.may_read_policy_draft(user, version):
        return None
    return version


def all_versions(*, user) -> list[PolicyVersion]:
    versions = PolicyVersion.objects.select_related("published_by")
    if not roles.can_manage_policy(user):
        versions = versions.readable()
    return list(versions.order_by("-number"))


# --- The document as a tree -------------------------------------------------------------------


@dataclass
class PolicyDocument:
    """A version with everything in it, ready for templates (which then never query).

    sections[i].clause_list -> clauses; clause.item_tree -> top-level items;
    item.subitems -> nested items, to any depth.
    """

    version: PolicyVersion
    sections: list[Section]
    principles: list[Principle]
    guidelines: list[Guideline]
    clauses_by_number: dict[str, Clause] = field(default_factory=dict)

    @property
    def guidelines_number(self) -> int:
        """The guidelines follow the numbered sections in the contents (9 in the source)."""
        return len(self.sections) + 1

    def clause(self, number: str) -> Clause | None:
        return self.clauses_by_number.get(number)


def _build_document(version: PolicyVersion) -> PolicyDocument:
    sections = list(Section.objects.filter(version=version).order_by("order", "pk"))
    clauses = list(Clause.objects.filter(version=version).order_by("order", "pk"))
    items = list(ListItem.objects.filter(clause__version=version).order_by("order", "pk"))
    principles = list(Principle.objects.filter(version=version).order_by("number"))
    guidelines = list(Guideline.objects.filter(version=version).order_by("order", "pk"))

    children: dict[int | None, list[ListItem]] = {}
    top_level: dict[int, list[ListItem]] = {}
    for item in items:
        item.subitems = []
        if item.parent_id is None:
            top_level.setdefault(item.clause_id, []).append(item)
        else:
            children.setdefault(item.parent_id, []).append(item)
    for item in items:
        item.subitems = children.get(item.pk, [])
    by_section: dict[int, list[Clause]] = {}
    for clause in clauses:
        clause.item_tree = top_level.get(clause.pk, [])
        clause.version = version
        by_section.setdefault(clause.section_id, []).append(clause)
    for section in sections:
        section.clause_list = by_section.get(section.pk, [])
        for clause in section.clause_list:
            clause.section = section
    # Sections in reading order, so a clause moved to another section keeps its place.
    ordered = [c for s in sections for c in s.clause_list]
    return PolicyDocument(
        version=version,
        sections=sections,
        principles=principles,
        guidelines=guidelines,
        clauses_by_number={c.number: c for c in ordered},
    )


def document_key(version: PolicyVersion, part: str) -> str:
    """The cache key of a part of a version (its tree, its HTML, a search's hits)."""
    return f"policy:{part}:r{DOCUMENT_REVISION}:v{version.pk}"


def policy_document(version: PolicyVersion) -> PolicyDocument:
    """The whole version as a tree: five queries, or none for a published version in cache.
    A draft is always read fresh (it is being edited)."""
    if version.is_draft:
        return _build_document(version)
    key = document_key(version, "tree")
    document = cache.get(key)
    if document is None:
        document = _build_document(version)
        cache.set(key, document, DOCUMENT_TIMEOUT)
    # The status may have moved on (published -> superseded) since the tree was cached.
    document.version = version
    return document


def policy_html(version: PolicyVersion) -> SafeString:
    """The contents and text of a version, rendered once per published version (it never
    changes), so a cache hit costs no query and no tree. A draft is rendered fresh."""

    def render():
        document = policy_document(version)
        return render_to_string("policy/includes/document.html", {"document": document})

    if version.is_draft:
        return mark_safe(render())  # noqa: S308 (rendered by an autoescaping template)
    key = document_key(version, f"html-{version.status}")
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, DOCUMENT_TIMEOUT)
    return mark_safe(html)  # noqa: S308 (the same template's output, from the cache)


_CLAUSE_NUMBER = re.compile(r"[\w.-]{1,20}")


@dataclass
class ClauseFragment:
    """One clause rendered for its permalink page, with what the page says around it."""

    number: str
    anchor: str
    section_number: str
    section_title: str
    section_anchor: str
    html: str

    @property
    def rendered(self) -> SafeString:
        return mark_safe(self.html)  # noqa: S308 (rendered by an autoescaping template)


def clause_fragment(version: PolicyVersion, number: str) -> ClauseFragment | None:
    """Clause `number` of `version`, rendered; None when the version has no such clause.
    Cached per published version and clause (misses are not cached: any text can be asked)."""
    cacheable = not version.is_draft and _CLAUSE_NUMBER.fullmatch(number or "")
    key = document_key(version, f"clause-{version.status}-{number}")
    if cacheable:
        fragment = cache.get(key)
        if fragment is not None:
            return fragment
    clause = policy_document(version).clause(number)
    if clause is None:
        return None
    section = clause.section
    fragment = ClauseFragment(
        number=clause.number,
        anchor=clause.anchor,
        section_number=section.number,
        section_title=section.title,
        section_anchor=section.anchor,
        html=render_to_string("policy/includes/clause.html", {"clause": clause, "permalink": None}),
    )
    if cacheable:
        cache.set(key, fragment, DOCUMENT_TIMEOUT)
    return fragment


def clauses_by_number(numbers: list[str]) -> dict[str, Clause]:
    """The current wording of the given clauses, for citing them beside a comment. Unknown
    numbers are left out. Each clause has `.section`, `.version` and `.item_tree` loaded."""
    version = current_version()
    if version is None:
        return {}
    document = policy_document(version)
    return {n: document.clause(n) for n in dict.fromkeys(numbers) if document.clause(n)}


# --- Acknowledgements --------------------------------------------------------------------------


def acknowledgement_for(user, version: PolicyVersion | None) -> Acknowledgement | None:
    if version is None or not user.is_authenticated:
        return None
    return Acknowledgement.objects.filter(user=user, version=version).first()


def latest_acknowledgement(user) -> Acknowledgement | None:
    """The user's acknowledgement of the newest version they acknowledged, with its version."""
    if not user.is_authenticated:
        return None
    return (
        Acknowledgement.objects.filter(user=user)
        .select_related("version")
        .order_by("-version__number")
        .first()
    )


def last_acknowledged_version(user) -> PolicyVersion | None:
    acknowledgement = latest_acknowledgement(user)
    return acknowledgement.version if acknowledgement else None


@dataclass
class AcknowledgementRow:
    user: object
    acknowledged_at: object  # datetime or None


def acknowledgement_report(version: PolicyVersion) -> list[AcknowledgementRow]:
    """Every active member of staff, with when they acknowledged `version` (or None); those
    who have not come first. Two queries."""
    times = dict(
        Acknowledgement.objects.filter(version=version).values_list("user_id", "acknowledged_at")
    )
    people = (
        roles.staff_members()
        .order_by("last_name", "first_name", "email")
        .prefetch_related("groups")
    )
    rows = [AcknowledgementRow(person, times.get(person.pk)) for person in people]
    rows.sort(key=lambda row: row.acknowledged_at is not None)
    return rows


ACKNOWLEDGEMENT_FILTERS = ("all", "done", "waiting")
PROGRESS_DAYS = (1, 7, 30)


@dataclass
class ProgressStep:
    days: int
    count: int | None  # None while that many days have not passed yet
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.count / self.total) if self.count is not None and self.total else 0


@dataclass
class AcknowledgementReport:
    rows: list[AcknowledgementRow]  # after the filters
    total: int  # every active member of staff
    done: int
    progress: list[ProgressStep]
    show: str
    role: str

    @property
    def waiting(self) -> int:
        return self.total - self.done


def acknowledgement_report_filtered(
    version: PolicyVersion, *, show: str = "all", role: str = ""
) -> AcknowledgementReport:
    """The report with its filters ("done" or "waiting", and one role), the counts for
    everyone, and how many had acknowledged 1, 7 and 30 days after publishing. Each row has
    `.roles` and `.reminded_at` (the last reminder to acknowledge this version). Four queries."""
    from django.db.models import Max

    from redbridge_portal.models import Notification

    show = show if show in ACKNOWLEDGEMENT_FILTERS else "all"
    role = role if role in roles.ROLES else ""
    rows = acknowledgement_report(version)
    reminded = dict(
        Notification.objects.filter(key__startswith=f"policy-ack-reminder:{version.pk}:")
        .values("recipient_id")
        .annotate(last=Max("created_at"))
        .values_list("recipient_id", "last")
    )
    for row in rows:
        row.roles = roles.role_names(row.user)
        row.reminded_at = reminded.get(row.user.pk)
    done = sum(1 for row in rows if row.acknowledged_at)
    progress = []
    if version.published_at:
        now = timezone.now()
        for days in PROGRESS_DAYS:
            cutoff = version.published_at + timedelta(days=days)
            count = (
                sum(1 for row in rows if row.acknowledged_at and row.acknowledged_at <= cutoff)
                if cutoff <= now
                else None
            )
            progress.append(ProgressStep(days, count, len(rows)))
    shown = [
        row
        for row in rows
        if (show == "all" or (show == "done") == bool(row.acknowledged_at))
        and (not role or role in row.roles)
    ]
    return AcknowledgementReport(shown, len(rows), done, progress, show, role)


def home_panel_context(user) -> dict:
    """What the home page's policy panel needs: the current version, whether this user still
    has to acknowledge it, for policy admins the review status, and for those who may sign it
    off a draft waiting for them. Two queries (one more while a draft awaits sign-off, three
    more for policy admins)."""
    can_manage = roles.can_manage_policy(user)
    # The current version and the draft in one query. The draft is loaded for everyone because
    # whether someone may read it (as the person it names responsible) depends on the draft.
    versions = list(
        PolicyVersion.objects.filter(
            status__in=[PolicyVersionStatus.PUBLISHED, PolicyVersionStatus.DRAFT]
        ).select_related("prepared_by", "signed_off_by")
    )
    version = next((v for v in versions if v.status == PolicyVersionStatus.PUBLISHED), None)
    draft = next((v for v in versions if v.status == PolicyVersionStatus.DRAFT), None)
    if draft is not None and not roles.may_read_policy_draft(user, draft):
        draft = None
    acknowledgement = acknowledgement_for(user, version)
    context = {
        "policy_version": version,
        "policy_acknowledgement": acknowledgement,
        "policy_needs_acknowledgement": version is not None and acknowledgement is None,
        "policy_review_overdue": bool(version and version.review_overdue()),
        "policy_can_manage": can_manage,
        "policy_draft": draft if can_manage else None,
        # The senior team (and the person responsible) are asked to sign off a waiting draft.
        "policy_sign_off_waiting": (
            draft
            if draft is not None
            and draft.sign_off_state == SignOffState.AWAITING
            and roles.may_sign_off_policy(user, draft)
            else None
        ),
    }
    if can_manage:
        context.update(_review_panel_context(version))
    return context


def _review_panel_context(version: PolicyVersion | None) -> dict:
    """For policy admins: how many active staff have acknowledged the current version, and the
    last three reviews. Three queries."""
    from policy.models import ReviewCycle

    context = {"guidance_version": version, "guidance_today": timezone.localdate()}
    if version is not None:
        context["guidance_acknowledged"] = Acknowledgement.objects.filter(
            version=version, user__is_active=True
        ).count()
        context["guidance_staff_count"] = roles.staff_members().count()
    context["guidance_review_cycles"] = list(
        ReviewCycle.objects.select_related("version", "completed_by_version").order_by("-due_on")[
            :3
        ]
    )
    return context


def changes_url(old: PolicyVersion, new: PolicyVersion) -> str:
    return f"{reverse('policy:changes')}?old={old.number}&new={new.number}"


def status_is_current(version: PolicyVersion) -> bool:
    return version.status == PolicyVersionStatus.PUBLISHED


def review_cycles():
    """Every annual review, newest first, with the version reviewed and the one that completed
    it, for the review history."""
    from policy.models import ReviewCycle

    return ReviewCycle.objects.select_related("version", "completed_by_version").order_by("-due_on")


def personal_data(user) -> dict:
    """What the policy app holds about one person, for a subject access request: the versions
    they acknowledged and when, and the questions they asked with their answers."""
    from policy.models import Question

    return {
        "acknowledgements": [
            {"version": a.version.number, "acknowledged_at": a.acknowledged_at.isoformat()}
            for a in Acknowledgement.objects.filter(user=user)
            .select_related("version")
            .order_by("acknowledged_at")
        ],
        "questions": [
            {
                "asked_at": q.created_at.isoformat(),
                "question": q.text,
                "status": q.status,
                "answer": q.answer,
            }
            for q in Question.objects.filter(asker=user).order_by("created_at", "pk")
        ],
        "questions_answered": [
            {"question": q.pk, "answer": q.answer}
            for q in Question.objects.filter(answered_by=user).order_by("created_at", "pk")
        ],
        **_policy_work_personal_data(user),
    }


def _policy_work_personal_data(user) -> dict:
    """The policy versions a person drafted, prepared, signed off or published and the frequently
    asked questions they published: the record of their work on the policy."""
    from policy.models import FrequentlyAskedQuestion, PolicyVersion

    def version_numbers(**role) -> list[int]:
        return list(
            PolicyVersion.objects.filter(**role).order_by("pk").values_list("number", flat=True)
        )

    return {
        "versions_drafted": version_numbers(created_by=user),
        "versions_published": version_numbers(published_by=user),
        "versions_prepared": version_numbers(prepared_by=user),
        "versions_signed_off": version_numbers(signed_off_by=user),
        "frequently_asked_questions_published": list(
            FrequentlyAskedQuestion.objects.filter(published_by=user)
            .order_by("pk")
            .values_list("pk", flat=True)
        ),
    }


# --- The review editor -------------------------------------------------------------------------


@dataclass
class ReviewEditor:
    """The draft as a tree, each clause, principle and guideline carrying `.change` (a
    policy.diff.UnitChange, or None when unchanged) against the published version."""

    document: PolicyDocument
    comparison: object  # policy.diff.Comparison, or None before anything is published


def review_editor(draft: PolicyVersion) -> ReviewEditor:
    from policy.diff import compare_documents

    document = policy_document(draft)
    current = current_version()
    comparison = None
    by_key = {}
    if current is not None:
        comparison = compare_documents(policy_document(current), document)
        by_key = {change.key: change for change in comparison.changes}
    for section in document.sections:
        for clause in section.clause_list:
            clause.change = by_key.get(f"clause:{clause.number}")
    for principle in document.principles:
        principle.change = by_key.get(f"principle:{principle.number}")
    for guideline in document.guidelines:
        guideline.change = by_key.get(f"guideline:{guideline.slug}")
    return ReviewEditor(document=document, comparison=comparison)


def _flatten_items(items, depth=0) -> list[tuple[ListItem, int]]:
    flat = []
    for item in items:
        flat.append((item, depth))
        flat.extend(_flatten_items(item.subitems, depth + 1))
    return flat


@dataclass
class ClauseEditor:
    clause: Clause
    items: list[tuple[ListItem, int]]  # every item of the clause in reading order, with depth
    change: object  # policy.diff.UnitChange (status "unchanged" when nothing changed)


def _clause_unit_text(clause, items, overrides: dict[int, str], text: str | None) -> str:
    lines = [clause.text if text is None else text]
    for item, depth in items:
        lines.append("    " * depth + "– " + overrides.get(item.pk, item.text))
    return "\n".join(lines)


def clause_change(draft: PolicyVersion, clause_pk: int, *, text=None, items=None, document=None):
    """The word-level difference of one clause of the draft from the published clause with
    the same number, optionally with typed wording in place of the saved one (`text` for the
    clause, `items` {item id: text}). None when the clause is not in the draft."""
    from policy.diff import ADDED, CHANGED, UNCHANGED, Segment, UnitChange, word_diff

    document = document or policy_document(draft)
    clause = next((c for s in document.sections for c in s.clause_list if c.pk == clause_pk), None)
    if clause is None:
        return None
    flat = _flatten_items(clause.item_tree)
    new_text = _clause_unit_text(clause, flat, items or {}, text)
    label = _("Clause %(number)s") % {"number": clause.number}
    current = current_version()
    old = policy_document(current).clause(clause.number) if current else None
    if old is None:
        return UnitChange(
            f"clause:{clause.number}", label, "", ADDED, [Segment("insert", new_text)]
        )
    old_text = _clause_unit_text(old, _flatten_items(old.item_tree), {}, None)
    status = UNCHANGED if old_text == new_text else CHANGED
    return UnitChange(f"clause:{clause.number}", label, "", status, word_diff(old_text, new_text))


def clause_editor(draft: PolicyVersion, clause_pk: int) -> ClauseEditor | None:
    document = policy_document(draft)
    clause = next((c for s in document.sections for c in s.clause_list if c.pk == clause_pk), None)
    if clause is None:
        return None
    return ClauseEditor(
        clause=clause,
        items=_flatten_items(clause.item_tree),
        change=clause_change(draft, clause_pk, document=document),
    )


@dataclass
class Citations:
    """What cites a clause number: decisions and comments on posts, and other clauses."""

    number: str
    decisions: list
    comments: list
    clauses: list

    @property
    def total(self) -> int:
        return len(self.decisions) + len(self.comments) + len(self.clauses)


def clause_citations(draft: PolicyVersion, clause: Clause, *, limit: int = 50) -> Citations:
    from approvals.models import Comment, Decision

    number = clause.number
    # The clause lists are JSON arrays of strings, so the quoted number matches one entry.
    quoted = f'"{number}"'
    decisions = list(
        Decision.objects.filter(cited_clauses__icontains=quoted)
        .select_related("post", "decided_by")
        .order_by("-decided_at")[:limit]
    )
    comments = list(
        Comment.objects.filter(cited_clauses__icontains=quoted)
        .select_related("post", "author")
        .order_by("-created_at")[:limit]
    )
    mention = re.compile(rf"(?<![\w.]){re.escape(number)}(?![\w]|\.[0-9])")
    clauses = [
        other
        for other in Clause.objects.filter(version=draft, text__contains=number).exclude(
            pk=clause.pk
        )
        if mention.search(other.text)
    ]
    return Citations(number=number, decisions=decisions, comments=comments, clauses=clauses)
