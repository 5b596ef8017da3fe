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

DEFAULT_FONT = "E:SIMSUN.TTF"
MAX_MAGNIFICATION = 10  # ^BQ accepts 1 to 10
_HEX = str.maketrans({"^": "_5E", "~": "_7E", "_": "_5F"})


def field_data(text: str) -> str:
    """``text`` for ``^FH^FD…^FS``: ``^``, ``~`` and the escape character ``_`` as hex."""
    if "^" in text or "~" in text or "_" in text:
        return text.translate(_HEX)
    return text  # the usual case (codes, URLs, Chinese lines): no copy


def render_zpl(
    layout: Layout,
    items: Sequence[LabelItem],
    dpi: int = 203,
    font: str = DEFAULT_FONT,
    logo: bytes | None = None,
) -> bytes:
    """One ``^XA … ^XZ`` format per item, UTF-8. ``font`` is the printer's CJK TrueType font
    (see the module docstring); ``logo`` fills the layout's logo boxes as ``^GFA`` graphics.
    Positions and commands are worked out once per layout, each distinct text once per job."""
    check_request(items)
    head = f"^XA^CI28^PW{dots(layout.width_mm, dpi)}^LL{dots(layout.height_mm, dpi)}^LH0,0"
    fields: list[Callable[[LabelItem], str]] = []
    for e in layout.elements:
        if isinstance(e, QRElement):
            fields.append(_qr_field(e, dpi))
        elif isinstance(e, TextElement):
            fields.append(_text_field(e, dpi, font))
        elif logo:
            w, h = dots(e.width_mm, dpi), dots(e.height_mm, dpi)
            row_bytes, _rows, bits = logo_bitmap(logo, w, h)
            head += (
                f"^FO{dots(e.x_mm, dpi)},{dots(e.y_mm, dpi)}"
                f"^GFA,{len(bits)},{len(bits)},{row_bytes},{bits.hex().upper()}^FS"
            )
    out = []
    for item in items:
        out.append(head)
        out += [field(item) for field in fields]
        out.append("^XZ\n")
    return "".join(out).encode()


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


def _text_field(e: TextElement, dpi: int, font: str) -> Callable[[LabelItem], str]:
    """The text field of an item (nothing for an empty value), cut to the element's width."""
    value_of = e.getter()
    height = dots(e.size_mm, dpi)
    ems = dots(e.width_mm, dpi) / height
    origin = f"^FO{dots(e.x_mm, dpi)},{dots(e.y_mm, dpi)}"
    latin, cjk = f"{origin}^A0N,{height}^FH^FD", f"{origin}^A@N,{height},{height},{font}^FH^FD"
    done: dict[str, str] = {}

    def field(item: LabelItem) -> str:
        if not (value := value_of(item)):
            return ""
        if (text := done.get(value)) is None:
            fitted = fit(clean(value), ems, em_width)
            command = latin if fitted.isascii() else cjk
            text = done[value] = f"{command}{field_data(fitted)}^FS"
        return text

    return field
