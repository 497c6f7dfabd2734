"""Pre-screening a draft against clause 4.4: what a careful reader would question.

`prescreen()` is a pure function: text in, findings out, no database. The lists the policy
admins maintain (watched words and the school's usual sites) are passed in; `screening_lists()`
beside it in policy.screening reads them. Findings never block anything: they inform the author
and the reviewer, each linked to the clause it comes from.

Every pattern is compiled once at import and none can backtrack badly, so a 5,000-character post
is screened in a few milliseconds (`python -m bench.prescreen` measures it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

CLAUSE = "4.4"


class FindingKind:
    EMAIL = "email"
    PHONE = "phone"
    ADDRESS = "address"
    MENTION = "mention"
    NAME = "name"
    LINK = "link"
    TERM = "term"
    MEDIA = "media"
    REPOST = "repost"


# What each kind of finding asks the author to think about, and the clause it comes from.
ADVICE: dict[str, tuple[str, str]] = {
    FindingKind.EMAIL: (
        CLAUSE,
        _("An email address: is it confidential or someone's personal information?"),
    ),
    FindingKind.PHONE: (
        CLAUSE,
        _("A phone number: is it confidential or someone's personal information?"),
    ),
    FindingKind.ADDRESS: (
        CLAUSE,
        _("A postal address or postcode: is it confidential or someone's personal information?"),
    ),
    FindingKind.MENTION: (
        CLAUSE,
        _("Someone is mentioned by their account: do they agree to be named?"),
    ),
    FindingKind.NAME: (
        CLAUSE,
        _("A person's full name: this is personal information, so ask for their consent."),
    ),
    FindingKind.LINK: (
        CLAUSE,
        _("A link to a site that is not on the school's list of usual sites: check where it goes."),
    ),
    FindingKind.TERM: (
        CLAUSE,
        _("A word on the policy admins' watch list: check it is not confidential or offensive."),
    ),
    FindingKind.MEDIA: (
        CLAUSE,
        _("An image from someone else: make sure the acknowledgement or permission is in order."),
    ),
    FindingKind.REPOST: (
        CLAUSE,
        _("A re-post of someone else's content: it must meet clause 4.4 as if it were ours."),
    ),
}


@dataclass(frozen=True)
class Finding:
    kind: str
    found: str  # the words in the draft, shown escaped
    detail: str = ""

    @property
    def clause(self) -> str:
        return ADVICE[self.kind][0]

    @property
    def advice(self) -> str:
        return str(ADVICE[self.kind][1])


EMAIL = re.compile(r"\b[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+\b")
# UK numbers: 01234 567890, 07700 900123, +44 20 7946 0000, (020) 7946 0000.
PHONE = re.compile(
    r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?|\(?0)\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\w)"
)
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b")
STREET = re.compile(
    r"\b\d{1,4}[a-z]?,?\s+(?:[A-Z][a-z]+\s){1,3}"
    r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Gardens|Grove|Way|Crescent|Place|"
    r"Court|Terrace|Hill|Park|Square|Walk|Mews)\b"
)
MENTION = re.compile(r"(?<![\w@.])@(\w{1,30})\b")
URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']{1,400}", re.IGNORECASE)
BARE_DOMAIN = re.compile(
    r"(?<![\w@/.-])((?:[a-z0-9-]{1,63}\.)+(?:com|org|net|uk|co\.uk|org\.uk|gov\.uk|ac\.uk|"
    r"sch\.uk|io|info|me|ly|tv|edu))\b(?!@)",
    re.IGNORECASE,
)
REPOST = re.compile(
    r"(?:\bRT\s+@|\bvia\s+@|\bre-?post(?:ed|ing)?\b|\bre-?gram\b|\bre-?tweet(?:ed)?\b|"
    r"\bshared from\b|\bcourtesy of\b|\boriginally posted by\b|\bcredit:)",
    re.IGNORECASE,
)
TITLE_NAME = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Dame)\.?\s+[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?"
)
CAPITALISED_PAIR = re.compile(r"\b([A-Z][a-z'’-]{1,20})\s+((?:Mc|Mac|O')?[A-Z][a-z'’-]{1,25})\b")

# Common first names in English schools: a capitalised word from this list followed by another
# capitalised word reads as a full name ("Sam Patel"), while "Sports Day" or "Year Six" does not.
FIRST_NAMES = frozenset(
    """
    aaliyah aaron abdul abigail adam adrian ahmed aisha alex alexander alexandra alfie ali alice
    alicia amelia amina amir amy andrea andrew angela anna anne anthony archie arthur ava ayesha
    barbara ben benjamin beth bethany billy bob bradley brian callum cameron carl caroline
    catherine charles charlie charlotte chloe chris christine christopher claire connor daisy
    daniel danny david deborah dennis dylan edward eleanor elijah elizabeth ella ellie emily emma
    eric ethan eva evie fatima finley florence frances freddie freya gary george georgia grace
    hannah harley harriet harry harvey hassan helen henry holly hugo ibrahim imogen isaac isabel
    isabella isla ivy jack jacob jade james jamie jane jasmine jason jayden jennifer jessica jo joe
    john jonathan jordan joseph joshua julia julie karen kate katie kevin kyle laura lauren layla
    leah lee leo lewis liam lily lola louis louise lucas lucy luke maisie margaret maria mark martin
    mary matilda matthew maya megan mia michael michelle mohammed muhammad molly nathan neil nicola
    noah oliver olivia omar oscar owen paul peter phoebe poppy priya rachel rebecca reuben richard
    riley robert rosie ruby ryan sam samuel sandra sarah scarlett sean sebastian sienna simon
    sofia sophia sophie stephen steven susan theo thomas tom tommy toby tyler victoria william
    yusuf zac zara zoe jo tom priya alex sam
    """.split()
)

REPEAT_LIMIT = 20  # findings of one kind shown before "and N more" would only be noise


def _domain(url: str) -> str:
    if not re.match(r"https?://", url, re.IGNORECASE):
        url = "http://" + url
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def _is_usual(domain: str, usual_sites: Iterable[str]) -> bool:
    return any(domain == site or domain.endswith("." + site) for site in usual_sites)


def terms_pattern(terms: Iterable[str]) -> re.Pattern | None:
    """One alternation for the whole watch list, longest first so "staff meeting" wins over
    "staff"; whole words only, any case."""
    cleaned = sorted({t.strip().lower() for t in terms if t and t.strip()}, key=len, reverse=True)
    if not cleaned:
        return None
    alternatives = "|".join(re.escape(term).replace(r"\ ", r"\s+") for term in cleaned)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class MediaFacts:
    """What prescreen needs to know about an attached image (PostMedia or a form's answers)."""

    source: str
    credit: str = ""
    permission_from: str = ""


def prescreen(
    text: str,
    *,
    link: str = "",
    media: Sequence[MediaFacts] = (),
    terms: re.Pattern | Iterable[str] | None = None,
    usual_sites: Iterable[str] = (),
) -> list[Finding]:
    """Everything in a draft a careful reader would question under clause 4.4, in the order
    of the kinds above, each finding once."""
    text = (text or "")[:20_000]
    usual = [s.lower().strip() for s in usual_sites if s and s.strip()]
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, found: str, detail: str = "") -> None:
        key = (kind, found.lower())
        if key in seen or sum(1 for k, _f in seen if k == kind) >= REPEAT_LIMIT:
            return
        seen.add(key)
        findings.append(Finding(kind=kind, found=found, detail=detail))

    emails = [m.group(0) for m in EMAIL.finditer(text)]
    for email in emails:
        add(FindingKind.EMAIL, email)
    for match in PHONE.finditer(text):
        if sum(ch.isdigit() for ch in match.group(0)) >= 10:
            add(FindingKind.PHONE, match.group(0).strip())
    for pattern in (STREET, POSTCODE):
        for match in pattern.finditer(text):
            add(FindingKind.ADDRESS, match.group(0))
    email_spans = "\n".join(emails)
    for match in MENTION.finditer(text):
        if match.group(0) not in email_spans:
            add(FindingKind.MENTION, match.group(0))
    for match in TITLE_NAME.finditer(text):
        add(FindingKind.NAME, match.group(0))
    for match in CAPITALISED_PAIR.finditer(text):
        if match.group(1).lower() in FIRST_NAMES:
            add(FindingKind.NAME, match.group(0))

    links = [m.group(0).rstrip(".,;:!?)") for m in URL.finditer(text)]
    without_urls = URL.sub(" ", text)
    without_urls = EMAIL.sub(" ", without_urls)
    links += [m.group(1) for m in BARE_DOMAIN.finditer(without_urls)]
    if link:
        links.append(link)
    for url in links:
        domain = _domain(url)
        if domain and not _is_usual(domain, usual):
            add(FindingKind.LINK, url, detail=domain)

    pattern = terms if isinstance(terms, re.Pattern) or terms is None else terms_pattern(terms)
    if pattern is not None:
        for match in pattern.finditer(text):
            add(FindingKind.TERM, match.group(0))

    for item in media:
        if item.source == "credited":
            credit = (item.credit or "").strip()
            if credit and credit.lower() not in text.lower():
                add(
                    FindingKind.MEDIA,
                    credit,
                    detail=str(_("The acknowledgement is not in the text of the post.")),
                )
        elif item.source == "permission":
            add(
                FindingKind.MEDIA,
                item.permission_from,
                detail=str(_("Used with permission: keep a record of it.")),
            )
        elif item.source not in ("own",):
            add(FindingKind.MEDIA, item.source)

    for match in REPOST.finditer(text):
        add(FindingKind.REPOST, match.group(0))
    return findings


def media_facts(media_items) -> list[MediaFacts]:
    return [
        MediaFacts(source=m.source, credit=m.credit or "", permission_from=m.permission_from or "")
        for m in media_items
    ]


def screen_draft(text: str, *, link: str = "", media_items=()) -> list[Finding]:
    """`prescreen` with the policy admins' current lists (two small queries)."""
    from policy.screening import screening_lists

    terms, sites = screening_lists()
    return prescreen(
        text,
        link=link,
        media=media_facts(media_items),
        terms=_cached_pattern(tuple(terms)),
        usual_sites=sites,
    )


_PATTERNS: dict[tuple[str, ...], re.Pattern | None] = {}


def _cached_pattern(terms: tuple[str, ...]) -> re.Pattern | None:
    if terms not in _PATTERNS:
        if len(_PATTERNS) > 8:
            _PATTERNS.clear()
        _PATTERNS[terms] = terms_pattern(terms)
    return _PATTERNS[terms]
