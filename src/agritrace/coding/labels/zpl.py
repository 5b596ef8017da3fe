"""ZPL II for Zebra printers (issue 5, point 4), at 203, 300 or 600 dpi.

Each label is ``^XA … ^XZ`` with ``^PW``/``^LL`` (size in dots) and ``^CI28`` (field data in
UTF-8). The QR is ``^BQN,2,<magnification>,Q`` with ``^FDQA,<url>``: level Q, automatic mode,
the magnification the whole dots per module (2–10) that fit the symbol and its 4-module quiet
zone in the element's square. Every field is ``^FH``-escaped (``^``, ``~`` and ``_`` as hex).

Fonts (issue 11, point 3): nothing relies on a font a stock printer lacks. The trace code, plain
ASCII, is printed in the resident scalable font 0 (``^A0N``), sharp and readable by eye; its
width is bounded by ``layout.resident_em``. All other text (Chinese names, the batch line) is
set from the label font at the printer's resolution (``bitmap.text_bitmap``), downloaded once
per job to the printer's RAM as a graphic (``~DGR:ATLnnnnn.GRF``, which every ZPL II printer
accepts), recalled by each label (``^XG``) and deleted at the end of the job (``^ID``); the logo
likewise. Text is fitted by the rule of ``fit``, once per job for each distinct value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

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

MAX_MAGNIFICATION = 10  # ^BQ accepts 1 to 10
GRAPHIC_PREFIX = "ATL"  # graphics are R:ATLnnnnn.GRF (object names: at most 8 characters)
_HEX = str.maketrans({"^": "_5E", "~": "_7E", "_": "_5F"})


def field_data(text: str) -> str:
    """``text`` for ``^FH^FD…^FS``: ``^``, ``~`` and the escape character ``_`` as hex."""
    if "^" in text or "~" in text or "_" in text:
        return text.translate(_HEX)
    return text  # the usual case (codes, URLs): no copy


def _base36(n: int) -> str:
    """``n`` in five base-36 digits (object names are at most 8 characters: ATL + 5)."""
    digits = ""
    for _ in range(5):
        n, digit = divmod(n, 36)
        digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[digit] + digits
    return digits


class Graphics:
    """The job's graphics: each downloaded once before the first label (``~DG`` to the RAM
    drive) and recalled by the labels (``^XG``)."""

    def __init__(self) -> None:
        self.downloads: list[str] = []

    def recall(self, x: int, y: int, row_bytes: int, bits: bytes) -> str:
        """The field printing ``bits`` (rows of ``row_bytes``, 1 = black) at (``x``, ``y``)."""
        name = f"R:{GRAPHIC_PREFIX}{_base36(len(self.downloads))}.GRF"
        self.downloads.append(f"~DG{name},{len(bits)},{row_bytes},{bits.hex().upper()}\n")
        return f"^FO{max(x, 0)},{max(y, 0)}^XG{name},1,1^FS"

    def wrap(self, labels: str) -> str:
        """The whole job: downloads, ``labels``, then the graphics deleted from the printer."""
        if not self.downloads:
            return labels
        cleanup = f"^XA^IDR:{GRAPHIC_PREFIX}*.GRF^FS^XZ\n"
        return "".join(self.downloads) + labels + cleanup


def dialect(graphics: Graphics) -> Dialect:
    """ZPL's text: the code in font 0 (``^A0``, height = width in dots, ``^FH`` escapes), the
    rest as the job's graphics."""
    return Dialect(
        start=lambda x, y, size: f"^FO{x},{y}^A0N,{size},{size}^FH^FD",
        line=lambda start, text: f"{start}{field_data(text)}^FS",
        prints=resident,
        bitmap=lambda x, y, row_bytes, _rows, bits: graphics.recall(x, y, row_bytes, bits),
    )


def render_zpl(
    layout: Layout,
    items: Sequence[LabelItem],
    dpi: int = MIN_DPI,
    logo: bytes | None = None,
) -> bytes:
    """One ``^XA … ^XZ`` format per item, UTF-8, after the job's graphics (see the module
    docstring); ``logo`` fills the layout's logo boxes. Positions and commands are worked out
    once per layout, each distinct text once per job. ValidationError for identity text that
    does not fit (a value longer than the layout was checked for)."""
    check_request(items)
    graphics = Graphics()
    head = f"^XA^CI28^PW{dots(layout.width_mm, dpi)}^LL{dots(layout.height_mm, dpi)}^LH0,0"
    fields: list[Callable[[LabelItem], str]] = []
    for n, e in enumerate(layout.elements, start=1):
        if isinstance(e, QRElement):
            fields.append(_qr_field(e, dpi))
        elif isinstance(e, TextElement):
            fields.append(text_field(n, e, dpi, dialect(graphics)))
        elif logo:
            w, h = dots(e.width_mm, dpi), dots(e.height_mm, dpi)
            row_bytes, _rows, bits = logo_bitmap(logo, w, h)
            head += graphics.recall(dots(e.x_mm, dpi), dots(e.y_mm, dpi), row_bytes, bits)
    out = []
    for item in items:
        out.append(head)
        out += [field(item) for field in fields]
        out.append("^XZ\n")
    return graphics.wrap("".join(out)).encode()


def _qr_field(e: QRElement, dpi: int) -> Callable[[LabelItem], str]:
    """The ``^BQ`` field of an item's URL; position and magnification per URL length."""
    prefixes: dict[int, str] = {}

    def field(item: LabelItem) -> str:
        url = item.url
        if (prefix := prefixes.get(len(url))) is None:
            modules, per_module = qr_dots_per_module(e, url, item.code, dpi)
            per_module = min(per_module, MAX_MAGNIFICATION)
            inset = (dots(e.size_mm, dpi) - modules * per_module) // 2
            x, y = dots(e.x_mm, dpi) + inset, dots(e.y_mm, dpi) + inset
            prefix = prefixes[len(url)] = f"^FO{x},{y}^BQN,2,{per_module},Q^FH^FDQA,"
        return f"{prefix}{field_data(url)}^FS"

    return field
