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

from collections.abc import Callable, Sequence

from agritrace.coding.labels.bitmap import logo_bitmap
from agritrace.coding.labels.layout import (
    LabelItem,
    Layout,
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
    if '"' in text or "\\" in text:
        return f'"{text.translate(_QUOTE)}"'
    return f'"{text}"'


def render_tspl(
    layout: Layout,
    items: Sequence[LabelItem],
    dpi: int = 203,
    font: str = DEFAULT_FONT,
    logo: bytes | None = None,
) -> bytes:
    """TSPL for ``items``, encoded as GB18030. ``font`` is a resident font of ``FONT_DOTS``
    height; ``logo`` fills the layout's logo boxes as ``BITMAP`` data. Positions and commands
    are worked out once per layout, each distinct text once per job, and the text encoded once."""
    check_request(items)
    head = (
        f"SIZE {layout.width_mm:g} mm,{layout.height_mm:g} mm\r\n"
        "GAP 2 mm,0 mm\r\nDIRECTION 1,0\r\nREFERENCE 0,0\r\n"
    ).encode("gb18030")
    fixed = b"CLS\r\n"
    fields: list[Callable[[LabelItem], str]] = []
    for e in layout.elements:
        if isinstance(e, QRElement):
            fields.append(_qr_field(e, dpi))
        elif isinstance(e, TextElement):
            fields.append(_text_field(e, dpi, font))
        elif logo:
            row_bytes, rows, bits = logo_bitmap(logo, dots(e.width_mm, dpi), dots(e.height_mm, dpi))
            origin = f"BITMAP {dots(e.x_mm, dpi)},{dots(e.y_mm, dpi)},{row_bytes},{rows},0,"
            fixed += origin.encode() + bits.translate(_ZERO_IS_BLACK) + b"\r\n"
    # NUL stands for each label's fixed commands (binary bitmaps) while the text is encoded in
    # one go: clean() and check_request() keep it out of the fields, and no GB18030 multi-byte
    # sequence contains a 0 byte.
    out = []
    for item in items:
        out.append("\0")
        out += [field(item) for field in fields]
        out.append("PRINT 1,1\r\n")
    return head + "".join(out).encode("gb18030").replace(b"\0", fixed)


def _qr_field(e: QRElement, dpi: int) -> Callable[[LabelItem], str]:
    """The ``QRCODE`` line of an item's URL; position and cell width per URL length."""
    prefixes: dict[int, str] = {}

    def field(item: LabelItem) -> str:
        url = item.url
        if (prefix := prefixes.get(len(url))) is None:
            modules, cell = qr_dots_per_module(e, url, item.code, dpi)
            cell = min(cell, MAX_CELL)
            inset = (dots(e.size_mm, dpi) - modules * cell) // 2
            x, y = dots(e.x_mm, dpi) + inset, dots(e.y_mm, dpi) + inset
            prefix = prefixes[len(url)] = f"QRCODE {x},{y},Q,{cell},A,0,"
        return f"{prefix}{quoted(url)}\r\n"

    return field


def _text_field(e: TextElement, dpi: int, font: str) -> Callable[[LabelItem], str]:
    """The ``TEXT`` line of an item (nothing for an empty value), cut to the element's width."""
    value_of = e.getter()
    scale = max(1, round(dots(e.size_mm, dpi) / FONT_DOTS))
    ems = dots(e.width_mm, dpi) / (FONT_DOTS * scale)
    command = f"TEXT {dots(e.x_mm, dpi)},{dots(e.y_mm, dpi)},{quoted(font)},0,{scale},{scale},"
    done: dict[str, str] = {}

    def field(item: LabelItem) -> str:
        if not (value := value_of(item)):
            return ""
        if (line := done.get(value)) is None:
            line = done[value] = f"{command}{quoted(fit(clean(value), ems, em_width))}\r\n"
        return line

    return field
