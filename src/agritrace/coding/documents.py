"""The certificate of compliance as printed: the official template's fields, the three
commitments, the signature, and a QR to the certificate's verification page
(农业农村部令2025年第4号; template size about 10×7 cm, here on an A6 page)."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from reportlab.lib.pagesizes import A6, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from agritrace.coding.labels.fit import ANYWHERE, WORDS, ladder, wrap
from agritrace.coding.labels.fonts import cjk_font
from agritrace.coding.labels.pdf import qr_operators
from agritrace.core.formats import labelled

#: The text's sizes in points, largest first: the template's 8.5 pt, down to 6 pt when long
#: names and addresses need the room (issue 11: wrapped or shrunk, never cut).
SIZES = ladder(8.5, 6.0, 0.5)
#: Line spacing, in text sizes.
SPACING = 1.4
#: A commitment made (the template's ticked box), drawn: the embedded font has no glyph for it.
TICKED = "☑"


def certificate_pdf(
    *,
    title: str,
    rows: Sequence[tuple[str, str]],
    statements: Sequence[str],
    signature: str,
    url: str,
    void_text: str = "",
) -> bytes:
    """One certificate on a landscape A6 page, the CJK font embedded. The fields, commitments
    and signature are wrapped beside the QR at the largest of :data:`SIZES` where all of them
    fit (issue 11: every value printed whole; the longest the fields allow fit at 6 pt)."""
    font = cjk_font()
    buffer = io.BytesIO()
    width, height = landscape(A6)
    canvas = Canvas(buffer, pagesize=(width, height), pageCompression=1)
    canvas.setTitle(title)
    canvas.setFont(font, 14)
    canvas.drawCentredString(width / 2, height - 12 * mm, title)
    canvas.rect(5 * mm, 5 * mm, width - 10 * mm, height - 22 * mm)
    qr = 30 * mm
    left, bottom, top = 8 * mm, 8 * mm, height - 22 * mm

    def measure(text: str) -> float:
        return stringWidth(text, font, 1)

    column = width - left - qr - 11 * mm  # beside the QR and its address
    for size in SIZES:
        lines = [
            line
            for label, value in rows
            for line in wrapped(labelled(label) + value, column / size, measure)
        ]
        lines += [""] + [line for st in statements for line in wrapped(st, column / size, measure)]
        signed = wrapped(signature, (width - 2 * left) / size, measure)
        used = (len(lines) - 1 + len(signed)) * size * SPACING + 2 * mm
        if used <= top - bottom:
            break
    canvas.setFont(font, size)
    y = top
    for line in lines:
        if line.startswith(TICKED):
            ticked(canvas, left, y, size)
            canvas.drawString(left + size * 1.2, y, line.removeprefix(TICKED).lstrip())
        elif line:
            canvas.drawString(left, y, line)
        y -= size * SPACING if line else 1 * mm
    for n, line in enumerate(reversed(signed)):
        canvas.drawString(left, bottom + n * size * SPACING, line)
    canvas.addLiteral(qr_operators(url, width - left - qr, height - 20 * mm, qr))
    canvas.setFont(font, 6)
    for n, line in enumerate(wrapped(url, qr / 6, measure)):
        canvas.drawCentredString(width - left - qr / 2, height - 25 * mm - qr - n * 8, line)
    if void_text:
        canvas.saveState()
        canvas.setFillColorRGB(0.85, 0.1, 0.1)
        canvas.setFont(font, 40)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(25)
        canvas.drawCentredString(0, 0, void_text)
        canvas.restoreState()
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def wrapped(text: str, limit: float, measure: Callable[[str], float]) -> list[str]:
    """``text`` in lines of at most ``limit`` ems: between words where it can, else anywhere
    (a line is never cut, only broken)."""
    return wrap(text, limit, measure, WORDS) or wrap(text, limit, measure, ANYWHERE) or [text]


def ticked(canvas: Canvas, x: float, y: float, size: float) -> None:
    """A ticked box one text size wide on the baseline at (``x``, ``y``)."""
    side = size * 0.85
    canvas.saveState()
    canvas.setLineWidth(size * 0.07)
    canvas.rect(x, y - size * 0.1, side, side)
    path = canvas.beginPath()
    path.moveTo(x + side * 0.2, y + side * 0.4)
    path.lineTo(x + side * 0.42, y + side * 0.12)
    path.lineTo(x + side * 0.85, y + side * 0.8)
    canvas.drawPath(path)
    canvas.restoreState()
