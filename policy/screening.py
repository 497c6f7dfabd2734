"""The lists behind the pre-screen of drafts (approvals.prescreen): watched words and the
school's usual sites. Policy admins replace them in the portal; reads are cached under the
content stamp (redbridge_portal.stamps), so screening a post page costs no query once warm."""

from __future__ import annotations

import re

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from policy.models import ScreeningTerm, UsualSite
from redbridge_portal import roles, stamps
from redbridge_portal.services import audit_record

CACHE_KEY = "policy:screening-lists:v2"
# Filed under the content stamp, so an entry is only of use until the next change.
CACHE_TIMEOUT = 3600

DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class ScreeningListError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _cache_key() -> str:
    """The entry for the current content stamp. Changing the lists changes the stamp once the
    change commits, so a read of the old lists that is cached late (it started before the
    commit) is filed under the old stamp and never found again."""
    return f"{CACHE_KEY}:{stamps.current()['content']}"


def screening_lists() -> tuple[list[str], list[str]]:
    """(watched terms, usual site domains), from the cache when it can."""
    key = _cache_key()
    cached = cache.get(key)
    if cached is None:
        cached = (
            list(ScreeningTerm.objects.values_list("term", flat=True)),
            list(UsualSite.objects.values_list("domain", flat=True)),
        )
        cache.set(key, cached, CACHE_TIMEOUT)
    return cached


def clean_lines(value: str, *, max_length: int) -> list[str]:
    seen, result = set(), []
    for line in (value or "").splitlines():
        line = " ".join(line.split())[:max_length]
        if line and line.lower() not in seen:
            seen.add(line.lower())
            result.append(line)
    return result


def normalise_domain(value: str) -> str | None:
    value = value.strip().lower()
    value = re.sub(r"^https?://", "", value).split("/")[0]
    if value.startswith("www."):
        value = value[4:]
    return value if DOMAIN.match(value) else None


def screening_lists_replace(*, actor, terms: list[str], domains: list[str]) -> None:
    """Replace both lists with these (already cleaned) values. Policy admins only; audited."""
    if not roles.can_manage_policy(actor):
        raise ScreeningListError(_("Only policy admins can change the pre-screen lists."))
    with transaction.atomic():
        before_terms, before_domains = (
            set(ScreeningTerm.objects.values_list("term", flat=True)),
            set(UsualSite.objects.values_list("domain", flat=True)),
        )
        ScreeningTerm.objects.exclude(term__in=terms).delete()
        ScreeningTerm.objects.bulk_create(
            [ScreeningTerm(term=t) for t in terms if t not in before_terms],
            ignore_conflicts=True,
        )
        UsualSite.objects.exclude(domain__in=domains).delete()
        UsualSite.objects.bulk_create(
            [UsualSite(domain=d) for d in domains if d not in before_domains],
            ignore_conflicts=True,
        )
        audit_record(
            actor=actor,
            action="policy.screening_lists_changed",
            summary="Pre-screen lists changed",
            data={
                "terms_added": sorted(set(terms) - before_terms),
                "terms_removed": sorted(before_terms - set(terms)),
                "sites_added": sorted(set(domains) - before_domains),
                "sites_removed": sorted(before_domains - set(domains)),
            },
        )
        # bulk_create sends no signal. A new content stamp, now and once this commits, files the
        # lists (and the post pages showing their findings) under a new key.
        stamps.changed("content")
