"""Checking and cleaning uploaded images.

An upload is trusted only after Pillow has decoded it fully: the file name and the browser's
content type mean nothing. The image is then re-encoded, which drops everything but the pixels
(EXIF, including the GPS position of a photo taken at school), after turning it the right way up.
"""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

# Larger images are refused: a small file can decode into gigabytes (a "decompression bomb").
MAX_PIXELS = 40_000_000
# An animation decodes every frame at the full size of its canvas, so its frames together are
# bounded too (for example 100 frames of 500 x 500): a few hundred bytes can declare 12 frames
# of 6000 x 6000, which would take gigabytes to decode.
MAX_ANIMATION_PIXELS = 25_000_000

# Pillow format name -> (content type, file extension)
ALLOWED_FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "GIF": ("image/gif", "gif"),
    "WEBP": ("image/webp", "webp"),
}


@dataclass(frozen=True)
class CleanImage:
    """A decoded, re-encoded image ready to store under a random name."""

    file: ContentFile
    content_type: str
    width: int
    height: int
    original_name: str

    @property
    def size(self) -> int:
        return self.file.size


def max_upload_bytes() -> int:
    return int(settings.MAX_IMAGE_UPLOAD_MB) * 1024 * 1024


def clean_uploaded_image(upload) -> CleanImage:
    """Decode, check and re-encode an uploaded file; raise ValidationError with a message a
    member of staff can act on when it is not an image we accept."""
    limit_mb = settings.MAX_IMAGE_UPLOAD_MB
    if upload.size is not None and upload.size > max_upload_bytes():
        raise ValidationError(
            _("The image is larger than %(limit)s MB. Choose a smaller one or resize it.")
            % {"limit": limit_mb},
            code="too_large",
        )
    not_an_image = ValidationError(
        _("The file is not an image we can use. Choose a JPEG, PNG, GIF or WebP picture."),
        code="not_an_image",
    )
    too_many_pixels = ValidationError(
        _("The image is too large (more than 40 megapixels). Resize it and try again."),
        code="too_many_pixels",
    )
    too_large_animation = ValidationError(
        _(
            "The animation is too large (too many frames for its size). Use a shorter or "
            "smaller animation, or a still picture."
        ),
        code="too_many_pixels",
    )
    original_limit = Image.MAX_IMAGE_PIXELS
    try:
        Image.MAX_IMAGE_PIXELS = MAX_PIXELS
        with warnings.catch_warnings():
            # Pillow warns between the limit and twice the limit, and raises above that; both
            # are refusals here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload) as probe:
                image_format = probe.format
                probe.verify()
            if image_format not in ALLOWED_FORMATS:
                raise not_an_image
            # verify() leaves the image unusable; open it again and decode every pixel.
            upload.seek(0)
            image = Image.open(upload)
            # Checked before decoding, so a bomb is refused without allocating its pixels.
            if image.width * image.height > MAX_PIXELS:
                raise too_many_pixels
            # Counting frames reads the file's frame headers without decoding any pixels.
            if getattr(image, "n_frames", 1) * image.width * image.height > MAX_ANIMATION_PIXELS:
                raise too_large_animation
            image.load()
            content_type, extension = ALLOWED_FORMATS[image_format]
            data, width, height = _reencode(image, image_format)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels from None
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise not_an_image from None
    finally:
        Image.MAX_IMAGE_PIXELS = original_limit
    name = f"{uuid.uuid4().hex}.{extension}"
    original_name = (getattr(upload, "name", "") or "")[:255]
    return CleanImage(
        file=ContentFile(data, name=name),
        content_type=content_type,
        width=width,
        height=height,
        original_name=original_name,
    )


def _reencode(image: Image.Image, image_format: str) -> tuple[bytes, int, int]:
    """Write the pixels again in the same format, with no metadata."""
    output = io.BytesIO()
    if image_format == "GIF" and getattr(image, "n_frames", 1) > 1:
        frames, pixels = [], 0
        for frame in ImageSequence.Iterator(image):
            # A frame may enlarge the canvas as it is decoded; count what is really held.
            pixels += frame.width * frame.height
            if pixels > MAX_ANIMATION_PIXELS:
                raise Image.DecompressionBombError("The animation's frames are too large.")
            frames.append(frame.copy())
        frames[0].save(
            output,
            format="GIF",
            save_all=True,
            append_images=frames[1:],
            loop=image.info.get("loop", 0),
            duration=image.info.get("duration", 100),
        )
        return output.getvalue(), image.width, image.height
    upright = ImageOps.exif_transpose(image)
    if image_format == "JPEG":
        if upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        upright.save(output, format="JPEG", quality=88, optimize=True)
    elif image_format == "PNG":
        upright.save(output, format="PNG", optimize=True)
    elif image_format == "GIF":
        upright.save(output, format="GIF")
    else:
        upright.save(output, format="WEBP", quality=88)
    return output.getvalue(), upright.width, upright.height
