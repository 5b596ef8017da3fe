"""Uploaded photos: the content check every photo passes (complaint photos, 2020 spec Art. 23;
product photos on the ID card, 2021 notice 产品"身份证") and the smaller copies a page offers
with ``srcset`` so that a phone downloads no more than it shows."""

from __future__ import annotations

import io
import posixpath
import warnings
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

#: The formats accepted (as Pillow reads them) and their extensions.
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
#: Larger images are refused as decompression bombs (read from the header, before decoding).
MAX_PHOTO_PIXELS = 40_000_000
#: Stored photos are scaled down to fit this box.
PHOTO_BOX = (2560, 2560)


class PhotoRefused(ValueError):
    """An upload that is not an acceptable photo; the message says why."""


@dataclass(frozen=True)
class CleanPhoto:
    """An accepted photo, re-encoded without metadata."""

    content: bytes
    extension: str
    width: int
    height: int


def _encode(image: Image.Image, kind: str) -> bytes:
    """``image`` in its format, without metadata but its transparency."""
    image.info = {k: v for k, v in image.info.items() if k == "transparency"}
    buffer = io.BytesIO()
    if kind == "JPEG":
        image = image if image.mode in ("RGB", "L") else image.convert("RGB")
        image.save(buffer, "JPEG", quality=85, optimize=True)
    elif kind == "WEBP":
        image = image if image.mode in ("RGB", "RGBA") else image.convert("RGBA")
        image.save(buffer, "WEBP", quality=85)
    else:
        image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def clean_photo(upload: Any, limit: int, box: tuple[int, int] = PHOTO_BOX) -> CleanPhoto:
    """Open the upload with Pillow (never trusting its name or declared type), refuse anything
    but a real JPEG/PNG/WebP of at most ``limit`` bytes and the pixel count, and re-encode it
    (scaled to fit ``box``) so that EXIF (GPS, device) and other metadata are not stored."""
    if upload.size > limit:
        raise PhotoRefused(_("超过 %(mb)s MB") % {"mb": limit // (1024 * 1024)})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload) as probe:
                kind = probe.format
                if kind not in PHOTO_FORMATS:
                    raise PhotoRefused(_("只接受 JPEG、PNG 或 WebP 格式的照片"))
                if probe.width * probe.height > MAX_PHOTO_PIXELS:
                    raise Image.DecompressionBombError("too many pixels")
                probe.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()
                clean = ImageOps.exif_transpose(image)
                clean.thumbnail(box)
                content = _encode(clean, kind)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRefused(_("图片像素过多，无法处理")) from None
    except PhotoRefused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise PhotoRefused(_("不是有效的图片文件")) from None
    finally:
        upload.seek(0)
    return CleanPhoto(content, PHOTO_FORMATS[kind], *clean.size)


@deconstructible
class PhotoCheck:
    """A field validator refusing, with its reason, what :func:`clean_photo` refuses: run on a
    new upload, not on a file already stored (checked when it was uploaded)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, upload: Any) -> None:
        if getattr(upload, "_committed", False):
            return
        try:
            clean_photo(upload, self.limit)
        except PhotoRefused as refused:
            raise ValidationError(str(refused), code="invalid_photo") from None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PhotoCheck) and other.limit == self.limit

    def __hash__(self) -> int:
        return hash(self.limit)


def variant_name(name: str, width: int) -> str:
    """The stored name of ``name``'s copy ``width`` pixels wide: ``a/b.jpg`` → ``a/b-320w.jpg``."""
    stem, extension = posixpath.splitext(name)
    return f"{stem}-{width}w{extension}"


def save_variants(storage: Storage, name: str, widths: tuple[int, ...]) -> list[int]:
    """Store copies of the stored image ``name`` at each of ``widths`` narrower than it (same
    format, no metadata), once, at upload; returns the widths stored."""
    made = []
    with storage.open(name) as source, Image.open(source) as image:
        image.load()
        kind = image.format or "JPEG"
        for width in sorted(widths):
            if width >= image.width:
                break
            copy = image.resize((width, max(1, round(image.height * width / image.width))),
                                Image.Resampling.LANCZOS)  # fmt: skip
            target = variant_name(name, width)
            if storage.exists(target):
                storage.delete(target)
            storage.save(target, ContentFile(_encode(copy, kind)))
            made.append(width)
    return made


def srcset(storage: Storage, name: str, widths: tuple[int, ...]) -> list[tuple[str, int]]:
    """(URL, width) of the stored copies of ``name``, narrowest first."""
    return [
        (storage.url(variant_name(name, w)), w)
        for w in sorted(widths)
        if storage.exists(variant_name(name, w))
    ]
