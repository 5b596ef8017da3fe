"""Text on the printer languages' labels (ZPL, TSPL): one rule for both (issue 11, point 3).

The trace code, when it is plain ASCII, is printed in the printer's resident font, so that it
stays sharp; every other text is set from the label font and sent as a bitmap, so that no label
depends on a font the printer may not have. Either way the text is fitted by the one fitting
rule (``layout.fit_element``: wrapped, then shrunk, never cut), once per distinct value (codes
of letters and digits: once per length, see ``layout.spans``). A :class:`Dialect` says how one
language writes those commands.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from agritrace.coding.labels.bitmap import text_bitmap
from agritrace.coding.labels.fit import ASCENT, LEADING
from agritrace.coding.labels.layout import (
    LabelItem,
    TextElement,
    clean,
    dots,
    fit_element,
    printer,
    resident_em,
    spans,
)


@dataclass(frozen=True)
class Dialect:
    """How a printer language writes text."""

    #: The start of a line of resident text ``size`` dots high at (x, y).
    start: Callable[[int, int, int], str]
    #: A whole line command: its start and the text (escaped as the language needs).
    line: Callable[[str, str], str]
    #: Whether the resident font prints this text.
    prints: Callable[[str], bool]
    #: The command printing a bitmap: (x, y, bytes per row, rows, bits with 1 = black).
    bitmap: Callable[[int, int, int, int, bytes], str]


def text_field(n: int, e: TextElement, dpi: int, dialect: Dialect) -> Callable[[LabelItem], str]:
    """The commands of an item's text for element ``n`` (nothing for an empty value)."""
    value_of = e.getter()
    medium = printer(dpi)
    x, y = dots(e.x_mm, dpi), dots(e.y_mm, dpi)
    code = e.source == "code"
    done: dict[str, str] = {}
    plans: dict[int, tuple[tuple[str, int, int], ...]] = {}

    def at(size: int, i: int) -> str:
        return dialect.start(x, y + round(i * LEADING * size), size)

    def plain(text: str) -> str:
        if (plan := plans.get(len(text))) is None:
            fitted = fit_element(medium, n, e, text, resident_em)
            size = int(fitted.size)
            plan = plans[len(text)] = tuple(
                (at(size, i), a, b) for i, (a, b) in enumerate(spans(fitted))
            )
        return "".join(dialect.line(start, text[a:b]) for start, a, b in plan)

    def typeset(text: str) -> str:
        if code and dialect.prints(text):
            fitted = fit_element(medium, n, e, text, resident_em)
            size = int(fitted.size)
            return "".join(dialect.line(at(size, i), line) for i, line in enumerate(fitted.lines))
        fitted = fit_element(medium, n, e, text)
        size = int(fitted.size)
        dx, dy, row_bytes, rows, bits = text_bitmap(
            fitted.lines, size, LEADING * size, ASCENT * size
        )
        return dialect.bitmap(x + dx, y + dy, row_bytes, rows, bits) if rows else ""

    def field(item: LabelItem) -> str:
        value = value_of(item)
        if code and value.isalnum() and value.isascii():
            return plain(value)
        if not value:
            return ""
        if (text := done.get(value)) is None:
            text = done[value] = typeset(clean(value))
        return text

    return field
