"""Reminders about posts and campaigns that wait on someone.

Run by the periodic task `approvals.tasks.send_post_reminders`. Everything here reads the state
from the database each run (nothing is scheduled ahead in the broker), and every reminder goes
through `reminder_send_once`, whose unique key makes a second send impossible: running the task
twice, or from two beat processes at once, sends each reminder exactly once.

Waiting for a decision is counted in school working time (weekends and school closures do not
count); waiting on the author and the time to a planned publication are real time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from approvals.models import Campaign, Post, PostStatus
from redbridge_portal import roles
from redbridge_portal.models import NotificationKind
from redbridge_portal.school_calendar import (
    closed_days,
    is_school_day,
    working_hours_between,
    working_times_until,
)
from redbridge_portal.services import reminder_send_once

logger = logging.getLogger(__name__)

AUTHOR_REMINDER_DAYS = 7


@dataclass(frozen=True)
class Waiting:
    """How long a submitted post has waited for a decision, in school working hours."""

    hours: float
    reminder_due: bool
    overdue: bool


def waiting_for_decision(
    submitted_at: datetime | None, *, now: datetime | None = None, closed=None
) -> Waiting:
    """The working hours a post has waited since it was submitted, and whether it is past the
    reminder threshold (APPROVAL_REMINDER_HOURS) or overdue (twice that)."""
    if submitted_at is None:
        return Waiting(0, False, False)
    now = now or timezone.now()
    hours = working_hours_between(submitted_at, now, closed)
    threshold = settings.APPROVAL_REMINDER_HOURS
    return Waiting(hours, hours >= threshold, hours >= 2 * threshold)


def waiting_in_words(waiting: Waiting) -> str:
    """The wait in school working time as a person would say it ("about 3 school hours"),
    never "0 school hours" for a post sent a few minutes ago."""
    if waiting.hours < 1:
        return _("less than a school hour")
    hours = round(waiting.hours)
    return ngettext("about %(hours)s school hour", "about %(hours)s school hours", hours) % {
        "hours": hours
    }


def waiting_for_decisions(
    submitted: list[datetime], *, now: datetime, closed=None
) -> list[Waiting]:
    """`waiting_for_decision` for each of a page's submission times, counted in one pass."""
    threshold = settings.APPROVAL_REMINDER_HOURS
    waits = []
    for worked in working_times_until(submitted, now, closed):
        hours = worked.total_seconds() / 3600
        waits.append(Waiting(hours, hours >= threshold, hours >= 2 * threshold))
    return waits


def closed_days_since(oldest: datetime | None, now: datetime | None = None) -> set:
    """School closures from `oldest` to now, read once for a whole list of posts."""
    if oldest is None:
        return set()
    now = now or timezone.now()
    zone = timezone.get_default_timezone()
    return closed_days(oldest.astimezone(zone).date(), now.astimezone(zone).date())


def _when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "l j F, H:i")


def _post_line(post: Post) -> str:
    return _('"%(text)s" for %(account)s') % {
        "text": f"{post.text[:60]}{'…' if len(post.text) > 60 else ''}",
        "account": post.account.name,
    }


def send_post_reminders(*, now: datetime | None = None) -> dict[str, int]:
    """Send every reminder that is due now; returns how many of each kind went out."""
    now = now or timezone.now()
    sent = {"reminder": 0, "escalation": 0, "urgent": 0, "author": 0}
    waiting = list(
        Post.objects.awaiting_decision()
        .select_related("author", "account", "current_revision")
        .order_by("submitted_at")
    )
    closed = closed_days_since(waiting[0].submitted_at if waiting else None, now)
    deciders = list(roles.senior_team_members())
    escalation_to = list(roles.policy_admins())
    for post in waiting:
        revision = post.current_revision.number if post.current_revision else 0
        key = f"post:{post.pk}:rev:{revision}"
        reviewers = roles.deciders_for(post, deciders)
        state = waiting_for_decision(post.submitted_at, now=now, closed=closed)
        url = post.get_absolute_url()
        sent_on = {
            "author": post.author,
            "post": _post_line(post),
            "when": _when(post.submitted_at),
        }
        if state.reminder_due:
            threshold = settings.APPROVAL_REMINDER_HOURS
            sent["reminder"] += reminder_send_once(
                key=f"{key}:reminder",
                recipients=reviewers,
                kind=NotificationKind.APPROVAL_REMINDER,
                subject=ngettext(
                    "A post has waited %(hours)s school hour for a decision",
                    "A post has waited %(hours)s school hours for a decision",
                    threshold,
                )
                % {"hours": threshold},
                message=_(
                    "%(author)s sent %(post)s on %(when)s. It is still waiting for a decision "
                    "from the senior team.\nPlease approve it, ask for changes or reject it."
                )
                % sent_on,
                url=url,
            )
        if state.overdue:
            overdue_hours = 2 * settings.APPROVAL_REMINDER_HOURS
            overdue_message = ngettext(
                "%(author)s sent %(post)s on %(when)s and it has waited more than %(hours)s "
                "school hour for a decision. It is marked overdue in the queue.\n"
                "A member of the senior team needs to decide on it.",
                "%(author)s sent %(post)s on %(when)s and it has waited more than %(hours)s "
                "school hours for a decision. It is marked overdue in the queue.\n"
                "A member of the senior team needs to decide on it.",
                overdue_hours,
            ) % {**sent_on, "hours": overdue_hours}
            overdue_subject = _("Overdue: a post has waited too long for a decision")
            # The post's page is open to the senior team; a policy admin who is not one of
            # them would get "not found" there, so their email leads to their notifications
            # (which hold the whole message) and says whom to ask.
            may_open = [p for p in escalation_to if roles.may_see_post(p, post)]
            may_not_open = [p for p in escalation_to if not roles.may_see_post(p, post)]
            sent["escalation"] += reminder_send_once(
                key=f"{key}:escalation",
                recipients=[*reviewers, *may_open],
                kind=NotificationKind.APPROVAL_ESCALATION,
                subject=overdue_subject,
                message=overdue_message,
                url=url,
            )
            if may_not_open:
                reminder_send_once(
                    key=f"{key}:escalation-policy-admins",
                    recipients=may_not_open,
                    kind=NotificationKind.APPROVAL_ESCALATION,
                    subject=overdue_subject,
                    message=overdue_message
                    + "\n"
                    + _(
                        "Only the senior team can open the post: please ask one of them to "
                        "decide on it."
                    ),
                    url=reverse("notifications"),
                )
        if post.planned_for and post.planned_for - now <= timedelta(hours=settings.URGENT_HOURS):
            if post.planned_for <= now:
                urgent_message = _(
                    "%(author)s's post %(post)s was due to go out at %(when)s and nobody has "
                    "decided on it yet.\nPlease decide on it now, or tell the author it will "
                    "be late."
                )
            else:
                urgent_message = _(
                    "%(author)s's post %(post)s is due to go out at %(when)s and nobody has "
                    "decided on it yet.\nPlease decide on it now, or tell the author it will "
                    "be late."
                )
            sent["urgent"] += reminder_send_once(
                key=f"{key}:urgent",
                recipients=reviewers,
                kind=NotificationKind.URGENT_REMINDER,
                subject=_("Urgent: a post is due out soon with no decision"),
                message=urgent_message % {**sent_on, "when": _when(post.planned_for)},
                url=url,
            )

    waiting_on_author = Post.objects.filter(
        status=PostStatus.CHANGES_REQUESTED,
        decided_at__lte=now - timedelta(days=AUTHOR_REMINDER_DAYS),
    ).select_related("author", "account", "last_decision")
    for post in waiting_on_author:
        sent["author"] += reminder_send_once(
            key=f"post:{post.pk}:decision:{post.last_decision_id}:author-reminder",
            recipients=[post.author],
            kind=NotificationKind.AUTHOR_REMINDER,
            subject=_("Your post is waiting for your changes"),
            message=_(
                "The senior team asked for changes to your post %(post)s on %(when)s. It will "
                "not go out until you make them and send it again. If you no longer want to "
                "publish it, withdraw it."
            )
            % {"post": _post_line(post), "when": _when(post.decided_at)},
            url=post.get_absolute_url(),
        )
    if any(sent.values()):
        logger.info("Post reminders sent: %s", sent)
    return sent


def send_daily_digests(*, now: datetime | None = None) -> int:
    """Each senior-team member gets one email a day listing what waits for their decision,
    only when something does. Returns the number of digests sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if not is_school_day(today):  # weekends, bank holidays and closures
        return 0
    posts = list(
        Post.objects.awaiting_decision()
        .select_related("author", "account")
        .order_by("submitted_at")
    )
    campaigns = list(Campaign.objects.awaiting_decision().select_related("proposer"))
    closed = closed_days_since(posts[0].submitted_at if posts else None, now)
    sent = 0
    for member in roles.senior_team_members():
        mine_posts = roles.not_their_own(member, posts)
        mine_campaigns = roles.not_their_own(member, campaigns, owner="proposer_id")
        if not (mine_posts or mine_campaigns):
            continue
        lines = []
        for post in mine_posts[:20]:
            state = waiting_for_decision(post.submitted_at, now=now, closed=closed)
            hours = round(state.hours)
            waited = ngettext("%(hours)s school hour", "%(hours)s school hours", hours) % {
                "hours": hours
            }
            if state.overdue:
                waited = _("%(waited)s (overdue)") % {"waited": waited}
            lines.append(
                _("- Post by %(author)s: %(post)s, waiting %(waited)s")
                % {"author": post.author, "post": _post_line(post), "waited": waited}
            )
        if len(mine_posts) > 20:
            more = len(mine_posts) - 20
            lines.append(
                ngettext("- and %(count)s more post", "- and %(count)s more posts", more)
                % {"count": more}
            )
        for campaign in mine_campaigns:
            lines.append(
                _('- Campaign "%(title)s" proposed by %(who)s')
                % {"title": campaign.title, "who": campaign.proposer}
            )
        summary = []
        if mine_posts:
            count = len(mine_posts)
            summary.append(ngettext("%(count)s post", "%(count)s posts", count) % {"count": count})
        if mine_campaigns:
            count = len(mine_campaigns)
            summary.append(
                ngettext("%(count)s campaign", "%(count)s campaigns", count) % {"count": count}
            )
        if len(summary) == 2:
            what = _("%(posts)s and %(campaigns)s") % {"posts": summary[0], "campaigns": summary[1]}
        else:
            what = summary[0]
        sent += reminder_send_once(
            key=f"digest:{member.pk}:{today.isoformat()}",
            recipients=[member],
            kind=NotificationKind.DIGEST,
            subject=_("Waiting for your decision: %(what)s") % {"what": what},
            message=_("These wait for a decision from the senior team:") + "\n" + "\n".join(lines),
            url=reverse("approvals:queue"),
        )
    return sent
