"""A photo uploaded through the post form is stored without its location and served, with its
real content type, only to those who may see the post. (The image handling is the approvals
app's; this checks it end to end, from the browser's side.)"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from approvals.models import PendingImage, PostMedia
from tests.approvals.factories import AccountFactory, exif_with_location, image_bytes

pytestmark = pytest.mark.django_db


def photo_with_location() -> bytes:
    data = image_bytes("JPEG", size=(80, 60), exif=exif_with_location())
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    return data


def test_an_uploaded_photo_loses_its_location_and_is_served_only_to_those_allowed(
    client, staff_user, other_staff_user
):
    account = AccountFactory()
    client.force_login(staff_user)
    key = "3f0c8a52-6d1e-4f0a-9a57-0d5b8e1c2a17"
    content = {
        "account": account.pk,
        "text": "Year 7 planted trees today.",
        "purpose": "Celebrates pupils' work.",
        "image_key": key,
    }
    shown_again = client.post(
        reverse("approvals:post_create"),
        {
            **content,
            "images": SimpleUploadedFile("IMG_0001.jpg", photo_with_location(), "image/jpeg"),
        },
    )
    assert shown_again.status_code == 200  # the image is kept; its details are asked for
    (pending,) = PendingImage.objects.all()
    assert "IMG_0001" not in pending.image.name
    client.force_login(other_staff_user)
    assert client.get(reverse("approvals:pending_image", args=[pending.pk])).status_code == 404
    client.force_login(staff_user)
    p = f"image_{pending.pk}"
    response = client.post(
        reverse("approvals:post_create"),
        {
            **content,
            f"{p}_alt_text": "Pupils planting trees",
            f"{p}_source": "own",
            f"{p}_shows_pupils": "yes",
            f"{p}_pupil_consent": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    media = PostMedia.objects.get()
    assert "IMG_0001" not in media.image.name  # a random name, not the phone's

    served = client.get(reverse("approvals:media", args=[media.pk]))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert served["X-Content-Type-Options"] == "nosniff"
    # A shared staffroom computer does not keep a picture of pupils after its user signs out.
    assert "no-store" in served["Cache-Control"]
    body = b"".join(served.streaming_content)
    with Image.open(io.BytesIO(body)) as stored:
        assert not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert "exif" not in stored.info
    assert b"SchoolCam" not in body

    client.force_login(other_staff_user)
    assert client.get(reverse("approvals:media", args=[media.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("approvals:media", args=[media.pk])).status_code == 302
