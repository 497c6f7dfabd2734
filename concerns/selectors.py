"""Reads for concerns: who may see which, the pages' lists, the home panel, and a person's
data."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from concerns.models import Concern, ConcernAction, ConcernStatus
from redbridge_portal import roles


def visible_concerns(user) -> QuerySet[Concern]:
    """The senior team see every concern; anyone else only those they raised."""
    return roles.senior_team_or_own(user, Concern.objects.all(), "reporter")


def concern_for_page(user, pk: int) -> Concern | None:
    return (
        visible_concerns(user)
        .select_related("reporter", "owner")
        .prefetch_related("actions__author")
        .filter(pk=pk)
        .first()
    )


def concern_lists(user) -> dict:
    """The concerns page: whether the person is on the senior team, the open concerns they
    may see, and the latest resolved ones. One query."""
    concerns = list(
        visible_concerns(user).select_related("reporter", "owner").order_by("-created_at")[:200]
    )
    return {
        "is_senior": roles.is_senior_team(user),
        "open_concerns": [c for c in concerns if c.status != ConcernStatus.RESOLVED],
        "resolved_concerns": [c for c in concerns if c.status == ConcernStatus.RESOLVED][:50],
    }


def personal_data(user) -> dict:
    """The concerns a person raised or dealt with, and what they recorded on them, for a
    subject access request. Three queries."""

    def concern_data(concern: Concern) -> dict:
        return {
            "id": concern.pk,
            "raised_at": concern.created_at.isoformat(),
            "link": concern.link,
            "description": concern.description,
            "urgency": concern.urgency,
            "status": concern.status,
            "has_screenshot": bool(concern.screenshot),
            "outcome": concern.outcome,
        }

    raised = Concern.objects.filter(reporter=user).order_by("created_at", "pk")
    dealt_with = Concern.objects.filter(owner=user).order_by("created_at", "pk")
    actions = (
        ConcernAction.objects.filter(author=user)
        .select_related("concern")
        .order_by("created_at", "pk")
    )
    return {
        "concerns_raised": [concern_data(c) for c in raised],
        "concerns_dealt_with": [concern_data(c) for c in dealt_with],
        "concern_actions_recorded": [
            {"concern": a.concern_id, "at": a.created_at.isoformat(), "what_was_done": a.body}
            for a in actions
        ],
    }


# Resolved concerns stay on the reporter's home panel this long, so they see the outcome.
RECENT_DAYS = 14


def home_panel_context(user) -> dict:
    """The home page's concerns: the person's own (open, or resolved lately) and, for the senior
    team, how many wait and how long the oldest has. One query, two for the senior team."""
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    context = {
        "guidance_my_concerns": list(
            Concern.objects.filter(reporter=user)
            .filter(~Q(status=ConcernStatus.RESOLVED) | Q(resolved_at__gte=since))
            .order_by("-created_at")[:5]
        ),
        "guidance_is_senior": roles.is_senior_team(user),
    }
    if context["guidance_is_senior"]:
        context["guidance_concerns"] = Concern.objects.aggregate(
            raised=Count("pk", filter=Q(status=ConcernStatus.RAISED)),
            in_hand=Count("pk", filter=Q(status=ConcernStatus.IN_HAND)),
            mine=Count("pk", filter=Q(status=ConcernStatus.IN_HAND, owner=user)),
            urgent=Count("pk", filter=Q(status=ConcernStatus.RAISED, urgency="urgent")),
            oldest=Min("created_at", filter=Q(status=ConcernStatus.RAISED)),
        )
    return context
