"""Factories and helpers for the approvals tests. Posts past the draft stage are made through
the services, so each has the history (revisions, decisions, audit) the real thing would."""

import datetime
import io
import uuid

import factory
from django.urls import reverse
from django.utils import timezone
from PIL import ExifTags, Image

from approvals import services
from approvals.models import SELF_CHECK_KEYS, Account, Campaign, Platform
from approvals.services import PostContent

ALL_CONFIRMED = {key: True for key in SELF_CHECK_KEYS}
# The self-check as the post's page sends it, every box ticked.
SELF_CHECK_FIELDS = {f"check_{key}": "on" for key in SELF_CHECK_KEYS}


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"X account {n}")
    platform = Platform.X
    handle = factory.Sequence(lambda n: f"@Redbridge{n}")
    text_limit = 280


def content(account, **overrides) -> PostContent:
    values = {
        "account": account,
        "text": "Year 7 planted 40 trees by the pond today. Well done, everyone!",
        "purpose": "Celebrates pupils' work and shows parents our outdoor learning.",
        "link": "",
        "planned_for": None,
        "campaign": None,
    }
    values.update(overrides)
    return PostContent(**values)


def post_form_data(account, **overrides) -> dict:
    """What the post form sends when its author saves a draft."""
    data = {
        "form_token": str(uuid.uuid4()),
        "account": account.pk,
        "text": "Our choir sang at the town hall tonight.",
        "purpose": "Shows the community what our pupils achieve.",
        "link": "",
        "planned_for": "",
        "campaign": "",
        "action": "save",
    }
    data.update(overrides)
    return data


def submit_from_page(client, post, **options):
    """Send the post to the senior team from its page, as its author would."""
    return client.post(
        reverse("approvals:post_submit", args=[post.pk]), SELF_CHECK_FIELDS, **options
    )


def draft_post(author, account=None, **overrides):
    account = account or AccountFactory()
    post, _created = services.post_create(actor=author, content=content(account, **overrides))
    return post


def submitted_post(author, account=None, **overrides):
    post = draft_post(author, account, **overrides)
    return services.post_submit(actor=author, post=post, self_check=ALL_CONFIRMED).post


def approved_post(author, approver, account=None, **overrides):
    post = submitted_post(author, account, **overrides)
    services.post_approve(actor=approver, post=post)
    post.refresh_from_db()
    return post


def published_post(author, approver, account=None, *, url, **overrides):
    """An approved post that its author has recorded as gone out, now, at `url`."""
    post = approved_post(author, approver, account, **overrides)
    services.post_mark_published(actor=author, post=post, published_at=timezone.now(), url=url)
    post.refresh_from_db()
    return post


def proposed_campaign(proposer, **overrides) -> Campaign:
    today = timezone.localdate()
    values = {
        "title": "Sports week",
        "aim": "Show the whole school taking part in sport.",
        "starts_on": today + datetime.timedelta(days=7),
        "ends_on": today + datetime.timedelta(days=14),
    }
    values.update(overrides)
    campaign, _created = services.campaign_propose(actor=proposer, **values)
    return campaign


def image_bytes(fmt="JPEG", size=(64, 48), exif=None, color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, color)
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def exif_with_location(orientation=1) -> bytes:
    """EXIF data as a phone camera writes it, with where the photo was taken."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "SchoolCam"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 33.0, 12.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 5.0, 30.0)
    return exif.tobytes()
