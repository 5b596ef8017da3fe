"""Fitting label text into its box (issue 11, point 3): the one rule the PDF, ZPL and TSPL
renderers and the layout check all use.

A text element is a box (``width_mm`` × ``height_mm``) with a preferred size (``size_mm``, the
em of the font). Its text is tried at the preferred size, on one line, then wrapped onto as many
lines as the box holds (a line pitch of ``LEADING`` ems); if it still does not fit, the size is
lowered step by step (0.1 mm in a PDF, one dot on a printer) down to the minimum size,
``MIN_TEXT_MM`` = 1.8 mm: "产品标识使用的汉字、数字和字母，其字体高度不得小于1.8毫米"
(《产品标识标注规定》, 1997; GB 7718-2011 asks the same of prepackaged food). Lines break
between words (spaces, CJK characters) if the text fits so at any size; else also after
hyphens (a batch number "20261201-" | "001"); else between any two characters, which fills the
lines best: a layout checked with the longest value in the widest characters holds every
shorter or narrower one.

What still does not fit at the minimum size:

- identity text (the trace code, the batch number, a layout's fixed text) is never cut:
  ``fit`` returns None and the caller refuses (the layout at design time, see
  ``layout.check_text``; a value longer than the model allows at render time);
- free text (product and producer names, up to 100 characters, more than a small label can
  hold at a legible size) keeps the lines that fit and ends with "…", cut between words in
  Latin text and between characters in CJK text: marked, never silently shortened.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

#: The smallest text printed (mm, the font's em).
MIN_TEXT_MM = 1.8
#: Line pitch in ems of the text size.
LEADING = 1.2
#: The label font's ascender (wqy-zenhei: 0.8 em): a line's baseline below its top.
ASCENT = 0.8
ELLIPSIS = "…"
_EPSILON = 1e-9

Measure = Callable[[str], float]
"""A text's advance width in ems of the font that sets it."""


@dataclass(frozen=True)
class Fitted:
    """Text set in its box: the size used (in the caller's unit) and the lines, top to bottom;
    ``cut`` when free text was shortened and ends with the ellipsis."""

    size: float
    lines: tuple[str, ...]
    cut: bool = False


def max_lines(height: float, size: float) -> int:
    """How many lines of ``size`` a box ``height`` high holds (0 if not even one)."""
    if height + _EPSILON < size:
        return 0
    return int((height - size) / (LEADING * size) + _EPSILON) + 1


def lines_height(lines: int, size: float) -> float:
    """The height ``lines`` lines of ``size`` take: the first line's em, then one pitch each."""
    return size + (lines - 1) * LEADING * size


def is_wide(char: str) -> bool:
    """A CJK (wide or full-width) character: a line may break before and after it."""
    return unicodedata.east_asian_width(char) in "WF"


#: How lines may break, tried in turn: between words (spaces, CJK characters), also after
#: hyphens ("20261201-" | "001"), between any two characters.
WORDS, HYPHENS, ANYWHERE = 0, 1, 2


def units(text: str, breaks: int = WORDS) -> list[str]:
    """``text`` cut where a line may break: runs of spaces, single wide characters, and runs of
    other characters (words), with ``HYPHENS`` also after each hyphen; with ``ANYWHERE`` every
    character."""
    if breaks == ANYWHERE:
        return list(text)
    out: list[str] = []
    word = ""
    for char in text:
        if char == " " or is_wide(char):
            if word:
                out.append(word)
                word = ""
            if char == " " and out and out[-1][0] == " ":
                out[-1] += char
            else:
                out.append(char)
        else:
            word += char
            if char == "-" and breaks == HYPHENS:
                out.append(word)
                word = ""
    if word:
        out.append(word)
    return out


def wrap(text: str, limit: float, measure: Measure, breaks: int = WORDS) -> list[str] | None:
    """``text`` in greedy lines of at most ``limit`` ems, broken only where ``breaks`` allows
    (see ``units``); spaces where a line breaks are dropped. None if a word (with
    ``ANYWHERE``, a character) is wider than ``limit``."""
    lines: list[str] = []
    line, width = "", 0.0
    for unit in units(text, breaks):
        w = measure(unit)
        if unit[0] == " ":
            if line:
                line, width = line + unit, width + w
            continue
        if width + w <= limit + _EPSILON:
            line, width = line + unit, width + w
            continue
        if w > limit + _EPSILON:
            return None
        if line.strip(" "):
            lines.append(line.rstrip(" "))
        line, width = unit, w
    if line.strip(" "):
        lines.append(line.rstrip(" "))
    return lines


def ladder(preferred: float, minimum: float, step: float) -> list[float]:
    """Sizes to try, largest first: ``preferred``, then ``step`` smaller each down to
    ``minimum`` (always the last one)."""
    sizes = []
    size = preferred
    while size > minimum + _EPSILON:
        sizes.append(size)
        size = round(size - step, 6)
    sizes.append(minimum)
    return sizes


def fit(
    text: str,
    width: float,
    height: float,
    sizes: Sequence[float],
    measure: Measure,
    *,
    cut: bool,
) -> Fitted | None:
    """``text`` set in a ``width`` × ``height`` box at the largest of ``sizes`` (largest first,
    same unit as the box) where it fits, on one line or wrapped: between words if it fits so
    at any size, else also after hyphens, else anywhere. Past the smallest size, None — or,
    when ``cut`` (free text), the lines the box holds at the smallest size broken between
    words, the last ending with the ellipsis (None if not even the ellipsis fits)."""
    total = measure(text)
    for breaks in (WORDS, HYPHENS, ANYWHERE):
        for size in sizes:
            room = max_lines(height, size)
            if not room:
                continue
            if total * size <= width + _EPSILON:
                return Fitted(size, (text,))
            lines = wrap(text, width / size, measure, breaks)
            if lines is not None and len(lines) <= room:
                return Fitted(size, tuple(lines))
    if not cut:
        return None
    size = sizes[-1]
    room = max_lines(height, size)
    limit = width / size
    lines = (wrap(text, limit, measure) or wrap(text, limit, measure, ANYWHERE)) if room else None
    if not lines:
        return None
    last = shorten(lines[room - 1], width / size, measure)
    if last is None:
        return None
    return Fitted(size, (*lines[: room - 1], last), cut=True)


def shorten(line: str, limit: float, measure: Measure) -> str | None:
    """``line`` cut so that it and the ellipsis fit in ``limit`` ems, between words when the
    cut would fall inside a Latin word and the line has an earlier space (None if not even
    the ellipsis fits)."""
    room = limit - measure(ELLIPSIS)
    if room < -_EPSILON:
        return None
    end = len(line)
    while end and measure(line[:end]) > room + _EPSILON:
        end -= 1
    inside_word = 0 < end < len(line) and not _breaks(line[end - 1], line[end])
    if inside_word and " " in line[:end]:
        end = line.rindex(" ", 0, end)
    return line[:end].rstrip(" ") + ELLIPSIS


def _breaks(before: str, after: str) -> bool:
    """A line may break between ``before`` and ``after``."""
    return " " in (before, after) or before == "-" or is_wide(before) or is_wide(after)
