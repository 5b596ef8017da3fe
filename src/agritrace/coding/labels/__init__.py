"""The label rendering engine (issue 5, points 4 and 5): layouts as data, and labels rendered
to PDF (roll or A4 sheets), ZPL (Zebra) and TSPL (TSC, Gprinter, Xprinter) from pure data —
no database access, so print jobs can run in background tasks."""

from agritrace.coding.labels.layout import (
    MAX_LABELS_PER_REQUEST,
    PRESETS,
    SHEETS,
    Element,
    LabelItem,
    Layout,
    LogoElement,
    QRElement,
    Sheet,
    TextElement,
    check_media,
)
from agritrace.coding.labels.pdf import render_pdf
from agritrace.coding.labels.tspl import render_tspl
from agritrace.coding.labels.zpl import render_zpl

__all__ = [
    "MAX_LABELS_PER_REQUEST",
    "PRESETS",
    "SHEETS",
    "Element",
    "LabelItem",
    "Layout",
    "LogoElement",
    "QRElement",
    "Sheet",
    "TextElement",
    "check_media",
    "render_pdf",
    "render_tspl",
    "render_zpl",
]
