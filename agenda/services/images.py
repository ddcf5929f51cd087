"""Images sent with a proposal: checked, cleaned and made small (pure: bytes in, bytes out).

Only JPEG, PNG and WebP are accepted, whatever the file's name says: the format is read from the
bytes by Pillow (a PNG named .jpg is a PNG; an HTML page or an SVG, which may carry scripts, is
no image at all).  A file is refused before decoding when it is larger than ``MAX_BYTES`` or
announces more than ``MAX_PIXELS`` (a decompression bomb: a few kilobytes that would decode to
gigabytes).  What is kept is a new picture: turned upright (EXIF orientation), at most
``MAX_SIDE`` pixels wide or high, re-encoded as WebP without any metadata (no EXIF, no GPS
position, no colour profile, no comment).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from agenda.errors import ProposalError
from agenda.messages import N_

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # 8,000 x 5,000: more than any camera's photo
MAX_SIDE = 1600
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
QUALITY = 82
CONTENT_TYPE = "image/webp"
EXTENSION = "webp"

TOO_LARGE = N_("This image is larger than 5 MB: send a smaller one (a photo exported for the "
               "web).")
BROKEN = N_("This image is damaged and cannot be read.")
NOT_AN_IMAGE = N_("This file is not a JPEG, PNG or WebP image.")
TOO_MANY_PIXELS = N_("This image has too many pixels (more than 40 million): send a smaller "
                     "one.")


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    width: int
    height: int


def clean_image(data: bytes) -> CleanImage:
    """The image re-encoded as a small WebP without metadata; ProposalError when refused."""
    if len(data) > MAX_BYTES:
        raise _refused(TOO_LARGE, "image.too_large")
    picture = _open(data)
    try:
        picture.load()
        upright = ImageOps.exif_transpose(picture)
    except (OSError, ValueError, Image.DecompressionBombError, SyntaxError) as error:
        raise _refused(BROKEN, "image.broken") from error
    upright.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    return _encode(upright)


def _open(data: bytes) -> Image.Image:
    """The image opened (its header read, nothing decoded yet), checked for format and size."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
    except (UnidentifiedImageError, Image.DecompressionBombWarning,
            Image.DecompressionBombError, OSError, ValueError, SyntaxError) as error:
        if isinstance(error, (Image.DecompressionBombWarning, Image.DecompressionBombError)):
            raise _too_many_pixels() from error
        raise _refused(NOT_AN_IMAGE, "image.not_an_image") from error
    if picture.width * picture.height > MAX_PIXELS:
        raise _too_many_pixels()
    return picture


def _encode(picture: Image.Image) -> CleanImage:
    """A fresh picture (pixels only: no metadata travels) saved as WebP."""
    mode = "RGBA" if picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info \
        else "RGB"
    pixels = picture.convert(mode)
    fresh = Image.new(mode, pixels.size)
    fresh.paste(pixels)
    out = io.BytesIO()
    fresh.save(out, format="WEBP", quality=QUALITY, method=4)
    return CleanImage(out.getvalue(), fresh.width, fresh.height)


def _too_many_pixels() -> ProposalError:
    return _refused(TOO_MANY_PIXELS, "image.too_many_pixels")


def _refused(message: str, code: str) -> ProposalError:
    return ProposalError(message, code=code)
