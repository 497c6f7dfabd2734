"""Reads for the approvals pages: who may see what, the queue, the timeline and the logs.

Every list here fetches what its template shows with select_related/prefetch_related, so a page
runs the same number of queries whatever the number of rows.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.utils import timezone

from approvals.models import (
    Account,
    Campaign,
    CampaignStatus,
    Comment,
    Decision,
    PendingImage,
    Post,
    PostMedia,
    PostRevision,
    PostStatus,
    PublicationCorrection,
)
from redbridge_portal import roles

# --- Who may see what -------------------------------------------------------------------------


def visible_posts(user) -> QuerySet[Post]:
    """Posts `user` may open: the list form of `roles.may_see_post`, which decides for one
    post. Everyone sees their own and published posts; the senior team also sees every post
    that has ever been sent to them (never someone's unsent draft)."""
    if not (user and user.is_authenticated):
        return Post.objects.none()
    visible = Q(author=user) | Q(status=PostStatus.PUBLISHED)
    if roles.can_view_all_posts(user):
        visible |= Q(current_revision__isnull=False)
    return Post.objects.filter(visible)


# --- Clauses ----------------------------------------------------------------------------------

CLAUSE_NUMBER = re.compile(r"^\d+(\.\d+)*$")


def parse_clause_numbers(text: str) -> list[str]:
    """'4.4, 6.3 4.4' -> ['4.4', '6.3'] (order kept, duplicates dropped)."""
    parts = [part.strip().rstrip(".") for part in re.split(r"[\s,;]+", text or "")]
    return list(dict.fromkeys(part for part in parts if part))


def unknown_clause_numbers(numbers: Iterable[str]) -> list[str]:
    """The numbers that are not clauses of the policy version in force."""
    numbers = list(numbers)
    if not numbers:
        return []
    malformed = [n for n in numbers if not CLAUSE_NUMBER.match(n)]
    candidates = [n for n in numbers if CLAUSE_NUMBER.match(n)]
    from policy.selectors import clauses_by_number

    found = clauses_by_number(candidates) if candidates else {}
    return malformed + [n for n in candidates if n not in found]


# --- My posts, the queue, the logs -----------------------------------------------------------


def my_posts(user, *, status: str | None = None) -> QuerySet[Post]:
    posts = Post.objects.filter(author=user).select_related(
        "account", "campaign", "current_revision", "last_decision__decided_by"
    )
    if status:
        posts = posts.filter(status=status)
    return posts.order_by("-updated_at", "-id")


QUEUE_STATUSES = (
    PostStatus.SUBMITTED,
    PostStatus.CHANGES_REQUESTED,
    PostStatus.APPROVED,
    PostStatus.REJECTED,
    PostStatus.PUBLISHED,
    PostStatus.WITHDRAWN,
)


def queue(
    *,
    status: str = PostStatus.SUBMITTED,
    account=None,
    campaign=None,
    author: str | None = None,
) -> QuerySet[Post]:
    """Posts for the senior team, oldest submission first. Only posts that were sent at
    least once appear (drafts never do), whatever the status filter.

    `author` is text typed to find the author: every word of it must be part of their first
    name, last name or email address, case ignored, so "jo blog" finds Jo Bloggs and
    "bloggs" or "j.bloggs@" find them too. It stays one query: the author is already joined
    for the rows, and a post has one author, so no row can appear twice."""
    posts = Post.objects.filter(status=status, submitted_at__isnull=False)
    if account is not None:
        posts = posts.filter(account=account)
    if campaign is not None:
        posts = posts.filter(campaign=campaign)
    for word in (author or "").split():
        # Each filter() reuses the one join to the author (a foreign key, not a list).
        posts = posts.filter(
            Q(author__first_name__icontains=word)
            | Q(author__last_name__icontains=word)
            | Q(author__email__icontains=word)
        )
    return posts.select_related("author", "account", "campaign", "current_revision").order_by(
        "submitted_at", "id"
    )


def with_waiting_times(posts, *, now=None) -> list[Post]:
    """Give each post on a queue page `.waiting`: its wait for a decision in school working
    hours, and whether a reminder is due or it is overdue. One query for the school closures,
    whatever the number of posts."""
    from approvals.reminders import closed_days_since, waiting_for_decisions, waiting_in_words

    posts = list(posts)
    now = now or timezone.now()
    waiting = [p for p in posts if p.status == PostStatus.SUBMITTED and p.submitted_at]
    closed = closed_days_since(min((p.submitted_at for p in waiting), default=now), now)
    for post in posts:
        post.waiting = None
        post.waiting_words = ""
    waits = waiting_for_decisions([p.submitted_at for p in waiting], now=now, closed=closed)
    for post, wait in zip(waiting, waits, strict=True):
        post.waiting = wait
        post.waiting_words = waiting_in_words(wait)
    return posts


def campaigns_awaiting_decision() -> QuerySet[Campaign]:
    return (
        Campaign.objects.awaiting_decision().select_related("proposer").order_by("created_at", "id")
    )


def published_log(*, account=None) -> QuerySet[Post]:
    """Every post that went out, newest first, with the approval it went out under.

    Who decided is fetched in a second query rather than joined: PostgreSQL plans a join of
    eight tables in 40 to 60 ms (it weighs every order of joining them), six in 2 ms. Who
    recorded the publication is for the CSV, which fetches it itself."""
    posts = Post.objects.published()
    if account is not None:
        posts = posts.filter(account=account)
    return (
        posts.select_related("author", "account", "campaign", "current_revision", "last_decision")
        .prefetch_related("last_decision__decided_by")
        .order_by("-published_at", "-id")
    )


def campaign_list() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("proposer", "decided_by").annotate(
        post_count=Count("posts")
    )


def campaign_for_page(user, pk: int) -> Campaign | None:
    """Every member of staff may see a campaign and its decision."""
    return (
        Campaign.objects.select_related("proposer", "decided_by", "policy_version")
        .filter(pk=pk)
        .first()
    )


def campaign_posts(campaign: Campaign, user) -> QuerySet[Post]:
    return (
        visible_posts(user)
        .filter(campaign=campaign)
        .select_related("author", "account")
        .order_by("planned_for", "id")
    )


# --- Capped pagination ------------------------------------------------------------------------


@dataclass
class CappedPage:
    """A page of a long list that never counts the whole table: it counts at most a few pages
    beyond the one shown (the rows the OFFSET scan reads anyway)."""

    object_list: list
    number: int
    per_page: int
    counted: int  # rows counted, up to the look-ahead
    more_than_counted: bool

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def has_next(self):
        return self.counted > self.number * self.per_page

    @property
    def previous_page_number(self):
        return self.number - 1

    @property
    def next_page_number(self):
        return self.number + 1

    @property
    def known_pages(self) -> int:
        return max(1, -(-self.counted // self.per_page))

    @property
    def start_index(self):
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0

    @property
    def end_index(self):
        return (self.number - 1) * self.per_page + len(self.object_list)

    @property
    def page_links(self) -> list[int]:
        """Page numbers to link: first, last known and a window around this page."""
        last = self.known_pages
        window = set(range(max(1, self.number - 2), min(last, self.number + 2) + 1))
        return sorted({1, last} | window)


def paginate_capped(queryset: QuerySet, page: str | int | None, per_page: int = 25) -> CappedPage:
    look_ahead_pages = 5
    try:
        number = max(1, int(page or 1))
    except (TypeError, ValueError):
        number = 1
    number = min(number, 100_000)
    offset = (number - 1) * per_page
    limit = offset + per_page * look_ahead_pages + 1
    counted = queryset.order_by()[:limit].count()
    if offset >= counted and number > 1:
        # Past the end: show the last page there is.
        number = max(1, -(-counted // per_page))
        offset = (number - 1) * per_page
    # A deferred join: the page's ids come from the index alone, then only those rows are
    # joined to what the page shows. Joining first made PostgreSQL join every row it skipped
    # (5,000 for page 200 of the queue, 150 ms); this way a deep page costs what the first does.
    page_ids = queryset.values("pk")[offset : offset + per_page]
    rows = list(queryset.filter(pk__in=page_ids))
    more = counted >= limit
    return CappedPage(
        object_list=rows,
        number=number,
        per_page=per_page,
        counted=counted - 1 if more else counted,
        more_than_counted=more,
    )


# --- The post page ----------------------------------------------------------------------------


def post_for_page(user, pk: int) -> Post | None:
    return (
        visible_posts(user)
        .select_related("author", "account", "campaign", "current_revision", "published_by")
        .prefetch_related(
            Prefetch(
                "media",
                queryset=PostMedia.objects.filter(removed_at__isnull=True).order_by("pk"),
                to_attr="current_media",
            )
        )
        .filter(pk=pk)
        .first()
    )


@dataclass
class DiffPart:
    kind: str  # "same", "added", "removed"
    text: str


@dataclass
class TimelineEntry:
    kind: str  # "revision", "decision", "comment", "published", "withdrawn"
    at: datetime.datetime
    item: object = None
    diff: list[DiffPart] = field(default_factory=list)
    previous: PostRevision | None = None


def word_diff(before: str, after: str) -> list[DiffPart]:
    """A word-level diff, whitespace kept, as plain parts the template escapes."""
    old = re.findall(r"\S+|\s+", before or "")
    new = re.findall(r"\S+|\s+", after or "")
    parts: list[DiffPart] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(DiffPart("same", "".join(old[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            parts.append(DiffPart("removed", "".join(old[i1:i2])))
        if tag in ("insert", "replace"):
            parts.append(DiffPart("added", "".join(new[j1:j2])))
    return parts


def post_timeline(post: Post, *, full: bool = True) -> list[TimelineEntry]:
    """Revisions (each with its changes from the one before), decisions, comments and the
    publication record, oldest first. A fixed number of queries. Not `full`: only the
    publication record (for those who may see only what went out)."""
    if not full:
        if post.status == PostStatus.PUBLISHED and post.published_at:
            return [TimelineEntry(kind="published", at=post.published_at, item=post)]
        return []
    revisions = list(
        PostRevision.objects.filter(post=post)
        .select_related("account", "campaign", "submitted_by")
        .prefetch_related(Prefetch("media", queryset=PostMedia.objects.order_by("pk")))
        .order_by("number")
    )
    decisions = list(
        Decision.objects.filter(post=post).select_related("decided_by", "policy_version")
    )
    comments = list(Comment.objects.filter(post=post).select_related("author", "policy_version"))
    by_id = {revision.pk: revision for revision in revisions}
    for decision in decisions:
        # Every decision is on one of this post's revisions, already loaded above.
        decision.revision = by_id[decision.revision_id]
    for comment in comments:
        # So is every comment made on a revision.
        if comment.revision_id is not None:
            comment.revision = by_id[comment.revision_id]
    entries: list[TimelineEntry] = []
    previous = None
    for revision in revisions:
        entries.append(
            TimelineEntry(
                kind="revision",
                at=revision.created_at,
                item=revision,
                diff=word_diff(previous.text, revision.text) if previous else [],
                previous=previous,
            )
        )
        previous = revision
    entries += [TimelineEntry(kind="decision", at=d.decided_at, item=d) for d in decisions]
    entries += [TimelineEntry(kind="comment", at=c.created_at, item=c) for c in comments]
    if post.status == PostStatus.PUBLISHED and post.published_at:
        corrections = list(
            PublicationCorrection.objects.filter(post=post).select_related("corrected_by")
        )
        # The record as first made stands where it was made; each correction after it.
        first = corrections[0] if corrections else None
        entries.append(
            TimelineEntry(
                kind="published",
                at=first.old_published_at if first else post.published_at,
                item=first or post,
            )
        )
        entries += [
            TimelineEntry(kind="publication_corrected", at=c.corrected_at, item=c)
            for c in corrections
        ]
    if post.status == PostStatus.WITHDRAWN and post.withdrawn_at:
        entries.append(TimelineEntry(kind="withdrawn", at=post.withdrawn_at, item=post))
    entries.sort(key=lambda entry: entry.at)
    return entries


# --- The home page ----------------------------------------------------------------------------


def home_panel_context(user) -> dict:
    """What the home page shows about posts: for everyone, their posts that wait on them; for
    the senior team, what waits in the queue. At most three queries (plus the user's
    permissions, read once per request). Keys start with "posts_" so they can be merged into
    the home page's context beside other apps' panels."""
    waiting_on_me = list(
        Post.objects.filter(
            author=user, status__in=[PostStatus.CHANGES_REQUESTED, PostStatus.DRAFT]
        )
        .select_related("account")
        .order_by("-updated_at", "-id")[:11]
    )
    more = len(waiting_on_me) > 10
    waiting_on_me = waiting_on_me[:10]
    context = {
        "posts_changes_requested": [
            p for p in waiting_on_me if p.status == PostStatus.CHANGES_REQUESTED
        ],
        "posts_drafts": [p for p in waiting_on_me if p.status == PostStatus.DRAFT],
        "posts_more_waiting_on_me": more,
        "posts_is_senior_team": roles.is_senior_team(user),
        "posts_now": timezone.now(),
    }
    if context["posts_is_senior_team"]:
        queue_stats = Post.objects.awaiting_decision().aggregate(
            count=Count("pk"), oldest=Min("submitted_at")
        )
        campaign_stats = Campaign.objects.filter(status=CampaignStatus.PROPOSED).aggregate(
            count=Count("pk"), oldest=Min("created_at")
        )
        oldest = [t for t in (queue_stats["oldest"], campaign_stats["oldest"]) if t]
        context.update(
            {
                "posts_queue_count": queue_stats["count"],
                "posts_queue_campaigns": campaign_stats["count"],
                "posts_queue_oldest": min(oldest) if oldest else None,
            }
        )
    return context


def personal_data(user) -> dict:
    """Everything the approvals app holds about one person, for a subject access request:
    the posts they wrote (with each revision sent), their comments, their decisions, the images
    they uploaded and the campaigns they proposed. A fixed number of queries."""
    posts = (
        Post.objects.filter(author=user)
        .select_related("account", "campaign")
        .prefetch_related(Prefetch("revisions", queryset=PostRevision.objects.order_by("number")))
        .order_by("created_at", "pk")
    )
    return {
        "posts": [
            {
                "id": post.pk,
                "account": post.account.name,
                "campaign": post.campaign.title if post.campaign else None,
                "status": post.status,
                "text": post.text,
                "link": post.link,
                "purpose": post.purpose,
                "created_at": post.created_at.isoformat(),
                "published_at": post.published_at.isoformat() if post.published_at else None,
                "published_url": post.published_url,
                "revisions": [
                    {
                        "number": revision.number,
                        "sent_at": revision.created_at.isoformat(),
                        "text": revision.text,
                        "link": revision.link,
                        "purpose": revision.purpose,
                        "self_check": revision.self_check,
                    }
                    for revision in post.revisions.all()
                ],
            }
            for post in posts
        ],
        "comments": [
            {"post": c.post_id, "at": c.created_at.isoformat(), "text": c.body}
            for c in Comment.objects.filter(author=user).order_by("created_at", "pk")
        ],
        "decisions": [
            {
                "post": d.post_id,
                "revision": d.revision_id,
                "at": d.decided_at.isoformat(),
                "outcome": d.outcome,
                "comment": d.comment,
            }
            for d in Decision.objects.filter(decided_by=user).order_by("decided_at", "pk")
        ],
        "images_uploaded": [
            {
                "post": m.post_id,
                "original_name": m.original_name,
                "alt_text": m.alt_text,
                "source": m.source,
                "uploaded_at": m.uploaded_at.isoformat(),
            }
            for m in PostMedia.objects.filter(uploaded_by=user).order_by("uploaded_at", "pk")
        ],
        "campaigns_proposed": [
            {
                "id": c.pk,
                "title": c.title,
                "aim": c.aim,
                "status": c.status,
                "proposed_at": c.created_at.isoformat(),
            }
            for c in Campaign.objects.filter(proposer=user).order_by("created_at", "pk")
        ],
        "campaigns_decided": [
            {"id": c.pk, "title": c.title, "status": c.status}
            for c in Campaign.objects.filter(decided_by=user).order_by("created_at", "pk")
        ],
        "posts_marked_published": [
            {"post": p.pk, "published_at": p.published_at.isoformat() if p.published_at else None}
            for p in Post.objects.filter(published_by=user).order_by("published_at", "pk")
        ],
        "accounts_managed": list(
            Account.objects.filter(managers=user).order_by("name").values_list("name", flat=True)
        ),
        "revisions_sent": [
            {"post": r.post_id, "number": r.number, "sent_at": r.created_at.isoformat()}
            for r in PostRevision.objects.filter(submitted_by=user).order_by("created_at", "pk")
        ],
        "images_not_yet_saved": [
            {"original_name": p.original_name, "uploaded_at": p.uploaded_at.isoformat()}
            for p in PendingImage.objects.filter(uploaded_by=user).order_by("uploaded_at", "pk")
        ],
        "publication_corrections": [
            {
                "post": c.post_id,
                "corrected_at": c.corrected_at.isoformat(),
                "reason": c.reason,
                "old_url": c.old_url,
                "new_url": c.new_url,
            }
            for c in PublicationCorrection.objects.filter(corrected_by=user).order_by(
                "corrected_at", "pk"
            )
        ],
    }


# --- Content calendar -------------------------------------------------------------------------

CALENDAR_STATUSES = (
    PostStatus.SUBMITTED,
    PostStatus.CHANGES_REQUESTED,
    PostStatus.APPROVED,
    PostStatus.PUBLISHED,
)


@dataclass
class CalendarDay:
    day: datetime.date
    posts: list[Post]


def calendar_posts(*, start, end, account=None, campaign=None) -> list[Post]:
    """Posts planned or published between two moments (`start` inclusive), in time order:
    a published post counts when it went out, any other when it is planned for. Drafts,
    rejected and withdrawn posts are left out. Each post gets `.calendar_at`."""
    from django.db.models.functions import Coalesce

    posts = (
        Post.objects.filter(status__in=CALENDAR_STATUSES)
        .annotate(calendar_at=Coalesce("published_at", "planned_for"))
        .filter(calendar_at__gte=start, calendar_at__lt=end)
        .select_related("author", "account", "campaign")
        .order_by("calendar_at", "pk")
    )
    if account is not None:
        posts = posts.filter(account=account)
    if campaign is not None:
        posts = posts.filter(campaign=campaign)
    return list(posts)


def calendar_days(posts: list[Post]) -> list[CalendarDay]:
    """The posts grouped by local day, only days that have posts."""
    days: dict[datetime.date, list[Post]] = {}
    for post in posts:
        days.setdefault(timezone.localdate(post.calendar_at), []).append(post)
    return [CalendarDay(day, day_posts) for day, day_posts in days.items()]


def calendar_counts_by_account(posts: list[Post]) -> list[tuple[str, int, int]]:
    """(account name, planned, published) for the period, busiest account first."""
    counts: dict[str, list[int]] = {}
    for post in posts:
        row = counts.setdefault(post.account.name, [0, 0])
        row[1 if post.status == PostStatus.PUBLISHED else 0] += 1
    return sorted(
        ((name, planned, published) for name, (planned, published) in counts.items()),
        key=lambda row: (-(row[1] + row[2]), row[0]),
    )
