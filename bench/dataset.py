"""The benchmark's data set: years of a busy trust's posts, built in well under three minutes.

`python -m bench.dataset --posts 100000 [--rebuild]` (run.py calls it with the bench settings):

- 2,000 members of staff (40 senior team, 6 policy admins, every one in Staff), one password hash
  computed once; senior team and policy admins have a confirmed authenticator device, as they
  would in production where two-factor sign-in is required.
- the school's policy (load_policy) and nine annual reviews made with the policy services, so 10
  versions, then dated one a year over ten years;
- 12 accounts, 500 campaigns, the posts with their revisions, decisions, comments and
  notifications spread over ten years (more in recent years), written with PostgreSQL COPY:
  the models' auto_now fields and immutability guards are for the application, not for a data
  set that is history already. The check and unique constraints still hold every row.
- one post with a long timeline (50 revisions, decisions and comments), a few prolific authors.

The data set is reused when the manifest matches the database's row counts (sessions and the
manifest are made fresh on every run, as sessions expire); otherwise, or with --rebuild, the
database is dropped and created again, which is the fastest way to start over.

Writes var/bench/manifest.json: the pages to load, and a signed-in session cookie per user.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import io
import json
import os
import random
import string
import time
from pathlib import Path
from urllib.parse import quote_plus

BASE_DIR = Path(__file__).resolve().parent.parent
OUT_DIR = BASE_DIR / "var" / "bench"
MANIFEST = OUT_DIR / "manifest.json"

USERS = 2000
SENIOR_TEAM = 40
POLICY_ADMINS = 6
ACCOUNTS = 12
CAMPAIGNS = 500
POLICY_VERSIONS = 10
YEARS = 10
PROLIFIC_AUTHORS = 5
# Share of all posts written by the prolific authors together.
PROLIFIC_SHARE = 0.15
LONG_TIMELINE_REVISIONS = 17  # 17 revisions + 17 decisions + 16 comments = 50 entries
PASSWORD = "bench-password-not-for-use"  # every bench user's; hashed once

FIRST_NAMES = (
    "Sam Jo Priya Tom Alex Aisha Ben Chloe Daniel Ella Farah George Hannah Isaac Jade Kofi "
    "Lena Mohammed Nadia Oliver Poppy Rhys Sofia Tariq Uma Victor Wren Yusuf Zara Amir Beth "
    "Callum Deepa Erin Finn Grace Harvey Imogen Jamal Keira"
).split()
LAST_NAMES = (
    "Patel Okafor Shah Bennett Hoyle Khan Smith Jones Williams Brown Taylor Davies Evans "
    "Wilson Thomas Roberts Johnson Walker Wright Robinson Thompson White Hughes Edwards Green "
    "Hall Wood Harris Lewis Martin Jackson Clarke Clark Turner Hill Scott Cooper Morris Ward "
    "Moore King Watson Baker Harrison Morgan Patel Young Allen Mitchell"
).split()
SUBJECTS = (
    "Year 7",
    "Year 9",
    "Year 11",
    "the sixth form",
    "the football team",
    "the netball squad",
    "the choir",
    "the drama club",
    "the science department",
    "our eco council",
    "the school council",
    "the art department",
    "the maths team",
    "the library",
    "the PE department",
)
ACTIONS = (
    "did brilliantly at",
    "took part in",
    "raised money for charity at",
    "visited",
    "performed at",
    "won a prize at",
    "helped to run",
    "learnt a great deal at",
)
EVENTS = (
    "the county tournament",
    "the Science Museum",
    "the spring concert",
    "the local food bank",
    "the regional final",
    "the careers fair",
    "the open evening",
    "the book festival",
    "the summer fete",
    "the climate conference",
)
CLOSINGS = (
    "Well done to everyone involved!",
    "Thank you to the parents who came along.",
    "More photographs on the school website.",
    "We are very proud of you all.",
    "A big thank you to the staff who organised it.",
    "",
)
PURPOSES = (
    "Celebrates pupils' achievements and shows families what happens at school.",
    "Tells families about an event so they can come along.",
    "Thanks our partners and the community for their support.",
    "Promotes the open evening to prospective families.",
    "Shares important information with parents quickly.",
)
CHANGE_REQUESTS = (
    "Please remove the pupil's surname (clause 4.4).",
    "Check the photograph: we do not have consent for everyone in it.",
    "Shorten it so it fits on X, and add the link to the website.",
    "The date is wrong; please check with the office.",
    "Please credit the photographer.",
)
REJECTIONS = (
    "This discusses a matter that is confidential to the school.",
    "This would bring the school into disrepute; please talk to me.",
    "We cannot publish this without the partner's permission.",
)
COMMENTS = (
    "I have checked with the head of year and this is fine.",
    "Could this go out on Friday morning instead?",
    "Thanks, I have made the changes.",
    "Is there a photograph we can use with this?",
    "The parents have all given consent.",
    "Can we tag the trust's account as well?",
)


# --- PostgreSQL ---------------------------------------------------------------------------


def _database_settings() -> dict:
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit("The benchmark runs on PostgreSQL: set DATABASE_URL to a postgres:// URL.")
    return database


def _maintenance_connection():
    import psycopg2

    database = _database_settings()
    connection = psycopg2.connect(
        dbname="postgres",
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
    )
    connection.autocommit = True
    return connection


def database_exists() -> bool:
    name = _database_settings()["NAME"]
    with _maintenance_connection() as connection, connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def recreate_database() -> None:
    from django.db import connections

    connections.close_all()
    name = _database_settings()["NAME"]
    connection = _maintenance_connection()
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()


def _copy_value(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value)
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_rows(cursor, model, columns: list[str], rows) -> int:
    """COPY rows (tuples in `columns` order; field names, not column names) into model's table."""
    fields = [model._meta.get_field(name) for name in columns]
    buffer = io.StringIO()
    count = 0
    for row in rows:
        buffer.write("\t".join(_copy_value(value) for value in row))
        buffer.write("\n")
        count += 1
    buffer.seek(0)
    column_list = ", ".join(f'"{field.column}"' for field in fields)
    cursor.copy_expert(f'COPY "{model._meta.db_table}" ({column_list}) FROM STDIN', buffer)
    return count


def check_foreign_keys(cursor, models) -> None:
    """Every foreign key of the rows loaded points at a row that exists (raises if not)."""
    problems = []
    for model in models:
        table = model._meta.db_table
        for field in model._meta.concrete_fields:
            if not field.is_relation or not field.db_constraint:
                continue
            target = field.related_model._meta.db_table
            target_column = field.target_field.column
            cursor.execute(
                f'SELECT COUNT(*) FROM "{table}" c WHERE c."{field.column}" IS NOT NULL AND '
                f'NOT EXISTS (SELECT 1 FROM "{target}" p WHERE p."{target_column}" = '
                f'c."{field.column}")'
            )
            missing = cursor.fetchone()[0]
            if missing:
                problems.append(f"{table}.{field.column}: {missing} rows point at nothing")
    if problems:
        raise SystemExit("The data set is inconsistent:\n" + "\n".join(problems))


def reset_sequences(cursor, models) -> None:
    for model in models:
        table = model._meta.db_table
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'COALESCE((SELECT MAX(id) FROM "{table}"), 1))'
        )


# --- Building -----------------------------------------------------------------------------


class Clock:
    def __init__(self):
        self.started = time.monotonic()

    def say(self, message: str) -> None:
        print(f"  [{time.monotonic() - self.started:6.1f}s] {message}", flush=True)


def build(posts_wanted: int, seed: int = 8) -> None:
    from django.core.cache import cache
    from django.core.management import call_command

    clock = Clock()
    rng = random.Random(seed)
    recreate_database()
    clock.say("database created")
    call_command("migrate", verbosity=0, interactive=False)
    clock.say("migrated")
    cache.clear()

    policy_admin = _make_first_policy_admin()
    versions = _policy_versions(policy_admin, signer=_make_first_senior())
    clock.say(f"policy loaded with {len(versions)} versions")
    users = _users(rng, policy_admin)
    clock.say(f"{len(users)} users")
    _history(rng, users, versions, posts_wanted, clock)
    clock.say("history written")

    from django.db import connection

    connection.close()
    import psycopg2

    database = _database_settings()
    vacuum = psycopg2.connect(
        dbname=database["NAME"],
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
    )
    vacuum.autocommit = True
    with vacuum.cursor() as cursor:
        # Fresh statistics and visibility maps, as autovacuum would have after years of use.
        cursor.execute("VACUUM (ANALYZE)")
    vacuum.close()
    clock.say("vacuumed and analysed")


def _make_first_policy_admin():
    from django.contrib.auth.hashers import make_password

    from redbridge_portal import roles
    from redbridge_portal.models import User

    user = User.objects.create(
        email="policy.admin@bench.redbridge.example",
        first_name="Alex",
        last_name="Hoyle",
        password=make_password(PASSWORD),
    )
    roles.assign_role(user, roles.STAFF)
    roles.assign_role(user, roles.POLICY_ADMIN)
    return user


def _make_first_senior():
    """The member of the senior team who signs off the annual reviews (one of the senior team
    `_users` makes: it keeps any role given here)."""
    from django.contrib.auth.hashers import make_password

    from redbridge_portal import roles
    from redbridge_portal.models import User

    user = User.objects.create(
        email="head.teacher@bench.redbridge.example",
        first_name="Priya",
        last_name="Shah",
        password=make_password(PASSWORD),
    )
    roles.assign_role(user, roles.STAFF)
    roles.assign_role(user, roles.SENIOR_TEAM)
    return user


def _policy_versions(actor, *, signer) -> list:
    """Version 1 from the school's file, then nine annual reviews through the services (which
    copy the tree and keep every rule of publishing), then dated one year apart."""
    from django.core.management import call_command
    from django.db import connection

    from policy import review, services
    from policy.models import Clause, PolicyVersion

    call_command("load_policy", verbosity=0)
    for number in range(2, POLICY_VERSIONS + 1):
        draft = services.policy_review_start(actor=actor)
        # A small real change per version, so "what changed" has something to show.
        clause = Clause.objects.filter(version=draft).order_by("section__order", "order").first()
        clause.text = f"{clause.text} (Reviewed for version {number}.)"
        clause.save(update_fields=["text"])
        review.policy_draft_summary_update(
            actor=actor,
            version=draft,
            change_summary=f"Annual review {number}: wording checked and clause 1 clarified.",
        )
        review.policy_draft_send_for_sign_off(actor=actor, version=draft)
        review.policy_draft_sign_off(actor=signer, version=draft)
        services.policy_version_publish(actor=actor, version=draft)
    versions = list(PolicyVersion.objects.order_by("number"))
    now = _now()
    with connection.cursor() as cursor:
        for version in versions:
            years_ago = POLICY_VERSIONS - version.number
            published = now - dt.timedelta(days=365 * years_ago + 40)
            # Raw SQL: published versions are frozen for the application, but this is history.
            cursor.execute(
                "UPDATE policy_policyversion SET published_at = %s, created_at = %s, "
                "last_review_date = %s, next_review_due = %s WHERE id = %s",
                [
                    published,
                    published - dt.timedelta(days=14),
                    published.date(),
                    (published + dt.timedelta(days=365)).date(),
                    version.pk,
                ],
            )
            version.published_at = published
    return versions


def _now():
    from django.utils import timezone

    return timezone.now().replace(microsecond=0)


def _users(rng: random.Random, policy_admin) -> list:
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from redbridge_portal import roles
    from redbridge_portal.models import User

    password = make_password(PASSWORD)
    now = _now()
    new_users = []
    # The first policy admin and senior exist already (they ran the policy's reviews).
    for index in range(User.objects.count(), USERS):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        new_users.append(
            User(
                email=f"{first}.{last}.{index}@bench.redbridge.example".lower(),
                first_name=first,
                last_name=last,
                password=password,
                date_joined=now - dt.timedelta(days=rng.randint(30, 365 * YEARS)),
            )
        )
    User.objects.bulk_create(new_users, batch_size=1000)
    users = [policy_admin, *User.objects.exclude(pk=policy_admin.pk).order_by("pk")]
    groups = {group.name: group for group in Group.objects.filter(name__in=roles.ROLES)}
    through = User.groups.through
    memberships = [through(user_id=user.pk, group_id=groups[roles.STAFF].pk) for user in users[1:]]
    seniors = users[1 : 1 + SENIOR_TEAM]
    admins = users[1 + SENIOR_TEAM : SENIOR_TEAM + POLICY_ADMINS]
    memberships += [through(user_id=u.pk, group_id=groups[roles.SENIOR_TEAM].pk) for u in seniors]
    memberships += [through(user_id=u.pk, group_id=groups[roles.POLICY_ADMIN].pk) for u in admins]
    # The first senior already has their roles.
    through.objects.bulk_create(memberships, batch_size=2000, ignore_conflicts=True)
    # Deciders and policy admins sign in with an authenticator app in production.
    TOTPDevice.objects.bulk_create(
        TOTPDevice(user=user, name="Authenticator app", confirmed=True)
        for user in [policy_admin, *seniors, *admins]
    )
    return users


def _history(rng, users, versions, posts_wanted, clock) -> None:  # noqa: C901 (one long story)
    from django.db import DatabaseError, connection, transaction

    from approvals.models import (
        SELF_CHECK_KEYS,
        Account,
        Campaign,
        CampaignStatus,
        Comment,
        Decision,
        DecisionOutcome,
        Platform,
        Post,
        PostRevision,
        PostStatus,
    )
    from redbridge_portal.models import EmailStatus, Notification, NotificationKind

    now = _now()
    start = now - dt.timedelta(days=365 * YEARS)
    span = (now - start).total_seconds()
    seniors = users[1 : 1 + SENIOR_TEAM]
    staff = users[1:]
    version_times = [v.published_at for v in versions]

    def version_at(when):
        index = bisect.bisect_right(version_times, when) - 1
        return versions[index].pk if index >= 0 else None

    def other_senior(not_this):
        while True:
            senior = rng.choice(seniors)
            if senior.pk != not_this:
                return senior.pk

    def after(when, low_minutes, high_minutes):
        return min(now, when + dt.timedelta(minutes=rng.uniform(low_minutes, high_minutes)))

    def post_text():
        closing = rng.choice(CLOSINGS)
        return (
            f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(ACTIONS)} {rng.choice(EVENTS)} "
            f"this week. {closing}".strip()
        )

    self_check = {key: True for key in SELF_CHECK_KEYS}

    # Accounts
    platforms = [Platform.X, Platform.FACEBOOK, Platform.INSTAGRAM, Platform.LINKEDIN]
    accounts = []
    for index in range(1, ACCOUNTS + 1):
        platform = platforms[(index - 1) % len(platforms)]
        accounts.append(
            (
                index,
                f"Redbridge {['Main', 'Sport', 'Arts', 'Sixth Form'][(index - 1) // 4 % 4]} "
                f"{platform.label} {index}",
                platform,
                f"@Redbridge{index}",
                280 if platform == Platform.X else 2200,
                True,
            )
        )
    # A few busy accounts carry most posts.
    account_weights = [12, 10, 9, 8, 6, 5, 4, 3, 2, 2, 1, 1]

    # Campaigns: 500 over ten years, a handful still waiting.
    campaigns = []
    approved_campaigns = []  # (starts_on, id)
    for index in range(1, CAMPAIGNS + 1):
        starts = (start + dt.timedelta(seconds=span * index / (CAMPAIGNS + 1))).date()
        ends = starts + dt.timedelta(days=rng.randint(3, 60))
        created = dt.datetime.combine(
            starts - dt.timedelta(days=rng.randint(7, 30)), dt.time(10), tzinfo=dt.UTC
        )
        proposer = rng.choice(staff).pk
        if index > CAMPAIGNS - 6:
            status, decided_by, decided_at, reason = CampaignStatus.PROPOSED, None, None, ""
            created = now - dt.timedelta(days=CAMPAIGNS + 1 - index)
        else:
            decided_by = other_senior(proposer)
            decided_at = after(created, 60, 60 * 48)
            if rng.random() < 0.1:
                status, reason = CampaignStatus.DECLINED, "It does not fit the school's aims."
            else:
                status, reason = CampaignStatus.APPROVED, ""
                approved_campaigns.append((starts, index))
        campaigns.append(
            (
                index,
                f"{rng.choice(EVENTS).capitalize()} {starts.year} ({index})",
                "To share what pupils do with families and the community.",
                starts,
                ends,
                proposer,
                status,
                created,
                decided_by,
                decided_at,
                reason,
                version_at(decided_at) if decided_at else None,
            )
        )
    campaign_starts = [s for s, _ in approved_campaigns]

    # Authors: a few prolific ones, the rest of the staff now and then.
    prolific = [u.pk for u in staff[SENIOR_TEAM + POLICY_ADMINS : SENIOR_TEAM + POLICY_ADMINS + 5]]
    ordinary = [u.pk for u in staff]

    posts, revisions, decisions, comments, notifications = [], [], [], [], []
    revision_id = decision_id = comment_id = 0

    def notify_row(recipient, kind, subject, url, when):
        read = None if (now - when).days < 20 and rng.random() < 0.6 else after(when, 10, 4000)
        notifications.append(
            (
                recipient,
                kind,
                subject,
                subject + " Open the post to see what happens next.",
                url,
                "",
                when,
                read,
                EmailStatus.SENT,
                1,
                "",
                after(when, 0, 2),
                None,
            )
        )

    def make_post(post_id, author, created, status, n_revisions, n_comments, account=None):
        nonlocal revision_id, decision_id, comment_id
        account = account or rng.choices(range(1, ACCOUNTS + 1), weights=account_weights)[0]
        campaign = None
        if campaign_starts and rng.random() < 0.3:
            index = bisect.bisect_right(campaign_starts, created.date()) - 1
            if index >= 0:
                campaign = approved_campaigns[index][1]
        text = post_text()
        link = rng.choice(["", "", "https://www.redbridge.example/news"])
        purpose = rng.choice(PURPOSES)
        planned = after(created, 60 * 24, 60 * 24 * 7) if rng.random() < 0.5 else None
        url = f"/posts/{post_id}/"
        when = after(created, 5, 600)
        current_revision = last_decision = submitted_at = decided_at = None
        published_at = published_by = withdrawn_at = None
        published_url = ""
        revision_ids = []
        for number in range(1, n_revisions + 1):
            revision_id += 1
            revision_text = text if number == n_revisions else f"{text} (draft {number})"
            revisions.append(
                (
                    revision_id,
                    post_id,
                    number,
                    when,
                    author,
                    account,
                    campaign,
                    revision_text,
                    link,
                    purpose,
                    planned,
                    self_check,
                )
            )
            revision_ids.append((revision_id, when))
            current_revision, submitted_at = revision_id, when
            last = number == n_revisions
            outcome = None
            if not last:
                outcome = DecisionOutcome.REQUEST_CHANGES
            elif status in (PostStatus.APPROVED, PostStatus.PUBLISHED):
                outcome = DecisionOutcome.APPROVE
            elif status == PostStatus.REJECTED:
                outcome = DecisionOutcome.REJECT
            elif status == PostStatus.CHANGES_REQUESTED:
                outcome = DecisionOutcome.REQUEST_CHANGES
            if outcome is None:
                continue
            decision_id += 1
            decided = after(when, 20, 60 * 30)
            comment = {
                DecisionOutcome.APPROVE: rng.choice(["", "", "Lovely, thank you."]),
                DecisionOutcome.REQUEST_CHANGES: rng.choice(CHANGE_REQUESTS),
                DecisionOutcome.REJECT: rng.choice(REJECTIONS),
            }[outcome]
            decisions.append(
                (
                    decision_id,
                    post_id,
                    revision_id,
                    other_senior(author),
                    decided,
                    outcome,
                    comment,
                    ["4.4"] if outcome != DecisionOutcome.APPROVE else [],
                    version_at(decided),
                )
            )
            notify_row(
                author, NotificationKind.POST_DECIDED, "A decision on your post.", url, decided
            )
            last_decision, decided_at = decision_id, decided
            when = after(decided, 30, 60 * 24 * 2)
        updated = submitted_at or created
        if decided_at:
            updated = max(updated, decided_at)
        if status == PostStatus.PUBLISHED:
            published_at = after(decided_at, 10, 60 * 24)
            published_url = f"https://social.example/{accounts[account - 1][3][1:]}/{post_id}"
            published_by = author
            updated = published_at
        elif status == PostStatus.WITHDRAWN:
            withdrawn_at = after(updated, 30, 60 * 24 * 3)
            updated = withdrawn_at
        for _ in range(n_comments):
            if not revision_ids:
                break
            comment_id += 1
            revision, revision_at = rng.choice(revision_ids)
            said = after(revision_at, 5, 60 * 12)
            speaker = author if rng.random() < 0.5 else other_senior(author)
            comments.append(
                (comment_id, post_id, revision, speaker, said, rng.choice(COMMENTS), [], None)
            )
            listener = other_senior(author) if speaker == author else author
            notify_row(listener, NotificationKind.COMMENT_ADDED, "A new comment.", url, said)
            updated = max(updated, said)
        posts.append(
            (
                post_id,
                author,
                account,
                campaign,
                text,
                link,
                planned,
                purpose,
                status,
                created,
                updated,
                submitted_at,
                decided_at,
                current_revision,
                last_decision,
                published_at,
                published_url,
                published_by,
                withdrawn_at,
                None,
                None,
            )
        )

    recent_statuses = (
        [PostStatus.SUBMITTED] * 35
        + [PostStatus.APPROVED] * 12
        + [PostStatus.CHANGES_REQUESTED] * 13
        + [PostStatus.DRAFT] * 15
        + [PostStatus.PUBLISHED] * 25
    )
    old_statuses = (
        [PostStatus.PUBLISHED] * 82
        + [PostStatus.REJECTED] * 7
        + [PostStatus.WITHDRAWN] * 6
        + [PostStatus.DRAFT] * 5
    )
    ordinary_posts = posts_wanted - 1
    for post_id in range(1, ordinary_posts + 1):
        # sqrt: more posts in recent years, as the portal caught on.
        created = start + dt.timedelta(seconds=span * (rng.random() ** 0.5))
        created = created.replace(microsecond=0)
        recent = (now - created).days < 60
        status = rng.choice(recent_statuses if recent else old_statuses)
        if status == PostStatus.DRAFT:
            n_revisions = 0
        elif status == PostStatus.WITHDRAWN:
            n_revisions = rng.choice([0, 1, 1, 2])
        else:
            n_revisions = rng.choices([1, 2, 3], weights=[75, 20, 5])[0]
            if status == PostStatus.CHANGES_REQUESTED:
                n_revisions = max(1, n_revisions - 1)
        n_comments = rng.choices([0, 1, 2, 3], weights=[65, 20, 10, 5])[0]
        author = rng.choice(prolific) if rng.random() < PROLIFIC_SHARE else rng.choice(ordinary)
        make_post(post_id, author, created, status, n_revisions, n_comments)

    # The post with the long timeline: sent back again and again, then approved and published.
    long_post_id = ordinary_posts + 1
    long_author = staff[SENIOR_TEAM + POLICY_ADMINS + 10].pk
    make_post(
        long_post_id,
        long_author,
        now - dt.timedelta(days=120),
        PostStatus.PUBLISHED,
        LONG_TIMELINE_REVISIONS,
        LONG_TIMELINE_REVISIONS - 1,
        account=1,
    )
    clock.say(
        f"generated {len(posts)} posts, {len(revisions)} revisions, {len(decisions)} decisions, "
        f"{len(comments)} comments"
    )

    # Everyone was asked to read each new version of the policy (the first admin was asked by
    # the publishing service itself).
    for version in versions[1:]:
        for user in staff:
            notify_row(
                user.pk,
                NotificationKind.POLICY_PUBLISHED,
                f"Please read version {version.number} of the Social Media Policy",
                "/policy/changes/",
                version.published_at,
            )

    loaded = [Account, Campaign, Post, PostRevision, Decision, Comment, Notification]
    with transaction.atomic(), connection.cursor() as cursor:
        # PostgreSQL checks foreign keys with per-row triggers, queued to commit (Django's are
        # DEFERRABLE INITIALLY DEFERRED): a million of them took longer than all the rest.
        # Replica mode skips them for this transaction; check_foreign_keys below does the same
        # check in one anti-join per key before commit. Check and unique constraints still
        # apply row by row.
        try:
            with transaction.atomic():
                cursor.execute("SET LOCAL session_replication_role = replica")
        except DatabaseError:  # not a superuser: the triggers run, which is only slower
            print("  (not a superuser: foreign keys are checked row by row, which is slower)")
        copy_rows(
            cursor,
            Account,
            ["id", "name", "platform", "handle", "text_limit", "is_active"],
            accounts,
        )
        copy_rows(
            cursor,
            Campaign,
            [
                "id",
                "title",
                "aim",
                "starts_on",
                "ends_on",
                "proposer",
                "status",
                "created_at",
                "decided_by",
                "decided_at",
                "decision_reason",
                "policy_version",
            ],
            campaigns,
        )
        copy_rows(
            cursor,
            Post,
            [
                "id",
                "author",
                "account",
                "campaign",
                "text",
                "link",
                "planned_for",
                "purpose",
                "status",
                "created_at",
                "updated_at",
                "submitted_at",
                "decided_at",
                "current_revision",
                "last_decision",
                "published_at",
                "published_url",
                "published_by",
                "withdrawn_at",
                "copied_from",
                "form_token",
            ],
            posts,
        )
        clock.say("posts copied")
        copy_rows(
            cursor,
            PostRevision,
            [
                "id",
                "post",
                "number",
                "created_at",
                "submitted_by",
                "account",
                "campaign",
                "text",
                "link",
                "purpose",
                "planned_for",
                "self_check",
            ],
            revisions,
        )
        copy_rows(
            cursor,
            Decision,
            [
                "id",
                "post",
                "revision",
                "decided_by",
                "decided_at",
                "outcome",
                "comment",
                "cited_clauses",
                "policy_version",
            ],
            decisions,
        )
        copy_rows(
            cursor,
            Comment,
            [
                "id",
                "post",
                "revision",
                "author",
                "created_at",
                "body",
                "cited_clauses",
                "policy_version",
            ],
            comments,
        )
        clock.say("revisions, decisions and comments copied")
        copy_rows(
            cursor,
            Notification,
            [
                "recipient",
                "kind",
                "subject",
                "message",
                "url",
                "key",
                "created_at",
                "read_at",
                "email_status",
                "email_attempts",
                "email_error",
                "emailed_at",
                "email_retry_after",
            ],
            notifications,
        )
        clock.say(f"{len(notifications)} notifications copied")
        reset_sequences(cursor, [Account, Campaign, Post, PostRevision, Decision, Comment])
        check_foreign_keys(cursor, loaded)
        clock.say("foreign keys checked")


# --- Counting, sessions and the manifest -----------------------------------------------------


def row_counts() -> dict[str, int]:
    from django.db import connection

    from approvals.models import Campaign, Comment, Decision, Post, PostRevision
    from policy.models import PolicyVersion
    from redbridge_portal.models import Notification, User

    counts = {}
    with connection.cursor() as cursor:
        for model in (User, PolicyVersion, Campaign, Post, PostRevision, Decision, Comment):
            cursor.execute(f'SELECT COUNT(*) FROM "{model._meta.db_table}"')
            counts[model._meta.label] = cursor.fetchone()[0]
        cursor.execute(f'SELECT COUNT(*) FROM "{Notification._meta.db_table}"')
        counts[Notification._meta.label] = cursor.fetchone()[0]
    return counts


def signed_in_cookie(user) -> str:
    """A session for `user`, made as Client.force_login makes one, and marked as verified by
    the user's authenticator device (as django-otp's login does) when the user has one."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.crypto import get_random_string
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from redbridge_portal.middleware import SessionActivityMiddleware

    engine = import_module(settings.SESSION_ENGINE)
    session = engine.SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[SessionActivityMiddleware.KEY] = int(time.time())
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    # A browser also sends back the CSRF cookie it was given with its first page; without it,
    # every page with a form would make a new CSRF secret, which no real visit does.
    csrf_secret = get_random_string(32, allowed_chars=string.ascii_letters + string.digits)
    return (
        f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
        f"{settings.CSRF_COOKIE_NAME}={csrf_secret}"
    )


MIXED_READERS = 5
MIXED_DECIDERS = 3


def mixed_workload(version, clause) -> dict:
    """Who does what in the mixed school-day workload (bench/mixed.lua).

    Readers are members of staff who write posts: they read the policy, their own posts and the
    published log, and now and then send a new post. Deciders are members of the senior team:
    they read the queue and the posts waiting in it, and now and then approve one. Each person
    has a session of their own and their CSRF secret (Django accepts the unmasked secret as the
    form's token as well as a masked one)."""
    from django.conf import settings

    from approvals.models import SELF_CHECK_KEYS, Account, Post, PostStatus
    from redbridge_portal import roles

    def person(user, paths):
        cookie = signed_in_cookie(user)
        csrf = dict(part.split("=", 1) for part in cookie.split("; "))[settings.CSRF_COOKIE_NAME]
        return {"cookie": cookie, "csrf": csrf, "paths": paths}

    policy_paths = [
        "/policy/",
        f"/policy/clause/{clause.number}/",
        "/policy/search/?q=confidential+information",
        "/policy/search/?q=photographs+of+pupils",
    ]
    seniors = list(roles.senior_team_members().order_by("pk")[:MIXED_DECIDERS])
    writers = list(
        roles.staff_members()
        .exclude(pk__in=roles.senior_team_members())
        .exclude(pk__in=roles.policy_admins())
        .filter(posts__isnull=False)
        .distinct()
        .order_by("pk")[:MIXED_READERS]
    )
    readers = []
    for user in writers:
        own = list(
            Post.objects.filter(author=user).order_by("-pk").values_list("pk", flat=True)[:5]
        )
        paths = [*policy_paths, "/", "/posts/", "/posts/published/"]
        paths += [f"/posts/{pk}/" for pk in own]
        readers.append(person(user, paths))
    waiting = list(
        Post.objects.filter(status=PostStatus.SUBMITTED)
        .exclude(author__in=seniors)
        .order_by("?")
        .values_list("pk", "current_revision_id")[:1000]
    )
    deciders = []
    for user in seniors:
        paths = [*policy_paths[:2], "/posts/queue/", "/posts/queue/?page=2", "/posts/published/"]
        paths += [f"/posts/{pk}/" for pk, _revision in waiting[:10]]
        deciders.append(person(user, paths))
    return {
        "readers": readers,
        "deciders": deciders,
        "decide": [list(pair) for pair in waiting],
        "new_post": {
            "account": Account.objects.order_by("pk").values_list("pk", flat=True).first(),
            "checks": [f"check_{key}" for key in SELF_CHECK_KEYS],
        },
    }


def write_manifest(posts_wanted: int, counts: dict[str, int]) -> dict:
    from django.db.models import Count

    from approvals.models import Account, Post, PostStatus
    from policy.selectors import current_version
    from redbridge_portal import roles
    from redbridge_portal.models import User

    version = current_version()
    clause = version.clauses.filter(number="4.4").first() or version.clauses.order_by("pk").first()
    senior = roles.senior_team_members().order_by("pk").first()
    staff = (
        roles.staff_members()
        .exclude(pk__in=roles.senior_team_members())
        .exclude(pk__in=roles.policy_admins())
        .order_by("pk")
        .first()
    )
    prolific = (
        Post.objects.values("author").annotate(n=Count("pk")).order_by("-n", "author").first()
    )
    prolific_user = User.objects.get(pk=prolific["author"])
    long_post = (
        Post.objects.annotate(n=Count("revisions")).order_by("-n", "pk").values("pk", "n").first()
    )
    busiest_account = (
        Account.objects.annotate(n=Count("posts")).order_by("-n", "pk").values("pk").first()["pk"]
    )
    published = counts.get("approvals.Post", 0)
    users = {"staff": staff, "senior": senior, "prolific_author": prolific_user}
    manifest = {
        "summary": (
            f"{counts['redbridge_portal.User']:,} users, {counts['approvals.Campaign']:,} "
            f"campaigns, {published:,} posts, {counts['approvals.PostRevision']:,} revisions, "
            f"{counts['approvals.Decision']:,} decisions, {counts['approvals.Comment']:,} "
            f"comments, {counts['redbridge_portal.Notification']:,} notifications, "
            f"{counts['policy.PolicyVersion']} policy versions; the prolific author has "
            f"{prolific['n']:,} posts, the long timeline {long_post['n']} revisions"
        ),
        "posts": posts_wanted,
        "counts": counts,
        "pages": {
            "policy_contents": ["/policy/", "staff"],
            "clause_permalink": [f"/policy/clause/{clause.number}/", "staff"],
            "policy_search": ["/policy/search/?q=confidential+information", "staff"],
            "queue_first_page": ["/posts/queue/", "senior"],
            "queue_filtered": [
                f"/posts/queue/?status={PostStatus.PUBLISHED}&account={busiest_account}",
                "senior",
            ],
            "queue_page_200": [f"/posts/queue/?status={PostStatus.PUBLISHED}&page=200", "senior"],
            "queue_author_search": [
                f"/posts/queue/?status={PostStatus.PUBLISHED}&author="
                + quote_plus(prolific_user.last_name.lower()),
                "senior",
            ],
            "post_long_timeline": [f"/posts/{long_post['pk']}/", "senior"],
            "my_posts_prolific": ["/posts/", "prolific_author"],
            "published_log": ["/posts/published/", "staff"],
            "login_page": ["/accounts/login/", None],
            # Not a page of the portal: the queue's first page as a plain ListView.
            "queue_peer": ["/bench/queue-peer/", "senior"],
            # Not a page of the portal: a signed-in request that does no work of its own.
            "signed_in_floor": ["/bench/signed-in/", "senior"],
        },
        "cookies": {name: signed_in_cookie(user) for name, user in users.items()},
        "mixed": mixed_workload(version, clause),
    }
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    MANIFEST.write_text(json.dumps(manifest, indent=2))
    return manifest


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Build or reuse the benchmark's data set.")
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--rebuild", action="store_true", help="drop the database and build again")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.core.management import call_command

    started = time.monotonic()
    reuse = False
    if not args.rebuild and MANIFEST.is_file() and database_exists():
        previous = json.loads(MANIFEST.read_text())
        try:
            reuse = previous.get("posts") == args.posts and row_counts() == previous.get("counts")
        except Exception:  # an empty or half-built database: build it again
            reuse = False
    if reuse:
        call_command("migrate", verbosity=0, interactive=False)
        print("Reusing the data set (row counts match the manifest; --rebuild to start over).")
    else:
        print(f"Building the data set ({args.posts:,} posts)...", flush=True)
        build(args.posts, seed=args.seed)
    counts = row_counts()
    manifest = write_manifest(args.posts, counts)
    print(f"Data set ready in {time.monotonic() - started:.0f}s: {manifest['summary']}")


if __name__ == "__main__":
    main()
