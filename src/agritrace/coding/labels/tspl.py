"""TSPL for TSC, Gprinter, Xprinter and the many label printers in China that speak it (issue 5,
point 4), at 203 or 300 dpi.

One header (``SIZE`` in mm, ``GAP 2 mm,0 mm``, ``DIRECTION``, ``REFERENCE``), then per label
``CLS``, the fields in dots and ``PRINT 1,1``. The QR is ``QRCODE x,y,Q,<cell>,A,0,"<url>"``
(level Q, automatic mode; cell = whole dots per module, 2–10, fitting the symbol and its
4-module quiet zone in the element's square). Text uses the resident simplified-Chinese bitmap
font ``TSS24.BF2`` (24 × 24 dots; ASCII 12 × 24) scaled by whole multiples, which expects
GB18030/GBK bytes: the whole output is GB18030. In strings ``"`` is written ``\\["]``; since
``\\[`` starts an escape, a backslash is printed as the full-width ``＼``.
"""

from __future__ import annotations

from collections.abc import Sequence

from agritrace.coding.labels.bitmap import logo_bitmap
from agritrace.coding.labels.layout import (
    LabelItem,
    Layout,
    LogoElement,
    QRElement,
    TextElement,
    check_request,
    clean,
    dots,
    em_width,
    fit,
    qr_dots_per_module,
)

DEFAULT_FONT = "TSS24.BF2"
FONT_DOTS = 24  # TSS24.BF2 glyph height
MAX_CELL = 10  # QRCODE cell width 1 to 10
_QUOTE = str.maketrans({"\\": "＼", '"': '\\["]'})
_ZERO_IS_BLACK = bytes(255 - b for b in range(256))


def quoted(text: str) -> str:
    """``text`` as a TSPL string literal."""
    return f'"{text.translate(_QUOTE)}"'


def render_tspl(
    layout: Layout,
    items: Sequence[LabelItem],
    dpi: int = 203,
    font: str = DEFAULT_FONT,
    logo: bytes | None = None,
) -> bytes:
    """TSPL for ``items``, encoded as GB18030. ``font`` is a resident font of ``FONT_DOTS``
    height; ``logo`` fills the layout's logo boxes as ``BITMAP`` data."""
    check_request(items)
    head = (
        f"SIZE {layout.width_mm:g} mm,{layout.height_mm:g} mm\r\n"
        "GAP 2 mm,0 mm\r\nDIRECTION 1,0\r\nREFERENCE 0,0\r\n"
    ).encode("gb18030")
    fixed = b"CLS\r\n"
    for e in layout.elements:
        if isinstance(e, LogoElement) and logo:
            row_bytes, rows, bits = logo_bitmap(logo, dots(e.width_mm, dpi), dots(e.height_mm, dpi))
            origin = f"BITMAP {dots(e.x_mm, dpi)},{dots(e.y_mm, dpi)},{row_bytes},{rows},0,"
            fixed += origin.encode() + bits.translate(_ZERO_IS_BLACK) + b"\r\n"
    qr_fields: dict[tuple[int, int], str] = {}
    texts: dict[tuple[int, str], str] = {}

    def qr(n: int, e: QRElement, item: LabelItem) -> str:
        key = (n, len(item.url))
        if (prefix := qr_fields.get(key)) is None:
            modules, cell = qr_dots_per_module(e, item.url, item.code, dpi)
            cell = min(cell, MAX_CELL)
            inset = (dots(e.size_mm, dpi) - modules * cell) // 2
            x, y = dots(e.x_mm, dpi) + inset, dots(e.y_mm, dpi) + inset
            prefix = qr_fields[key] = f"QRCODE {x},{y},Q,{cell},A,0,"
        return f"{prefix}{quoted(item.url)}\r\n"

    def text(n: int, e: TextElement, value: str) -> str:
        key = (n, value)
        if (line := texts.get(key)) is None:
            scale = max(1, round(dots(e.size_mm, dpi) / FONT_DOTS))
            value = fit(clean(value), dots(e.width_mm, dpi) / (FONT_DOTS * scale), em_width)
            origin = f"TEXT {dots(e.x_mm, dpi)},{dots(e.y_mm, dpi)}"
            line = texts[key] = f"{origin},{quoted(font)},0,{scale},{scale},{quoted(value)}\r\n"
        return line

    out = [head]
    for item in items:
        fields = []
        for n, e in enumerate(layout.elements):
            if isinstance(e, QRElement):
                fields.append(qr(n, e, item))
            elif isinstance(e, TextElement) and (value := e.value(item)):
                fields.append(text(n, e, value))
        out += (fixed, "".join(fields).encode("gb18030"), b"PRINT 1,1\r\n")
    return b"".join(out)
