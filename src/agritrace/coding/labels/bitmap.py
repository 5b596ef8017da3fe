"""Logos for label printers: a monochrome bitmap in whole dots, scaled once per print job."""

from __future__ import annotations

import io

from PIL import Image, ImageOps

_INVERT = bytes(255 - b for b in range(256))


def logo_bitmap(data: bytes, width_dots: int, height_dots: int) -> tuple[int, int, bytes]:
    """``data`` (PNG, JPEG…) fitted into ``width_dots`` × ``height_dots``, transparent parts white,
    dithered to black and white: (bytes per row, rows, rows of packed bits, 1 = black)."""
    image = Image.open(io.BytesIO(data)).convert("RGBA")
    image = ImageOps.contain(image, (width_dots, height_dots))
    row_bytes = (image.width + 7) // 8
    page = Image.new("RGBA", (row_bytes * 8, image.height), "white")
    page.alpha_composite(image)
    return row_bytes, image.height, page.convert("1").tobytes().translate(_INVERT)
