"""Monochrome bitmaps for label printers, in whole dots: logos scaled once per print job, and
text lines rasterised from the label font (``fonts``) once per distinct text per job, so that
ZPL and TSPL print CJK text without relying on a font stored in the printer."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageOps

from agritrace.coding.labels.fonts import em, raster_font

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


def text_bitmap(
    lines: Sequence[str], pixels: int, pitch: float, ascent: float
) -> tuple[int, int, int, int, bytes]:
    """``lines`` set at ``pixels`` per em without anti-aliasing, baselines ``ascent`` below the
    top and ``pitch`` apart: (x, y of the ink's top-left corner from the text's top-left
    corner, bytes per row, rows, rows of packed bits, 1 = black). Empty ink: 0 rows."""
    font = raster_font(pixels)
    margin = pixels // 2 + 2  # ink may reach a little past the em box (accents, "|")
    width = math.ceil(max(em(line) for line in lines) * pixels) + 2 * margin
    height = math.ceil(ascent + (len(lines) - 1) * pitch + pixels) + 2 * margin
    image = Image.new("1", (width, height), 0)
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(lines):
        draw.text((margin, margin + ascent + n * pitch), line, font=font, fill=1, anchor="ls")
    box = image.getbbox()
    if box is None:
        return 0, 0, 1, 0, b""
    left, top, right, bottom = box
    row_bytes = (right - left + 7) // 8
    ink = image.crop((left, top, left + row_bytes * 8, bottom))
    return left - margin, top - margin, row_bytes, bottom - top, ink.tobytes()
