"""Searching the policy: what staff type, cleaned, expanded with synonyms and other forms of each
word (policy.search_terms), found in a version's clauses, list items, principles and guidelines,
then in the published frequently asked questions."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchVector
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from policy.models import SEARCH_CONFIG, Clause, Guideline, ListItem, PolicyVersion, Principle
from policy.search_terms import ParsedQuery, parse_query, parse_synonym_list, substring_stems
from policy.selectors import current_version, document_key, policy_document

# Any words can be asked, so searches are kept for an hour only, to bound how many there are.
SEARCH_TIMEOUT = 3600

START_MARK, STOP_MARK = "\ue000", "\ue001"
MAX_QUERY_LENGTH = 100
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ue000\ue001]")


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
    # The whole word around a match is marked: a stem ("derogator") marks "derogatory".
    alternatives = "|".join(re.escape(t) for t in terms)
    pattern = re.compile(rf"\w*(?:{alternatives})\w*", re.IGNORECASE)
    parts, position = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(format_html("<mark>{}</mark>", match.group()))
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 (every part escaped above)


def _marked(headline: str) -> SafeString:
    """A PostgreSQL headline (marked with private-use characters) escaped, then marked up."""
    # Escaped first; only the private-use marks become tags.
    marked = escape(headline).replace(START_MARK, "<mark>").replace(STOP_MARK, "</mark>")
    return mark_safe(marked)  # noqa: S308


def _clause_url(clause_number: str) -> str:
    return reverse("policy:clause", kwargs={"number": clause_number})


def synonym_lists() -> list[list[str]]:
    """The policy admins' sets of words that mean the same, read for each search (one small
    query): a change is used at once by every process, with nothing to forget."""
    from policy.models import SearchSynonym

    return [
        parse_synonym_list(words) for words in SearchSynonym.objects.values_list("words", flat=True)
    ]


def search_policy(raw_query: str | None, *, version: PolicyVersion | None = None) -> SearchResults:
    """Search the clauses, list items, principles and guidelines of a version (the current one
    by default) for what staff type: clause numbers ("4.4") find that clause first; each word
    also finds its synonyms and other forms of it (policy.search_terms). Full-text search on
    PostgreSQL, stems as parts of words elsewhere. Never raises for odd input."""
    query = clean_query(raw_query)
    if not query:
        return SearchResults(query, [], _("Enter a word or a few words to search the policy."))
    parsed = parse_query(query, synonym_lists())
    if not parsed.groups and not parsed.clause_numbers:
        return SearchResults(
            query, [], _("Search for words, for example “confidential” or “senior team”.")
        )
    version = version or current_version()
    if version is None:
        return SearchResults(query, [], _("The policy has not been loaded yet."))
    faq = _faq_hits(parsed.words) if parsed.groups else []
    return SearchResults(query, _version_hits(parsed, version) + faq)


def _version_hits(parsed: ParsedQuery, version: PolicyVersion) -> list[SearchHit]:
    """What the version's own text has for the query. A published version's text never
    changes, so its hits are kept in the cache under the version and everything the search
    depends on (the words with their synonyms); a draft, being edited, is searched afresh."""

    def find():
        hits = _clause_number_hits(parsed.clause_numbers, version)
        if parsed.groups:
            found = (
                _search_postgresql(parsed, version)
                if connection.vendor == "postgresql"
                else _search_substrings(parsed, version)
            )
            seen = {hit.label for hit in hits}
            hits += [hit for hit in found if hit.label not in seen]
        return hits

    if version.is_draft:
        return find()
    digest = hashlib.blake2b(parsed.key().encode(), digest_size=16).hexdigest()
    key = document_key(version, f"search2-{version.status}-{connection.vendor}-{digest}")
    hits = cache.get(key)
    if hits is None:
        hits = find()
        cache.set(key, hits, SEARCH_TIMEOUT)
    return hits


def _clause_number_hits(numbers: list[str], version: PolicyVersion) -> list[SearchHit]:
    if not numbers:
        return []
    document = policy_document(version)
    hits = []
    for number in numbers:
        clause = document.clause(number)
        if clause is None:
            continue
        text = Truncator(clause.text).chars(300)
        hits.append(
            SearchHit(
                "clause",
                _("Clause %(number)s") % {"number": clause.number},
                clause.section.title,
                _clause_url(clause.number),
                escape(text),
            )
        )
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


def _search_postgresql(parsed: ParsedQuery, version: PolicyVersion) -> list[SearchHit]:
    def any_of(alternatives):
        combined = None
        for alternative in alternatives:
            part = SearchQuery(alternative, search_type="phrase", config=SEARCH_CONFIG)
            combined = part if combined is None else combined | part
        return combined

    search = None
    for group in parsed.groups:
        search = any_of(group) if search is None else search & any_of(group)

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


def _search_substrings(parsed: ParsedQuery, version: PolicyVersion) -> list[SearchHit]:
    """Without full-text search: every word of the query (or one of its synonyms) must occur,
    as its stem, in part of a word; "bullied" finds "bullying" through the stem "bulli"."""
    groups = [substring_stems(group) for group in parsed.groups]
    groups = [stems for stems in groups if stems]

    def every_group(*field_names):
        condition = Q()
        for stems in groups:
            any_stem = Q()
            for value in stems:
                for name in field_names:
                    any_stem |= Q(**{f"{name}__icontains": value})
            condition &= any_stem
        return condition

    clauses = Clause.objects.filter(every_group("text"), version=version).select_related("section")
    items = ListItem.objects.filter(every_group("text"), clause__version=version).select_related(
        "clause__section"
    )
    principles = Principle.objects.filter(every_group("text"), version=version)
    guidelines = Guideline.objects.filter(every_group("title", "body"), version=version)
    terms = [value for stems in groups for value in stems]
    return _hits(
        version,
        clauses,
        items,
        principles,
        guidelines,
        lambda obj, field_name: highlight(getattr(obj, field_name), terms),
    )
