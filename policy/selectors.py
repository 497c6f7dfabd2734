"""Reading the policy: the current version, the whole document as a tree, search, and who has
acknowledged what. Every function here runs a fixed, small number of queries."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchVector
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from policy.models import (
    SEARCH_CONFIG,
    Acknowledgement,
    Clause,
    Guideline,
    ListItem,
    PolicyVersion,
    PolicyVersionStatus,
    Principle,
    Section,
)
from redbridge_portal import roles

# Published versions never change, so their tree and rendered text can be cached for long;
# bump the revision when the templates that render them change.
DOCUMENT_REVISION = 1
DOCUMENT_TIMEOUT = 24 * 3600
# Searches: any words can be asked, so kept for an hour only, to bound how many there are.
SEARCH_TIMEOUT = 3600


def current_version() -> PolicyVersion | None:
    """The published version, or None before the policy has been loaded."""
    return PolicyVersion.objects.published().first()


def draft_version() -> PolicyVersion | None:
    return PolicyVersion.objects.drafts().first()


def version_by_number(number: int, *, user) -> PolicyVersion | None:
    """A version the user may read: published and superseded for everyone, the draft for
    policy admins (a preview)."""
    versions = PolicyVersion.objects.all()
    if not roles.can_manage_policy(user):
        versions = versions.readable()
    return versions.filter(number=number).first()


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


def _document_key(version: PolicyVersion, part: str) -> str:
    return f"policy:{part}:r{DOCUMENT_REVISION}:v{version.pk}"


def policy_document(version: PolicyVersion) -> PolicyDocument:
    """The whole version as a tree: five queries, or none for a published version in cache.
    A draft is always read fresh (it is being edited)."""
    if version.is_draft:
        return _build_document(version)
    key = _document_key(version, "tree")
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
        return mark_safe(render())
    key = _document_key(version, f"html-{version.status}")
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, DOCUMENT_TIMEOUT)
    return mark_safe(html)


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
        return mark_safe(self.html)


def clause_fragment(version: PolicyVersion, number: str) -> ClauseFragment | None:
    """Clause `number` of `version`, rendered; None when the version has no such clause.
    Cached per published version and clause (misses are not cached: any text can be asked)."""
    cacheable = not version.is_draft and _CLAUSE_NUMBER.fullmatch(number or "")
    key = _document_key(version, f"clause-{version.status}-{number}")
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


# --- Search ------------------------------------------------------------------------------------

START_MARK, STOP_MARK = "\ue000", "\ue001"
MAX_QUERY_LENGTH = 100
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ue000\ue001]")
_WORD = re.compile(r"\w[\w'’-]*", re.UNICODE)


@dataclass
class SearchHit:
    kind: str  # clause, item, principle or guideline
    label: str
    context: str
    url: str
    snippet: SafeString


@dataclass
class SearchResults:
    query: str
    hits: list[SearchHit]
    problem: str = ""  # why nothing was searched, in words for the user


def clean_query(raw: str | None) -> str:
    text = _CONTROL.sub(" ", raw or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def highlight(text: str, terms: list[str]) -> SafeString:
    """`text` escaped, with each occurrence of a term (any case) wrapped in <mark>."""
    terms = sorted({t for t in terms if t}, key=len, reverse=True)
    if not terms:
        return escape(text)
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    parts, position = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(format_html("<mark>{}</mark>", match.group()))
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))


def _marked(headline: str) -> SafeString:
    """A PostgreSQL headline (marked with private-use characters) escaped, then marked up."""
    return mark_safe(escape(headline).replace(START_MARK, "<mark>").replace(STOP_MARK, "</mark>"))


def _clause_url(clause_number: str) -> str:
    return reverse("policy:clause", kwargs={"number": clause_number})


def search_policy(raw_query: str | None, *, version: PolicyVersion | None = None) -> SearchResults:
    """Search the clauses, list items, principles and guidelines of a version (the current one
    by default). Full-text search on PostgreSQL (stemmed: "monitor" finds "monitoring"), every
    word as a substring elsewhere. Never raises for odd input."""
    query = clean_query(raw_query)
    terms = [w for w in _WORD.findall(query) if len(w) >= 2]
    if not query:
        return SearchResults(query, [], _("Enter a word or a few words to search the policy."))
    if not terms:
        return SearchResults(
            query, [], _("Search for words, for example “confidential” or “senior team”.")
        )
    version = version or current_version()
    if version is None:
        return SearchResults(query, [], _("The policy has not been loaded yet."))
    return SearchResults(query, _version_hits(query, terms, version) + _faq_hits(terms))


def _version_hits(query: str, terms: list[str], version: PolicyVersion) -> list[SearchHit]:
    """What the version's own text has for the query. A published version's text never
    changes, so its hits are kept in the cache (the same few words are searched again and again
    after a review); a draft, being edited, is searched afresh."""

    def find():
        if connection.vendor == "postgresql":
            return _search_postgresql(query, version)
        return _search_substrings(terms, version)

    if version.is_draft:
        return find()
    # Both searches ignore case, so "Photos" and "photos" share their results.
    digest = hashlib.blake2b(query.casefold().encode(), digest_size=16).hexdigest()
    key = _document_key(version, f"search-{version.status}-{connection.vendor}-{digest}")
    hits = cache.get(key)
    if hits is None:
        hits = find()
        cache.set(key, hits, SEARCH_TIMEOUT)
    return hits


def _faq_hits(terms: list[str]) -> list[SearchHit]:
    """Published frequently asked questions with every term in the question or answer, after
    the policy's own text."""
    from policy.questions import faqs

    hits = []
    for faq in faqs():
        text = f"{faq['question']}\n{faq['answer']}".lower()
        if all(term.lower() in text for term in terms):
            hits.append(
                SearchHit(
                    "faq",
                    faq["question"][:120],
                    _("Frequently asked question"),
                    f"{reverse('policy:faq')}#faq-{faq['pk']}",
                    highlight(faq["answer"][:300], terms),
                )
            )
    return hits


def _hits(version, clauses, items, principles, guidelines, snippet) -> list[SearchHit]:
    hits: list[tuple[tuple, SearchHit]] = []
    for clause in clauses:
        hits.append(
            (
                (0, clause.section.order, clause.order, 0),
                SearchHit(
                    "clause",
                    _("Clause %(number)s") % {"number": clause.number},
                    clause.section.title,
                    _clause_url(clause.number),
                    snippet(clause, "text"),
                ),
            )
        )
    for item in items:
        clause = item.clause
        hits.append(
            (
                (0, clause.section.order, clause.order, 1, item.order, item.pk),
                SearchHit(
                    "item",
                    _("Clause %(number)s, in its list") % {"number": clause.number},
                    clause.section.title,
                    _clause_url(clause.number),
                    snippet(item, "text"),
                ),
            )
        )
    contents = reverse("policy:contents")
    for principle in principles:
        hits.append(
            (
                (1, principle.number),
                SearchHit(
                    "principle",
                    _("Core principle %(number)s") % {"number": principle.number},
                    version.guidelines_title,
                    f"{contents}#{principle.anchor}",
                    snippet(principle, "text"),
                ),
            )
        )
    for guideline in guidelines:
        hits.append(
            (
                (2, guideline.order, guideline.pk),
                SearchHit(
                    "guideline",
                    _("Guideline: %(title)s") % {"title": guideline.title},
                    version.guidelines_title,
                    f"{contents}#{guideline.anchor}",
                    snippet(guideline, "body"),
                ),
            )
        )
    hits.sort(key=lambda pair: pair[0])
    return [hit for _key, hit in hits]


def _search_postgresql(query: str, version: PolicyVersion) -> list[SearchHit]:
    search = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)

    def headline(field_name):
        return SearchHeadline(
            field_name,
            search,
            config=SEARCH_CONFIG,
            start_sel=START_MARK,
            stop_sel=STOP_MARK,
            highlight_all=True,
        )

    # The filters use the same expressions as the GIN indexes on these tables.
    clauses = (
        Clause.objects.filter(version=version)
        .annotate(document=SearchVector("text", config=SEARCH_CONFIG), marked=headline("text"))
        .filter(document=search)
        .select_related("section")
    )
    items = (
        ListItem.objects.filter(clause__version=version)
        .annotate(document=SearchVector("text", config=SEARCH_CONFIG), marked=headline("text"))
        .filter(document=search)
        .select_related("clause__section")
    )
    principles = (
        Principle.objects.filter(version=version)
        .annotate(document=SearchVector("text", config=SEARCH_CONFIG), marked=headline("text"))
        .filter(document=search)
    )
    guidelines = (
        Guideline.objects.filter(version=version)
        .annotate(
            document=SearchVector("title", "body", config=SEARCH_CONFIG), marked=headline("body")
        )
        .filter(document=search)
    )
    return _hits(
        version, clauses, items, principles, guidelines, lambda obj, _f: _marked(obj.marked)
    )


def _search_substrings(terms: list[str], version: PolicyVersion) -> list[SearchHit]:
    def every_term(*field_names):
        condition = Q()
        for term in terms:
            any_field = Q()
            for name in field_names:
                any_field |= Q(**{f"{name}__icontains": term})
            condition &= any_field
        return condition

    clauses = Clause.objects.filter(every_term("text"), version=version).select_related("section")
    items = ListItem.objects.filter(every_term("text"), clause__version=version).select_related(
        "clause__section"
    )
    principles = Principle.objects.filter(every_term("text"), version=version)
    guidelines = Guideline.objects.filter(every_term("title", "body"), version=version)
    return _hits(
        version,
        clauses,
        items,
        principles,
        guidelines,
        lambda obj, field_name: highlight(getattr(obj, field_name), terms),
    )


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
    people = roles.staff_members().order_by("last_name", "first_name", "email")
    rows = [AcknowledgementRow(person, times.get(person.pk)) for person in people]
    rows.sort(key=lambda row: row.acknowledged_at is not None)
    return rows


def home_panel_context(user) -> dict:
    """What the home page's policy panel needs: the current version, whether this user still
    has to acknowledge it, and for policy admins the review status. At most three queries."""
    version = current_version()
    acknowledgement = acknowledgement_for(user, version)
    context = {
        "policy_version": version,
        "policy_acknowledgement": acknowledgement,
        "policy_needs_acknowledgement": version is not None and acknowledgement is None,
        "policy_review_overdue": bool(version and version.review_overdue()),
        "policy_can_manage": roles.can_manage_policy(user),
        "policy_draft": None,
    }
    if context["policy_can_manage"]:
        context["policy_draft"] = draft_version()
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
    }
