"""The certificate of compliance as printed: the official template's fields, the three
commitments, the signature, and a QR to the certificate's verification page
(农业农村部令2025年第4号; template size about 10×7 cm, here on an A6 page)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.lib.pagesizes import A6, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from agritrace.coding.labels.fonts import cjk_font
from agritrace.coding.labels.pdf import qr_operators


def certificate_pdf(
    *,
    title: str,
    rows: Sequence[tuple[str, str]],
    statements: Sequence[str],
    signature: str,
    url: str,
    void_text: str = "",
) -> bytes:
    """One certificate on a landscape A6 page, the CJK font embedded."""
    font = cjk_font()
    buffer = io.BytesIO()
    width, height = landscape(A6)
    canvas = Canvas(buffer, pagesize=(width, height), pageCompression=1)
    canvas.setTitle(title)
    canvas.setFont(font, 14)
    canvas.drawCentredString(width / 2, height - 12 * mm, title)
    canvas.rect(5 * mm, 5 * mm, width - 10 * mm, height - 22 * mm)
    y = height - 22 * mm
    canvas.setFont(font, 8.5)
    for label, value in rows:
        canvas.drawString(8 * mm, y, f"{label}：{value}")
        y -= 5 * mm
    y -= 1 * mm
    for statement in statements:
        canvas.drawString(8 * mm, y, statement)
        y -= 4.5 * mm
    canvas.drawString(8 * mm, 8 * mm, signature)
    size = 30 * mm
    canvas.addLiteral(qr_operators(url, width - 8 * mm - size, height - 20 * mm, size))
    canvas.setFont(font, 6)
    canvas.drawCentredString(width - 8 * mm - size / 2, height - 25 * mm - size, url)
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
