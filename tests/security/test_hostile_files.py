"""Hostile image files: each is refused from what its header declares, with a message, without
the worker decoding gigabytes. The files are built by hand (a few hundred bytes each) so the
test itself stays small: what makes them dangerous is what they declare, not what they hold."""

import io
import json
import struct
import subprocess
import sys
import zlib
from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.urls import reverse
from PIL import Image, ImageFile

from approvals.images import MAX_ANIMATION_PIXELS, clean_uploaded_image
from approvals.models import Post
from tests.approvals.factories import AccountFactory, image_bytes

ROOT = Path(__file__).resolve().parents[2]


def gif_frame_bomb(width=6000, height=6000, frames=12) -> bytes:
    """An animated GIF whose canvas is width x height, with `frames` frames of one pixel
    each: a few hundred bytes that decode to frames x width x height pixels."""
    header = b"GIF89a" + struct.pack("<HH", width, height) + bytes([0x80, 0, 0])
    palette = b"\x00\x00\x00\xff\xff\xff"  # two colours
    loop = b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
    body = b""
    for index in range(frames):
        control = b"\x21\xf9\x04\x00" + struct.pack("<H", 10) + b"\x00\x00"
        descriptor = b"\x2c" + struct.pack("<HHHH", index % width, 0, 1, 1) + b"\x00"
        pixel = b"\x02\x02\x44\x01\x00"  # LZW: clear, colour 0, end
        body += control + descriptor + pixel
    return header + palette + loop + body + b"\x3b"


def png_declaring(width: int, height: int) -> bytes:
    """A PNG whose header declares width x height, with almost no pixel data behind it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def upload(data: bytes, name: str, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_the_frame_bomb_really_declares_gigabytes():
    data = gif_frame_bomb()
    assert len(data) < 1_000
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (6000, 6000)
        assert image.n_frames == 12
    assert 12 * 6000 * 6000 > MAX_ANIMATION_PIXELS


def test_an_animated_gif_bomb_is_refused_with_a_message():
    with pytest.raises(ValidationError) as error:
        clean_uploaded_image(upload(gif_frame_bomb(), "party.gif", "image/gif"))
    assert error.value.code == "too_many_pixels"
    assert "animation" in error.value.messages[0]


def test_a_bomb_of_many_small_frames_is_refused():
    # Each frame is well inside the still-image limit; together they are not.
    with pytest.raises(ValidationError) as error:
        clean_uploaded_image(upload(gif_frame_bomb(2000, 2000, frames=400), "a.gif", "image/gif"))
    assert error.value.code == "too_many_pixels"


def test_a_png_declaring_a_huge_size_is_refused():
    with pytest.raises(ValidationError) as error:
        clean_uploaded_image(upload(png_declaring(100_000, 100_000), "huge.png", "image/png"))
    assert error.value.code == "too_many_pixels"


def test_a_png_just_over_the_still_image_limit_is_refused():
    with pytest.raises(ValidationError) as error:
        clean_uploaded_image(upload(png_declaring(8000, 6000), "big.png", "image/png"))
    assert error.value.code == "too_many_pixels"


def test_a_truncated_gif_is_refused():
    buffer = io.BytesIO()
    frames = [Image.new("P", (120, 80), colour) for colour in (1, 2, 3)]
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])
    data = buffer.getvalue()
    with pytest.raises(ValidationError) as error:
        clean_uploaded_image(upload(data[: len(data) // 2], "cut.gif", "image/gif"))
    assert error.value.code == "not_an_image"


def test_a_modest_animation_keeps_every_frame():
    buffer = io.BytesIO()
    frames = [Image.new("RGB", (160, 120), (40 * i, 0, 0)) for i in range(5)]
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=80)
    cleaned = clean_uploaded_image(upload(buffer.getvalue(), "wave.gif", "image/gif"))
    with Image.open(io.BytesIO(cleaned.file.read())) as stored:
        assert stored.n_frames == 5
        assert stored.size == (160, 120)


MEASURE = """
import json, resource, sys
import django
django.setup()
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from approvals.images import clean_uploaded_image
data = sys.stdin.buffer.read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    clean_uploaded_image(SimpleUploadedFile("bomb.gif", data, content_type="image/gif"))
    outcome = "accepted"
except ValidationError as error:
    outcome = error.code
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"outcome": outcome, "grew_kb": after - before}))
"""


def test_the_frame_bomb_is_refused_in_bounded_memory():
    """In a process of its own, so the peak memory is this file's alone. Before the limit on
    frames, this held about 1.7 GB for many seconds."""
    result = subprocess.run(
        [sys.executable, "-c", MEASURE],
        input=gif_frame_bomb(),
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    measured = json.loads(result.stdout.decode().strip().splitlines()[-1])
    assert measured["outcome"] == "too_many_pixels"
    assert measured["grew_kb"] < 50_000  # well under 50 MB


BOMBS = {
    "12 frames of 6000 x 6000": (gif_frame_bomb(), "party.gif", "image/gif"),
    "400 frames of 2000 x 2000": (gif_frame_bomb(2000, 2000, frames=400), "a.gif", "image/gif"),
    "a PNG just over the still-image limit": (png_declaring(8000, 6000), "big.png", "image/png"),
}


def clean_noting_decoding(data: bytes, name: str, content_type: str) -> tuple[str, list]:
    """Clean the file: what came of it ("accepted" or the refusal's code), and the size of each
    image whose pixels Pillow decoded on the way (`ImageFile.load` is what decodes them). None
    decoded means the file was judged by its header alone."""
    decoded = []
    load = ImageFile.ImageFile.load

    def noting(image, *args, **kwargs):
        decoded.append(image.size)
        return load(image, *args, **kwargs)

    with mock.patch.object(ImageFile.ImageFile, "load", noting):
        try:
            clean_uploaded_image(upload(data, name, content_type))
            outcome = "accepted"
        except ValidationError as error:
            outcome = error.code
    return outcome, decoded


@pytest.mark.parametrize("bomb", BOMBS.values(), ids=BOMBS.keys())
def test_a_bomb_is_refused_from_its_header_before_any_pixel_is_decoded(bomb):
    assert clean_noting_decoding(*bomb) == ("too_many_pixels", [])


def test_a_picture_within_the_limits_is_decoded():
    # The other side of the test above: cleaning a real picture does decode its pixels.
    outcome, decoded = clean_noting_decoding(
        image_bytes("PNG", size=(64, 48)), "ok.png", "image/png"
    )
    assert outcome == "accepted"
    assert (64, 48) in decoded


@pytest.mark.django_db
def test_a_post_with_a_frame_bomb_shows_the_form_again_with_the_message(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        reverse("approvals:post_create"),
        {
            "account": AccountFactory().pk,
            "text": "Sports day.",
            "purpose": "Celebrates pupils.",
            "images": upload(gif_frame_bomb(), "party.gif", "image/gif"),
        },
    )
    assert response.status_code == 200
    assert "animation is too large" in response.content.decode()
    assert not Post.objects.exists()


class RecordingHandler(FileUploadHandler):
    """Stands where the handlers that store files stand, and notes every byte handed on."""

    received: list[int] = []

    def receive_data_chunk(self, raw_data, start):
        RecordingHandler.received.append(len(raw_data))
        return raw_data

    def file_complete(self, file_size):
        return None


@pytest.mark.django_db
def test_a_request_body_over_the_limit_is_refused_before_it_is_stored(client, staff_user, settings):
    settings.REQUEST_BODY_MAX_BYTES = 200_000
    settings.FILE_UPLOAD_HANDLERS = [
        "redbridge_portal.uploads.RequestBodyLimitHandler",
        f"{__name__}.RecordingHandler",
        *settings.FILE_UPLOAD_HANDLERS[1:],
    ]
    RecordingHandler.received.clear()
    client.force_login(staff_user)
    big = image_bytes("PNG", size=(10, 10)) + b"\0" * 300_000
    response = client.post(
        reverse("approvals:post_create"),
        {"text": "Sports day.", "image": upload(big, "big.png", "image/png")},
    )
    assert response.status_code == 400
    assert RecordingHandler.received == []  # nothing reached the handlers that store files
    assert not Post.objects.exists()

    # Under the limit, the same handlers see the file.
    small = image_bytes("PNG", size=(10, 10))
    client.post(reverse("approvals:post_create"), {"image": upload(small, "s.png", "image/png")})
    assert sum(RecordingHandler.received) == len(small)
