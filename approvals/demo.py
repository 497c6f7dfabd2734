"""Demo content for the approvals app: the school's accounts, two campaigns and posts in every
state. Everything past a draft is made through the services, so each post has its revisions,
decisions, audit events and notifications like the real thing. Running it again changes nothing:
each post and campaign has a fixed form token, and a step is taken only if not taken yet."""

from __future__ import annotations

import datetime
import io
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from approvals import services
from approvals.images import clean_uploaded_image
from approvals.models import (
    SELF_CHECK_KEYS,
    Account,
    Campaign,
    CampaignStatus,
    DecisionOutcome,
    MediaSource,
    Platform,
    Post,
    PostStatus,
)
from redbridge_portal.models import User

ACCOUNTS = [
    # name, platform, handle, the platform's text limit
    ("Redbridge on X", Platform.X, "@RedbridgeCS", 280),
    ("Redbridge on Facebook", Platform.FACEBOOK, "Redbridge Community School", 63206),
    ("Redbridge on Instagram", Platform.INSTAGRAM, "@redbridgecs", 2200),
    ("Redbridge on LinkedIn", Platform.LINKEDIN, "Redbridge Community School", 3000),
]

NAMESPACE = uuid.UUID("5b0c7f64-54d8-4b5e-a0a9-7d9f0c3e2a11")
ALL_CONFIRMED = {key: True for key in SELF_CHECK_KEYS}


def _token(name: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, name)


def _demo_image() -> SimpleUploadedFile:
    image = Image.new("RGB", (960, 640), (46, 125, 50))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 440, 960, 640), fill=(93, 64, 55))
    for x in range(80, 960, 160):
        draw.polygon([(x, 440), (x + 50, 220), (x + 100, 440)], fill=(27, 94, 32))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("trees.png", buffer.getvalue(), content_type="image/png")


def load_demo(*, stdout) -> None:
    people = {u.email: u for u in User.objects.filter(email__endswith="@redbridge.example")}
    sam = people.get("staff@redbridge.example")
    jo = people.get("staff2@redbridge.example")
    priya = people.get("senior@redbridge.example")
    tom = people.get("senior2@redbridge.example")

    with transaction.atomic():
        accounts = {}
        created_accounts = 0
        for name, platform, handle, limit in ACCOUNTS:
            account, created = Account.objects.get_or_create(
                name=name, defaults={"platform": platform, "handle": handle, "text_limit": limit}
            )
            accounts[platform] = account
            created_accounts += created
        if stdout:
            stdout.write(f"Social media accounts: {created_accounts} created.")

        if not all((sam, jo, priya, tom)):
            if stdout:
                stdout.write("Demo posts skipped: the demo accounts of staff are missing.")
            return

        before = Post.objects.count() + Campaign.objects.count()
        today = timezone.localdate()
        now = timezone.now()

        sports, _ = services.campaign_propose(
            actor=jo,
            title="Sports week",
            aim="A week of posts showing every year group taking part in sport, to encourage "
            "families to come to sports day.",
            starts_on=today + datetime.timedelta(days=10),
            ends_on=today + datetime.timedelta(days=16),
            form_token=_token("campaign:sports-week"),
        )
        if sports.status == CampaignStatus.PROPOSED:
            services.campaign_decide(
                actor=priya, campaign=sports, approve=True, reason="A good way to reach families."
            )
            sports.refresh_from_db()
        services.campaign_propose(
            actor=sam,
            title="Open evening countdown",
            aim="Daily posts in the fortnight before open evening, introducing departments.",
            starts_on=today + datetime.timedelta(days=30),
            ends_on=today + datetime.timedelta(days=44),
            form_token=_token("campaign:open-evening"),
        )

        def post(key, author, account, text, purpose, **extra):
            created_post, created = services.post_create(
                actor=author,
                content=services.PostContent(account=account, text=text, purpose=purpose, **extra),
                form_token=_token(f"post:{key}"),
            )
            return created_post, created

        def add_picture(target, author, alt_text, **details):
            # Keeps everything the post says and attaches the demo image.
            services.post_update(
                actor=author,
                post=target,
                content=services.PostContent.of(target),
                new_media=[
                    services.NewMedia(
                        image=clean_uploaded_image(_demo_image()),
                        alt_text=alt_text,
                        source=MediaSource.OWN,
                        **details,
                    )
                ],
            )

        def submit(target, author):
            if target.status == PostStatus.DRAFT:
                services.post_submit(actor=author, post=target, self_check=ALL_CONFIRMED)
                target.refresh_from_db()

        def submit_and_decide(target, author, decider, outcome, **details):
            submit(target, author)
            if target.status == PostStatus.SUBMITTED:
                services.post_decide(actor=decider, post=target, outcome=outcome, **details)
                target.refresh_from_db()

        # 1. A draft Sam is still writing.
        post(
            "draft",
            sam,
            accounts[Platform.INSTAGRAM],
            "Our Year 9 artists have been painting the new mural in the library. More photos "
            "next week when it is finished!",
            "Shows pupils' creative work and the improved library.",
        )

        # 2. Waiting for the senior team, with a photo.
        trees, created = post(
            "trees",
            sam,
            accounts[Platform.X],
            "Year 7 planted 40 trees by the pond today. Thank you to every family who helped!",
            "Celebrates pupils' work and thanks the families who volunteered.",
            link="https://www.redbridge.example/news/trees",
            planned_for=now + datetime.timedelta(days=2),
        )
        if created:
            add_picture(
                trees,
                sam,
                "Young trees newly planted in a row beside the school pond",
                pupil_consent_confirmed=True,
            )
        submit(trees, sam)

        # 3. Changes requested by Priya, citing clause 4.4.
        trip, _ = post(
            "trip",
            jo,
            accounts[Platform.FACEBOOK],
            "Year 10 are back from the Berlin trip. Ms Green's group missed the train home "
            "because of a mix-up at school, but everyone had a great time.",
            "Shares a memorable trip with parents.",
        )
        submit_and_decide(
            trip,
            jo,
            priya,
            DecisionOutcome.REQUEST_CHANGES,
            comment="Please leave out the missed train and the teacher's name: it is about "
            "how the school runs day to day.",
            clauses=["4.4"],
        )

        # 4. Approved, waiting to go out.
        concert, _ = post(
            "concert",
            sam,
            accounts[Platform.FACEBOOK],
            "Tickets for the summer concert are on sale now at the school office. Come and "
            "hear our choir, orchestra and jazz band!",
            "Promotes a school event and raises money for the music department.",
            planned_for=now + datetime.timedelta(days=1),
        )
        submit_and_decide(concert, sam, tom, DecisionOutcome.APPROVE)

        # 5. Published: approved by Tom, published by Jo.
        results, _ = post(
            "results",
            jo,
            accounts[Platform.LINKEDIN],
            "Congratulations to our Year 13 students on their results. We are proud of every "
            "one of you and wish you well in what comes next.",
            "Celebrates pupils' achievement and the school's sixth form.",
        )
        submit_and_decide(results, jo, tom, DecisionOutcome.APPROVE, comment="Lovely, thank you.")
        if results.status == PostStatus.APPROVED:
            services.post_mark_published(
                actor=jo,
                post=results,
                published_at=now - datetime.timedelta(hours=3),
                url="https://www.linkedin.com/posts/redbridge-community-school-results",
            )

        # 6. Rejected.
        rival, _ = post(
            "rival",
            sam,
            accounts[Platform.X],
            "Unlike some schools in town, our results actually went up this year.",
            "Shows how well our pupils did.",
        )
        submit_and_decide(
            rival,
            sam,
            priya,
            DecisionOutcome.REJECT,
            comment="This criticises other schools and could bring the school into "
            "disrepute. Celebrate our pupils without comparing.",
            clauses=["4.4"],
        )

        # 7. A post in the approved campaign, waiting for a decision.
        sports_post, _ = post(
            "sports",
            jo,
            accounts[Platform.INSTAGRAM],
            "Sports week starts on Monday! Every year group has a day. Which event are you "
            "most looking forward to?",
            "Builds excitement for sports week and invites families to sports day.",
            campaign=sports,
            planned_for=now + datetime.timedelta(days=10),
        )
        if sports_post.status == PostStatus.DRAFT and not sports_post.media.exists():
            # An Instagram post goes out with a picture.
            add_picture(
                sports_post,
                jo,
                "The school field marked out with running lanes for sports week",
                shows_pupils=False,
            )
        submit(sports_post, jo)

        made = Post.objects.count() + Campaign.objects.count() - before
        if stdout:
            stdout.write(f"Demo posts and campaigns: {made} created.")
