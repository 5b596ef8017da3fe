"""ZPL II for Zebra printers (issue 5, point 4), at 203, 300 or 600 dpi.

Each label is ``^XA … ^XZ`` with ``^PW``/``^LL`` (size in dots) and ``^CI28`` (field data in
UTF-8). The QR is ``^BQN,2,<magnification>,Q`` with ``^FDQA,<url>``: level Q, automatic mode,
the magnification the whole dots per module (2–10) that fit the symbol and its 4-module quiet
zone in the element's square. Every field is ``^FH``-escaped (``^``, ``~`` and ``_`` as hex).

Chinese text needs a TrueType font stored on the printer, since Zebra's resident fonts are Latin:
download one (e.g. SimSun as ``E:SIMSUN.TTF`` with ZebraNet Bridge / Zebra Setup Utilities, or
the Zebra Asian font kit) and pass its name as ``font``; it is used through ``^A@``. Text that is
plain ASCII (the trace code) uses the resident scalable font ``^A0``.
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

DEFAULT_FONT = "E:SIMSUN.TTF"
MAX_MAGNIFICATION = 10  # ^BQ accepts 1 to 10
_HEX = str.maketrans({"^": "_5E", "~": "_7E", "_": "_5F"})


def field_data(text: str) -> str:
    """``text`` for ``^FH^FD…^FS``: ``^``, ``~`` and the escape character ``_`` as hex."""
    return text.translate(_HEX)


def render_zpl(
    layout: Layout,
    items: Sequence[LabelItem],
    dpi: int = 203,
    font: str = DEFAULT_FONT,
    logo: bytes | None = None,
) -> bytes:
    """One ``^XA … ^XZ`` format per item, UTF-8. ``font`` is the printer's CJK TrueType font
    (see the module docstring); ``logo`` fills the layout's logo boxes as ``^GFA`` graphics."""
    check_request(items)
    head = f"^XA^CI28^PW{dots(layout.width_mm, dpi)}^LL{dots(layout.height_mm, dpi)}^LH0,0"
    fixed, qr_fields, texts = [], {}, {}
    for e in layout.elements:
        if isinstance(e, LogoElement) and logo:
            w, h = dots(e.width_mm, dpi), dots(e.height_mm, dpi)
            row_bytes, _rows, bits = logo_bitmap(logo, w, h)
            fixed.append(
                f"^FO{dots(e.x_mm, dpi)},{dots(e.y_mm, dpi)}"
                f"^GFA,{len(bits)},{len(bits)},{row_bytes},{bits.hex().upper()}^FS"
            )
    head += "".join(fixed)

    def qr(n: int, e: QRElement, item: LabelItem) -> str:
        key = (n, len(item.url))
        if (prefix := qr_fields.get(key)) is None:
            modules, per_module = qr_dots_per_module(e, item.url, item.code, dpi)
            per_module = min(per_module, MAX_MAGNIFICATION)
            inset = (dots(e.size_mm, dpi) - modules * per_module) // 2
            x, y = dots(e.x_mm, dpi) + inset, dots(e.y_mm, dpi) + inset
            prefix = qr_fields[key] = f"^FO{x},{y}^BQN,2,{per_module},Q^FH^FDQA,"
        return f"{prefix}{field_data(item.url)}^FS"

    def text(n: int, e: TextElement, value: str) -> str:
        key = (n, value)
        if (field := texts.get(key)) is None:
            height = dots(e.size_mm, dpi)
            value = fit(clean(value), dots(e.width_mm, dpi) / height, em_width)
            command = f"^A0N,{height}" if value.isascii() else f"^A@N,{height},{height},{font}"
            origin = f"^FO{dots(e.x_mm, dpi)},{dots(e.y_mm, dpi)}"
            field = texts[key] = f"{origin}{command}^FH^FD{field_data(value)}^FS"
        return field

    out = []
    for item in items:
        out.append(head)
        for n, e in enumerate(layout.elements):
            if isinstance(e, QRElement):
                out.append(qr(n, e, item))
            elif isinstance(e, TextElement) and (value := e.value(item)):
                out.append(text(n, e, value))
        out.append("^XZ\n")
    return "".join(out).encode()
