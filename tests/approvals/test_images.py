"""Uploads are decoded, limited and re-encoded: only real images, no metadata kept."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from approvals import services
from approvals.images import clean_uploaded_image
from approvals.models import MediaSource, PostMedia
from tests.approvals.factories import content, draft_post, exif_with_location, image_bytes


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_a_text_file_renamed_to_jpg_is_refused():
    with pytest.raises(ValidationError) as error:
        clean_uploaded_image(upload(b"This is not a picture at all.\n" * 20))
    assert error.value.code == "not_an_image"


def test_a_truncated_image_is_refused():
    data = image_bytes("PNG", size=(200, 200))
    with pytest.raises(ValidationError) as error:
        clean_uploaded_image(upload(data[: len(data) // 2], name="cut.png"))
    assert error.value.code == "not_an_image"


def test_a_real_image_in_a_format_we_do_not_take_is_refused():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="BMP")
    with pytest.raises(ValidationError) as error:
        clean_uploaded_image(upload(buffer.getvalue(), name="picture.jpg"))
    assert error.value.code == "not_an_image"


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.MAX_IMAGE_UPLOAD_MB = 1
    too_big = image_bytes("PNG", size=(10, 10)) + b"\0" * (1024 * 1024)
    with pytest.raises(ValidationError) as error:
        clean_uploaded_image(upload(too_big, name="big.png"))
    assert error.value.code == "too_large"
    assert "1 MB" in error.value.messages[0]


def test_an_image_with_too_many_pixels_is_refused():
    # 50 megapixels of one colour compress to a tiny file: a decompression bomb.
    buffer = io.BytesIO()
    Image.new("1", (10_000, 5_000)).save(buffer, format="PNG")
    assert buffer.tell() < 1024 * 1024
    with pytest.raises(ValidationError) as error:
        clean_uploaded_image(upload(buffer.getvalue(), name="bomb.png"))
    assert error.value.code == "too_many_pixels"


@pytest.mark.parametrize(
    ("fmt", "content_type", "extension"),
    [
        ("JPEG", "image/jpeg", "jpg"),
        ("PNG", "image/png", "png"),
        ("GIF", "image/gif", "gif"),
        ("WEBP", "image/webp", "webp"),
    ],
)
def test_accepted_formats_are_re_encoded_under_a_random_name(fmt, content_type, extension):
    clean = clean_uploaded_image(upload(image_bytes(fmt), name="../../etc/passwd.exe"))
    assert clean.content_type == content_type
    stem, ext = clean.file.name.split(".")
    assert ext == extension
    assert len(stem) == 32 and all(c in "0123456789abcdef" for c in stem)
    assert Image.open(io.BytesIO(clean.file.read())).format == fmt


def test_exif_and_gps_location_are_removed_and_the_photo_turned_upright():
    data = image_bytes("JPEG", size=(64, 48), exif=exif_with_location(6))
    original = Image.open(io.BytesIO(data))
    assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test photo has a location
    clean = clean_uploaded_image(upload(data))
    stored = Image.open(io.BytesIO(clean.file.read()))
    assert not stored.getexif()
    assert "exif" not in stored.info
    # Orientation 6 means "rotate 90°": the stored pixels are upright, so width and height swap.
    assert (clean.width, clean.height) == (48, 64)


@pytest.mark.django_db
def test_uploaded_media_is_stored_outside_static_with_no_gps(staff_user, account, settings):
    data = image_bytes("JPEG", exif=exif_with_location())
    post, _created = services.post_create(
        actor=staff_user,
        content=content(account),
        new_media=[
            services.NewMedia(
                image=clean_uploaded_image(upload(data)),
                alt_text="Pupils planting trees",
                source=MediaSource.OWN,
                pupil_consent_confirmed=True,
            )
        ],
    )
    media = PostMedia.objects.get(post=post)
    path = media.image.path
    assert path.startswith(str(settings.MEDIA_ROOT))
    assert not path.startswith(str(settings.STATIC_ROOT))
    assert media.content_type == "image/jpeg"
    with Image.open(path) as stored:
        assert not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert "exif" not in stored.info
    assert b"SchoolCam" not in open(path, "rb").read()


@pytest.mark.django_db
def test_media_needs_alt_text_consent_and_its_source(staff_user, account):
    clean = clean_uploaded_image(upload(image_bytes()))
    post = draft_post(staff_user, account)
    cases = [
        {"alt_text": "", "source": MediaSource.OWN, "pupil_consent_confirmed": True},
        {"alt_text": "Trees", "source": MediaSource.OWN, "pupil_consent_confirmed": False},
        {"alt_text": "Trees", "source": MediaSource.PERMISSION, "pupil_consent_confirmed": True},
        {"alt_text": "Trees", "source": MediaSource.CREDITED, "pupil_consent_confirmed": True},
    ]
    for case in cases:
        with pytest.raises(services.ApprovalError):
            services.post_update(
                actor=staff_user,
                post=post,
                content=content(account),
                new_media=[services.NewMedia(image=clean, **case)],
            )
    assert PostMedia.objects.count() == 0
