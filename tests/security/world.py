"""One realistic portal for the access matrix and the fuzz test: a draft, a submitted post and a
published post by staff member A (with images), a campaign, a published policy with a draft
version under review, a notification and a school closure."""

import datetime
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from approvals import services as approvals_services
from approvals.images import clean_uploaded_image
from approvals.models import MediaSource
from people.models import StaffImport
from policy import services as policy_services
from policy.models import Clause
from redbridge_portal import services
from tests.approvals.factories import (
    ALL_CONFIRMED,
    AccountFactory,
    content,
    image_bytes,
    proposed_campaign,
    published_post,
)
from tests.factories import PolicyAdminFactory, SeniorTeamFactory, StaffFactory

ROLES = ("anonymous", "author", "other_staff", "senior", "policy_admin")


@dataclass
class World:
    users: dict
    objects: dict


def signed_in_clients(world: World, **client_options) -> dict[str, Client]:
    """A test client for each of ROLES, signed in as that role's user (none for anonymous)."""
    clients = {}
    for role in ROLES:
        client = Client(**client_options)
        if world.users[role] is not None:
            client.force_login(world.users[role])
        clients[role] = client
    return clients


def _image(name="photo.jpg"):
    upload = SimpleUploadedFile(name, image_bytes("JPEG"), content_type="image/jpeg")
    return approvals_services.NewMedia(
        image=clean_uploaded_image(upload),
        alt_text="Pupils planting trees",
        source=MediaSource.OWN,
        pupil_consent_confirmed=True,
    )


def build_world() -> World:
    author = StaffFactory(first_name="Sam", last_name="Author")
    other = StaffFactory(first_name="Jo", last_name="Other")
    senior = SeniorTeamFactory(first_name="Priya", last_name="Senior")
    second_senior = SeniorTeamFactory(first_name="Tom", last_name="Senior")
    policy_admin = PolicyAdminFactory(first_name="Alex", last_name="Admin")

    current, _created = policy_services.policy_load_from_file()
    cache.clear()
    draft_version = policy_services.policy_review_start(actor=policy_admin)
    cache.clear()
    clause = Clause.objects.filter(section__version=current).order_by("pk").first()

    account = AccountFactory()
    draft, _ = approvals_services.post_create(
        actor=author, content=content(account), new_media=[_image()]
    )
    submitted, _ = approvals_services.post_create(
        actor=author,
        content=content(account, text="Sports day is on Friday."),
        new_media=[_image()],
    )
    approvals_services.post_submit(actor=author, post=submitted, self_check=ALL_CONFIRMED)
    published = published_post(
        author,
        second_senior,
        account,
        text="Our choir sang today.",
        url="https://x.com/redbridge/status/1",
    )
    campaign = proposed_campaign(author)
    pending_image = approvals_services.pending_image_add(
        actor=author,
        form_key=uuid.UUID("00000000-0000-4000-8000-000000000017"),
        image=clean_uploaded_image(
            SimpleUploadedFile("new.jpg", image_bytes("JPEG"), content_type="image/jpeg")
        ),
    )
    notification = services.notify(
        recipients=[author], kind="post_decided", subject="Decision", message="Approved.", url="/"
    )[0]
    today = timezone.localdate()
    closure = services.school_closure_add(
        actor=policy_admin,
        name="Half term",
        first_day=today + datetime.timedelta(days=30),
        last_day=today + datetime.timedelta(days=34),
    )
    staff_import = StaffImport.objects.create(
        uploaded_by=policy_admin,
        file_name="staff.csv",
        rows=[
            {"row": 2, "email": "new@redbridge.example", "first_name": "New", "last_name": "One"}
        ],
    )
    for item in (draft, submitted, published):
        item.refresh_from_db()
    return World(
        users={
            "anonymous": None,
            "author": author,
            "other_staff": other,
            "senior": senior,
            "policy_admin": policy_admin,
        },
        objects={
            "current_version": current,
            "draft_version": draft_version,
            "clause": clause,
            "draft": draft,
            "submitted": submitted,
            "published": published,
            "draft_media": draft.media.get(),
            "submitted_media": submitted.media.get(),
            "campaign": campaign,
            "pending_image": pending_image,
            "notification": notification,
            "closure": closure,
            "person": other,
            "staff_import": staff_import,
            "account": account,
        },
    )
