"""What staff type, turned into what the policy says.

Staff search for "photo", "pupil", "Facebook" or "bullied"; the policy says "images",
"students", "social media" and "bullying". A query is split into words; each word becomes a
group of alternatives: the word itself plus every word or phrase of the synonym lists (kept by
the policy admins, `policy.models.SearchSynonym`) that shares its stem. A clause must match one
alternative of every group. Clause numbers such as "4.4" are picked out first and find that
clause directly.

PostgreSQL's full-text search (the 'english' configuration) stems the alternatives itself; on
SQLite the same Snowball English stemmer is applied here and each stem is matched as a part of
a word, which finds "bullying" for "bullied" just as PostgreSQL does.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

CLAUSE_NUMBER = re.compile(r"(?<![\w.])[0-9]{1,3}(?:\.[0-9]{1,3}){1,3}(?![\w]|\.[0-9])")
WORD = re.compile(r"\w[\w'’-]*", re.UNICODE)
# Words that say where to look rather than what to find ("clause 4.4", "section 6").
POINTERS = frozenset({"clause", "clauses", "section", "sections", "paragraph", "para", "rule"})
MIN_WORD = 2

_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    """The Snowball (Porter 2) English stem, as PostgreSQL's 'english' configuration makes."""
    return _stemmer.stemWord(word.casefold().replace("’", "'"))


def phrase_stem(phrase: str) -> str:
    return " ".join(stem(word) for word in WORD.findall(phrase))


def parse_synonym_list(text: str) -> list[str]:
    """ "photo, image, picture" -> ["photo", "image", "picture"] (blank entries dropped,
    spaces tidied, duplicates removed ignoring case)."""
    seen, words = set(), []
    for part in (text or "").split(","):
        word = " ".join(part.split())
        if word and word.casefold() not in seen:
            seen.add(word.casefold())
            words.append(word)
    return words


@dataclass
class ParsedQuery:
    clause_numbers: list[str] = field(default_factory=list)
    # One list of alternatives per word of the query; the first is the word typed.
    groups: list[list[str]] = field(default_factory=list)

    @property
    def words(self) -> list[str]:
        return [group[0] for group in self.groups]

    def key(self) -> str:
        """Everything the results depend on, for a cache key."""
        groups = "|".join(",".join(sorted(a.casefold() for a in g)) for g in self.groups)
        return f"{','.join(self.clause_numbers)}#{groups}"


def parse_query(query: str, synonym_lists: list[list[str]]) -> ParsedQuery:
    """Split `query` into clause numbers and groups of alternative words."""
    parsed = ParsedQuery()
    for match in CLAUSE_NUMBER.finditer(query):
        if match.group() not in parsed.clause_numbers:
            parsed.clause_numbers.append(match.group())
    rest = CLAUSE_NUMBER.sub(" ", query)
    words = [w for w in WORD.findall(rest) if len(w) >= MIN_WORD and not w.isdigit()]
    if parsed.clause_numbers:
        words = [w for w in words if w.casefold() not in POINTERS]
    # A synonym that is a phrase ("social media") joins the group of each of its words.
    by_stem: dict[str, list[str]] = {}
    for synonyms in synonym_lists:
        for entry in synonyms:
            entry_stem = phrase_stem(entry)
            if " " not in entry_stem:
                by_stem.setdefault(entry_stem, []).extend(synonyms)
    seen_stems = set()
    for word in words:
        word_stem = stem(word)
        if word_stem in seen_stems:
            continue
        seen_stems.add(word_stem)
        alternatives = [word]
        for alternative in by_stem.get(word_stem, []):
            if phrase_stem(alternative) not in {phrase_stem(a) for a in alternatives}:
                alternatives.append(alternative)
        parsed.groups.append(alternatives)
    return parsed


def substring_stems(alternatives: list[str]) -> list[str]:
    """What to look for as part of a word on a database without full-text search: the stem
    of each alternative (phrases word by word), never shorter than the minimum."""
    stems = []
    for alternative in alternatives:
        value = " ".join(_substring_stem(word) for word in WORD.findall(alternative))
        if len(value) >= MIN_WORD and value not in stems:
            stems.append(value)
    return stems


def _substring_stem(word: str) -> str:
    """The part of `word` its stem shares with it: the stem of "derogatory" is "derogatori",
    which is not in the text, but "derogator" is (and in "derogatory" alone)."""
    word = word.casefold()
    shared = os.path.commonprefix([word, stem(word)])
    return shared if len(shared) >= 3 else word
