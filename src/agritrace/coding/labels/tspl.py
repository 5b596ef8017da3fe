"""TSPL for TSC, Gprinter, Xprinter and the many label printers in China that speak it (issue 5,
point 4), at 203 or 300 dpi.

One header (``SIZE`` in mm, ``GAP 2 mm,0 mm``, ``DIRECTION``, ``REFERENCE``), then per label
``CLS``, the fields in dots and ``PRINT 1,1``. The QR is ``QRCODE x,y,Q,<cell>,A,0,"<url>"``
(level Q, automatic mode; cell = whole dots per module, 2–10, fitting the symbol and its
4-module quiet zone in the element's square). In strings ``"`` is written ``\\["]``.

Fonts (issue 11, point 3): the trace code, plain ASCII, is printed in the largest of TSPL's
resident fixed-pitch fonts ``"1"``–``"5"`` (8×12 to 32×48 dots, whole multiples) not taller than
its fitted size, so it never spills out of its box (the resident Chinese font ``TSS24.BF2`` is
24 dots high at least, too tall for small labels, and missing from printers sold outside
China). All other text is set from the label font at the printer's resolution
(``bitmap.text_bitmap``) and sent as ``BITMAP`` data with each label; each distinct text is
fitted and rasterised once per job. The commands are ASCII, the bitmaps binary: the job is built
as Latin-1 text and encoded once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

from agritrace.coding.labels.bitmap import logo_bitmap
from agritrace.coding.labels.layout import (
    MIN_DPI,
    LabelItem,
    Layout,
    QRElement,
    TextElement,
    check_request,
    dots,
    qr_dots_per_module,
    resident,
)
from agritrace.coding.labels.printing import Dialect, text_field

#: TSPL's resident fixed-pitch fonts: (name, width, height) in dots.
FONTS = (("1", 8, 12), ("2", 12, 20), ("3", 16, 24), ("4", 24, 32), ("5", 32, 48))
MAX_MULTIPLIER = 10  # TEXT x- and y-multiplication 1 to 10
MAX_CELL = 10  # QRCODE cell width 1 to 10
_QUOTE = str.maketrans({'"': '\\["]'})
_ZERO_IS_BLACK = bytes(255 - b for b in range(256))


def quoted(text: str) -> str:
    """``text`` (printable ASCII without backslashes) as a TSPL string literal."""
    if '"' in text:
        return f'"{text.translate(_QUOTE)}"'
    return f'"{text}"'


@lru_cache(maxsize=64)
def resident_font(size: int) -> tuple[str, int, int]:
    """(font, multiplier, printed height) of the tallest resident font not taller than ``size``
    dots (ties: the larger design); at least font "1" once."""
    choices = [
        (height * m, height, name, m)
        for name, _width, height in FONTS
        for m in range(1, MAX_MULTIPLIER + 1)
        if height * m <= size
    ]
    tallest, _height, name, m = max(choices, default=(FONTS[0][2], 0, FONTS[0][0], 1))
    return name, m, tallest


def _start(x: int, y: int, size: int) -> str:
    font, m, _height = resident_font(size)
    return f"TEXT {x},{y},{quoted(font)},0,{m},{m},"


#: TSPL's text: the code in a resident font (``TEXT``; a backslash is not printable in a TSPL
#: string), the rest as ``BITMAP`` data with each label.
DIALECT = Dialect(
    start=_start,
    line=lambda start, text: f"{start}{quoted(text)}\r\n",
    prints=lambda text: resident(text) and "\\" not in text,
    bitmap=lambda x, y, row_bytes, rows, bits: _bitmap(x, y, row_bytes, rows, bits),
)


def render_tspl(
    layout: Layout,
    items: Sequence[LabelItem],
    dpi: int = MIN_DPI,
    logo: bytes | None = None,
) -> bytes:
    """TSPL for ``items`` (see the module docstring); ``logo`` fills the layout's logo boxes as
    ``BITMAP`` data. Positions and commands are worked out once per layout, each distinct text
    once per job. ValidationError for identity text that does not fit (a value longer than
    the layout was checked for)."""
    check_request(items)
    head = (
        f"SIZE {layout.width_mm:g} mm,{layout.height_mm:g} mm\r\n"
        "GAP 2 mm,0 mm\r\nDIRECTION 1,0\r\nREFERENCE 0,0\r\n"
    )
    fixed = "CLS\r\n"
    fields: list[Callable[[LabelItem], str]] = []
    for n, e in enumerate(layout.elements, start=1):
        if isinstance(e, QRElement):
            fields.append(_qr_field(e, dpi))
        elif isinstance(e, TextElement):
            fields.append(text_field(n, e, dpi, DIALECT))
        elif logo:
            row_bytes, rows, bits = logo_bitmap(logo, dots(e.width_mm, dpi), dots(e.height_mm, dpi))
            fixed += _bitmap(dots(e.x_mm, dpi), dots(e.y_mm, dpi), row_bytes, rows, bits)
    out = [head]
    for item in items:
        out.append(fixed)
        out += [field(item) for field in fields]
        out.append("PRINT 1,1\r\n")
    return "".join(out).encode("latin-1")


def _bitmap(x: int, y: int, row_bytes: int, rows: int, bits: bytes) -> str:
    """A ``BITMAP`` command of ``bits`` (1 = black) at (``x``, ``y``), TSPL's 0 being black;
    the binary data as Latin-1 text, so that the job is encoded in one go."""
    data = bits.translate(_ZERO_IS_BLACK).decode("latin-1")
    return f"BITMAP {max(x, 0)},{max(y, 0)},{row_bytes},{rows},0,{data}\r\n"


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
