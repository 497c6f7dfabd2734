"""The home page's "what needs me now" panel, by role: for everyone, the status of my concerns
and answers to my questions; for the senior team, open concerns and unanswered questions; for
policy admins, the review deadline, acknowledgement progress and the review history. A fixed
number of queries whatever the rows (tests/approvals/test_home_guidance.py).
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone

from approvals.models import Concern, ConcernStatus
from redbridge_portal import roles

RECENT_DAYS = 14


def guidance_panel_context(user) -> dict:
    from policy.models import Acknowledgement, Question, QuestionStatus, ReviewCycle
    from policy.selectors import current_version

    now = timezone.now()
    since = now - timedelta(days=RECENT_DAYS)
    my_concerns = list(
        Concern.objects.filter(reporter=user)
        .filter(~Q(status=ConcernStatus.RESOLVED) | Q(resolved_at__gte=since))
        .order_by("-created_at")[:5]
    )
    my_questions = list(
        Question.objects.filter(asker=user)
        .filter(Q(status=QuestionStatus.ASKED) | Q(answered_at__gte=since))
        .order_by("-created_at")[:5]
    )
    context = {
        "guidance_my_concerns": my_concerns,
        "guidance_my_questions": my_questions,
        "guidance_is_senior": roles.can_decide_posts(user),
        "guidance_is_policy_admin": roles.can_manage_policy(user),
        "guidance_now": now,
    }
    if context["guidance_is_senior"]:
        context["guidance_concerns"] = Concern.objects.aggregate(
            raised=Count("pk", filter=Q(status=ConcernStatus.RAISED)),
            in_hand=Count("pk", filter=Q(status=ConcernStatus.IN_HAND)),
            mine=Count("pk", filter=Q(status=ConcernStatus.IN_HAND, owner=user)),
            urgent=Count("pk", filter=Q(status=ConcernStatus.RAISED, urgency="urgent")),
            oldest=Min("created_at", filter=Q(status=ConcernStatus.RAISED)),
        )
        context["guidance_questions"] = Question.objects.filter(
            status=QuestionStatus.ASKED
        ).aggregate(count=Count("pk"), oldest=Min("created_at"))
    if context["guidance_is_policy_admin"]:
        version = current_version()
        context["guidance_version"] = version
        if version is not None:
            context["guidance_acknowledged"] = Acknowledgement.objects.filter(
                version=version, user__is_active=True
            ).count()
            context["guidance_staff_count"] = roles.staff_members().count()
        context["guidance_review_cycles"] = list(
            ReviewCycle.objects.select_related("version", "completed_by_version").order_by(
                "-due_on"
            )[:3]
        )
        context["guidance_today"] = timezone.localdate()
    return context
