"""The lists behind the pre-screen of drafts (policy.prescreen): watched words and the
school's usual sites. Policy admins replace them in the portal; each screening reads them
afresh (two small queries), so a change is used at once by every process."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from policy.models import ScreeningTerm, UsualSite
from redbridge_portal import roles
from redbridge_portal.actions import ActionRefused
from redbridge_portal.services import audit_record

DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class ScreeningListError(ActionRefused):
    """A refused change to the pre-screen lists, with a message a user can read."""


def screening_lists() -> tuple[list[str], list[str]]:
    """(watched terms, usual site domains)."""
    return (
        list(ScreeningTerm.objects.values_list("term", flat=True)),
        list(UsualSite.objects.values_list("domain", flat=True)),
    )


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
