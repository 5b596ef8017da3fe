"""Label layouts as data (issue 5, point 4): a label's size in millimetres and its elements (the
QR symbol, text lines, a logo), stored by the app as JSON and checked before anything is printed.

Coordinates are millimetres from the label's top-left corner, as label printers count them.
Printers are assumed to have at least 203 dpi (2020 spec, Annex 1: thermal and thermal-transfer
label printers of ≥203 dpi printing 1D and 2D codes); every QR module must be at least two dots.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import MISSING, asdict, dataclass, fields
from functools import lru_cache
from itertools import pairwise
from operator import attrgetter
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agritrace.coding.labels.fit import (
    ANYWHERE,
    ELLIPSIS,
    MIN_TEXT_MM,
    Fitted,
    Measure,
    fit,
    ladder,
    lines_height,
    wrap,
)
from agritrace.coding.labels.fonts import em, widest_char
from agritrace.coding.labels.qr import QUIET_ZONE, modules_for
from agritrace.core.codes import ALPHABET

#: The lowest printer resolution the spec allows (Annex 1) and the resolutions rendered for.
MIN_DPI = 203
PRINTER_DPI = (203, 300, 600)
#: Issue 5, bad input: "printing 10 million labels in one request" is refused.
MAX_LABELS_PER_REQUEST = 100_000
#: A layout must hold a QR of a URL this long (QR version 5 at level Q, 37 modules): the public
#: base URL plus ``/t/`` and a 14-character code, with room for a longer host.
DESIGN_URL_BYTES = 60
#: The widest and longest media a layout may use: a 4-inch roll printer's print width (104 mm)
#: and the height of an A4 sheet.
MAX_MEDIA_MM = (104.0, 297.0)
MIN_DOTS_PER_MODULE = 2


def dots(mm: float, dpi: int) -> int:
    """Millimetres to printer dots, rounded to the nearest dot."""
    return round(mm * dpi / 25.4)


def dots_per_module(size_mm: float, modules: int, dpi: int) -> int:
    """Whole dots per QR module so that ``modules`` plus the 4-module quiet zone on each side fit
    in a ``size_mm`` square at ``dpi``; 0 when not even one dot fits."""
    return dots(size_mm, dpi) // (modules + 2 * QUIET_ZONE)


def min_qr_mm(modules: int, dpi: int = MIN_DPI) -> float:
    """The smallest QR square (with quiet zone) giving two dots per module at ``dpi``."""
    return math.ceil((modules + 2 * QUIET_ZONE) * MIN_DOTS_PER_MODULE * 25.4 / dpi * 10) / 10


#: Characters a URI may hold (RFC 3986: unreserved, reserved and percent escapes).
URL_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")


_CLEAN = {"Cc": " ", "Zl": " ", "Zp": " ", "Cs": "?"}


def clean(text: str) -> str:
    """Text as printed: control characters (line breaks, tabs…) and the line and paragraph
    separators (U+2028, U+2029) become spaces, since lines are broken where the box needs it
    (``fit``); lone surrogates (not text) become "?"."""
    if text.isprintable():
        return text
    return "".join(_CLEAN.get(unicodedata.category(c), c) for c in text)


#: PDF points per millimetre.
PT = 72 / 25.4
#: The longest values of the label's text sources, as the models allow them (checked against
#: the fields' ``max_length`` by the tests): ``coding.models.CODE_LENGTH`` characters of the
#: code alphabet, ``production.Batch.number`` of any characters.
CODE_LENGTH = 14
BATCH_NUMBER_LENGTH = 40
#: What ``coding.services.printing.label_lines`` puts before the batch number, in each UI language.
BATCH_PREFIXES = ("批次 ", "Batch ")
#: The item's lines as ``coding.services.printing.label_lines`` fills them (``line:N``). Line 1, the
#: batch, identifies like the code and is never cut; the names are free text.
LINE_NAMES = (_("产品名称"), _("批次号"), _("主体名称"))
IDENTITY_LINE = 1


def resident_em(text: str) -> float:
    """Width in ems of ``text`` in a printer's resident Latin font (ZPL font 0, TSPL fonts 1–5),
    counted one em (the font's height in dots) per character: a bound, since their metrics are
    not published (font 0, a condensed sans serif set as ``^A0N,h,h``, gives capitals about
    0.6 em; TSPL's fixed-pitch fonts are narrower than high, 8×12 to 32×48 dots)."""
    return float(len(text))


def resident(text: str) -> bool:
    """``text`` can be printed in a resident Latin font (printable ASCII)."""
    return text.isascii() and text.isprintable()


@dataclass(frozen=True)
class Medium:
    """How an output sets text: units per millimetre, the size steps tried, and the width kept
    free for rounding (printers: whole dots, so sizes step by one dot and one dot is kept)."""

    per_mm: float
    whole: bool

    @property
    def minimum(self) -> float:
        """The minimum text size in this medium's units: ``MIN_TEXT_MM``, or on a printer the
        whole number of dots nearest below it (14 at 203 dpi, 21 at 300 dpi, 42 at 600 dpi)."""
        if self.whole:
            return math.floor(MIN_TEXT_MM * self.per_mm + 1e-9)
        return MIN_TEXT_MM * self.per_mm

    @property
    def slack(self) -> float:
        """Width kept free: one dot on a printer (bitmap edges, rounded positions)."""
        return 1.0 if self.whole else 0.0

    def fit(self, element: TextElement, text: str, measure: Measure, *, cut: bool) -> Fitted | None:
        """``text`` fitted in ``element``'s box by the one rule (``fit.fit``), in this medium's
        units."""
        return fit(
            text,
            element.width_mm * self.per_mm - self.slack,
            element.height * self.per_mm,
            _sizes(self, element.size_mm),
            measure,
            cut=cut,
        )


@lru_cache(maxsize=256)
def _sizes(medium: Medium, preferred_mm: float) -> tuple[float, ...]:
    """The sizes ``medium`` tries for a preferred size, largest first."""
    if medium.whole:
        minimum = int(medium.minimum)
        return tuple(range(max(round(preferred_mm * medium.per_mm), minimum), minimum - 1, -1))
    return tuple(s * medium.per_mm for s in ladder(preferred_mm, MIN_TEXT_MM, 0.1))


PDF = Medium(PT, whole=False)


@lru_cache(maxsize=8)
def printer(dpi: int) -> Medium:
    """The medium of a label printer at ``dpi``."""
    return Medium(dpi / 25.4, whole=True)


def fit_element(
    medium: Medium, n: int, element: TextElement, text: str, measure: Measure = em
) -> Fitted:
    """``text`` fitted in element ``n`` (from 1) by the one rule (``fit``): free text shortened
    with the ellipsis past the minimum size; identity text never cut, a ValidationError if it
    does not fit (only a value longer than the model allows: the layout was checked with the
    longest)."""
    fitted = medium.fit(element, text, measure, cut=not element.identity)
    if fitted is None:
        raise ValidationError(
            _("第 %(n)d 个元素的%(what)s“%(value)s”过长，最小字号 %(min)g mm 时也放不下，未打印"),
            code="text_too_long",
            params={"n": n, "what": element.what, "value": text, "min": MIN_TEXT_MM},
        )
    return fitted


def spans(fitted: Fitted) -> tuple[tuple[int, int], ...]:
    """Where each of ``fitted``'s lines starts and ends in the text, for text of letters and
    digits only (no space dropped at a break). Such text has no break opportunity, so its fit
    depends on its length alone: printers fit codes once per length, not once per label."""
    ends = [0]
    for line in fitted.lines:
        ends.append(ends[-1] + len(line))
    return tuple(pairwise(ends))


@dataclass(frozen=True)
class LabelItem:
    """One label: the trace code as printed text, the QR content and the text lines."""

    code: str
    url: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class QRElement:
    """The QR symbol in a ``size_mm`` square including its 4-module quiet zone."""

    kind: ClassVar[str] = "qr"
    x_mm: float
    y_mm: float
    size_mm: float

    @property
    def box(self) -> tuple[float, float]:
        return self.size_mm, self.size_mm


@dataclass(frozen=True)
class TextElement:
    """Text in a ``width_mm`` × ``height_mm`` box (``height_mm`` omitted: one line), set at
    ``size_mm`` (the font's em) when it fits, else wrapped and shrunk by the rule of ``fit``.
    ``source`` is ``"code"`` (the trace code), ``"line:N"`` (the item's N-th line, from 0:
    product, batch, producer) or ``"text"`` (``text`` itself)."""

    kind: ClassVar[str] = "text"
    x_mm: float
    y_mm: float
    size_mm: float
    width_mm: float
    source: str = "code"
    text: str = ""
    height_mm: float | None = None

    @property
    def height(self) -> float:
        """The box's height: ``height_mm``, or one line of ``size_mm``."""
        return self.size_mm if self.height_mm is None else self.height_mm

    @property
    def box(self) -> tuple[float, float]:
        return self.width_mm, self.height

    @property
    def identity(self) -> bool:
        """The text identifies the item (code, batch) or is the layout's own: never cut."""
        return self.source in ("code", "text", f"line:{IDENTITY_LINE}")

    @property
    def what(self) -> str:
        """What the element prints, for messages (translated when the message is shown)."""
        if self.source == "code":
            return _("追溯码")
        if self.source == "text":
            return _("固定文字")
        n = int(self.source.removeprefix("line:"))
        return LINE_NAMES[n] if n < len(LINE_NAMES) else self.source

    def value(self, item: LabelItem) -> str:
        """The text this element prints on ``item``'s label."""
        return self.getter()(item)

    def getter(self) -> Callable[[LabelItem], str]:
        """``value`` as a function, the source parsed once (renderers call it per label)."""
        if self.source == "code":
            return attrgetter("code")
        if self.source == "text":
            return lambda _item, text=self.text: text
        n = int(self.source.removeprefix("line:"))
        return lambda item: item.lines[n] if n < len(item.lines) else ""


@dataclass(frozen=True)
class LogoElement:
    """A logo image scaled into a ``width_mm`` × ``height_mm`` box; its bytes are given at render
    time (no logo given: the box stays empty)."""

    kind: ClassVar[str] = "logo"
    x_mm: float
    y_mm: float
    width_mm: float
    height_mm: float

    @property
    def box(self) -> tuple[float, float]:
        return self.width_mm, self.height_mm


Element = QRElement | TextElement | LogoElement
ELEMENT_TYPES: dict[str, type[QRElement] | type[TextElement] | type[LogoElement]] = {
    t.kind: t for t in (QRElement, TextElement, LogoElement)
}


def _number(value: Any) -> float | None:
    """``value`` as a finite float, or None."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _element(n: int, data: Any, width: float, height: float) -> tuple[Element | None, list]:
    """Element ``n`` (from 1) of a layout dict, and the problems found with it."""
    where = {"n": n}
    if not isinstance(data, dict) or data.get("type") not in ELEMENT_TYPES:
        kind = data.get("type") if isinstance(data, dict) else data
        return None, [
            ValidationError(
                _("第 %(n)d 个元素：未知的元素类型“%(type)s”（可用：qr、text、logo）"),
                code="unknown_element",
                params={**where, "type": kind},
            )
        ]
    cls = ELEMENT_TYPES[data["type"]]
    values: dict[str, Any] = {}
    errors = []
    for f in fields(cls):
        optional = f.default is not MISSING
        if data.get(f.name) is None and (optional or f.name not in data):
            if not optional:
                errors.append(
                    ValidationError(
                        _("第 %(n)d 个元素：缺少 %(field)s"),
                        code="missing_field",
                        params={**where, "field": f.name},
                    )
                )
            continue
        value = data[f.name] if f.type == "str" else _number(data[f.name])
        if value is None or (f.type == "str" and not isinstance(value, str)):
            errors.append(
                ValidationError(
                    _("第 %(n)d 个元素：%(field)s 的值无效"),
                    code="invalid_value",
                    params={**where, "field": f.name},
                )
            )
        values[f.name] = value
    if errors:
        return None, errors
    element = cls(**values)
    if isinstance(element, TextElement):
        source = element.source
        line = source.startswith("line:") and source[5:].isdigit()
        if not (line or source in ("code", "text")):
            errors.append(
                ValidationError(
                    _("第 %(n)d 个元素：文字来源“%(source)s”无效（可用：code、line:N、text）"),
                    code="invalid_source",
                    params={**where, "source": source},
                )
            )
    w, h = element.box
    if w <= 0 or h <= 0 or element.x_mm < 0 or element.y_mm < 0:
        errors.append(
            ValidationError(
                _("第 %(n)d 个元素：位置不能为负，尺寸须大于 0"), code="negative_size", params=where
            )
        )
    elif element.x_mm + w > width + 1e-9 or element.y_mm + h > height + 1e-9:
        errors.append(
            ValidationError(
                _("第 %(n)d 个元素超出标签范围（%(w)g×%(h)g mm）"),
                code="outside_label",
                params={**where, "w": width, "h": height},
            )
        )
    if isinstance(element, QRElement):
        smallest = min_qr_mm(modules_for(DESIGN_URL_BYTES))
        if element.size_mm < smallest:
            errors.append(
                ValidationError(
                    _(
                        "第 %(n)d 个元素：二维码 %(size)g mm 过小，%(dpi)d dpi 打印机每个模块"
                        "至少需 2 个点（含静区至少 %(min)g mm）"
                    ),
                    code="qr_too_small",
                    params={**where, "size": element.size_mm, "dpi": MIN_DPI, "min": smallest},
                )
            )
    return element, errors


@dataclass(frozen=True)
class Layout:
    """A label: ``width_mm`` × ``height_mm`` and its elements."""

    width_mm: float
    height_mm: float
    elements: tuple[Element, ...]

    @classmethod
    def from_dict(cls, data: dict) -> Layout:
        """A checked layout from its JSON form (see ``to_dict``); ValidationError listing every
        problem: unknown element types, negative sizes, elements outside the label, a QR too
        small for 2 dots per module at 203 dpi, a label larger than the largest media, text
        that would not fit (``check_text``)."""
        if not isinstance(data, dict):
            raise ValidationError(_("标签版式须为 JSON 对象"), code="invalid")
        width, height = _number(data.get("width_mm")), _number(data.get("height_mm"))
        if width is None or height is None or width <= 0 or height <= 0:
            raise ValidationError(_("标签宽度和高度须为大于 0 的毫米数"), code="negative_size")
        layout = cls(width, height, ())
        check_media(layout, *MAX_MEDIA_MM)
        elements, errors = [], []
        raw = data.get("elements")
        if not isinstance(raw, list) or not raw:
            raise ValidationError(_("标签版式至少须有一个元素"), code="no_elements")
        for n, item in enumerate(raw, start=1):
            element, problems = _element(n, item, width, height)
            errors += problems
            elements.append(element)
        if errors:
            raise ValidationError(errors)
        for n, element in enumerate(elements, start=1):
            if isinstance(element, TextElement):
                errors += check_text(n, element)
        if errors:
            raise ValidationError(errors)
        return cls(width, height, tuple(elements))

    def to_dict(self) -> dict:
        """The JSON form: sizes in mm and a list of elements, each with its ``type``."""
        return {
            "width_mm": self.width_mm,
            "height_mm": self.height_mm,
            "elements": [
                {"type": e.kind, **{k: v for k, v in asdict(e).items() if v is not None}}
                for e in self.elements
            ],
        }


def check_text(n: int, element: TextElement) -> list[ValidationError]:
    """Problems of text element ``n`` at design time (issue 11, point 3): a size or box below
    the minimum size; identity text (code, batch, fixed text) whose longest allowed value does
    not fit at the minimum size in the PDF or at any printer resolution, with the largest box
    it needs; free text whose box cannot hold one character and the ellipsis."""
    where = {"n": n, "what": element.what, "min": MIN_TEXT_MM}
    if element.size_mm < MIN_TEXT_MM - 1e-9:
        return [
            ValidationError(
                _("第 %(n)d 个元素（%(what)s）：字号 %(size)g mm 小于最小字号 %(min)g mm"),
                code="text_too_small",
                params={**where, "size": element.size_mm},
            )
        ]
    if element.height < MIN_TEXT_MM - 1e-9:
        return [
            ValidationError(
                _("第 %(n)d 个元素（%(what)s）：文字框高 %(height)g mm，放不下一行最小字号的字"
                  "（%(min)g mm）"),
                code="text_box_too_low",
                params={**where, "height": element.height},
            )
        ]  # fmt: skip
    problems = [
        _does_not_fit(where, element, medium, measure, sample, chars)
        for medium in (PDF, *(printer(dpi) for dpi in PRINTER_DPI))
        for measure in [resident_em if element.source == "code" and medium.whole else em]
        for sample, chars in _longest(element, measure)
        if medium.fit(element, sample, measure, cut=False) is None
    ]
    # the one to fix first: a box too narrow for one character, else the tallest box needed
    if not problems:
        return []
    return [max(problems, key=lambda e: (e.code == "text_box_too_narrow", e.params["need"]))]


def _longest(element: TextElement, measure: Measure) -> list[tuple[str, int]]:
    """The text ``element`` must hold whole, with the number of characters it stands for: the
    longest allowed values of its source in the characters widest under ``measure`` (the
    worst case, ``fit``), or for free text one character and the ellipsis."""
    if element.source == "code":
        return [(max(ALPHABET, key=measure) * CODE_LENGTH, CODE_LENGTH)]
    if element.source == "text":
        text = clean(element.text)
        return [(text, len(text))] if text else []
    if element.identity:
        number = widest_char() * BATCH_NUMBER_LENGTH
        return [(prefix + number, BATCH_NUMBER_LENGTH) for prefix in BATCH_PREFIXES]
    return [(widest_char() + ELLIPSIS, 1)]


def _does_not_fit(
    where: dict, element: TextElement, medium: Medium, measure: Measure, sample: str, chars: int
) -> ValidationError:
    """The design-time error for ``sample`` not fitting ``element`` in ``medium``: the box
    height it needs at the minimum size, or the width one character needs."""
    size = medium.minimum
    room = element.width_mm * medium.per_mm - medium.slack
    lines = wrap(sample, room / size, measure, ANYWHERE)
    if lines is None or not element.identity:
        widest = max(measure(c) for c in sample) if element.identity else measure(sample)
        need = _up((widest * size + medium.slack) / medium.per_mm)
        return ValidationError(
            _("第 %(n)d 个元素（%(what)s）：文字框宽 %(width)g mm，最小字号 %(min)g mm 时"
              "放不下一个字%(mark)s，至少需宽 %(need)g mm"),
            code="text_box_too_narrow",
            params={**where, "width": element.width_mm, "need": need,
                    "mark": "" if element.identity else _("和省略号")},
        )  # fmt: skip
    need = _up(lines_height(len(lines), size) / medium.per_mm)
    return ValidationError(
        _("第 %(n)d 个元素（%(what)s）放不下最长的%(what)s（%(chars)d 个字符）："
          "最小字号 %(min)g mm 时需 %(lines)d 行，文字框至少高 %(need)g mm（现为 %(height)g mm），"
          "请加高或加宽"),
        code="text_does_not_fit",
        params={**where, "chars": chars, "lines": len(lines), "need": need,
                "height": element.height},
    )  # fmt: skip


def _up(mm: float) -> float:
    """``mm`` rounded up to a tenth of a millimetre."""
    return math.ceil(round(mm * 10, 6)) / 10


def check_media(layout: Layout, media_width_mm: float, media_height_mm: float) -> None:
    """ValidationError if the label is larger than the media (issue 5, bad input)."""
    if layout.width_mm > media_width_mm + 1e-9 or layout.height_mm > media_height_mm + 1e-9:
        raise ValidationError(
            _("标签 %(w)g×%(h)g mm 大于介质 %(mw)g×%(mh)g mm"),
            code="larger_than_media",
            params={
                "w": layout.width_mm,
                "h": layout.height_mm,
                "mw": media_width_mm,
                "mh": media_height_mm,
            },
        )


def check_request(items: Sequence[LabelItem]) -> None:
    """ValidationError for more than ``MAX_LABELS_PER_REQUEST`` labels or a QR content that is
    not a URI (RFC 3986 characters only: non-ASCII must be percent-encoded before it reaches a
    label; this also keeps ZPL and TSPL delimiters out of the QR data)."""
    if len(items) > MAX_LABELS_PER_REQUEST:
        raise ValidationError(
            _("一次最多打印 %(max)d 张标签，本次请求 %(n)d 张，请分批打印"),
            code="too_many_labels",
            params={"max": MAX_LABELS_PER_REQUEST, "n": len(items)},
        )
    for item in items:
        if not URL_CHARS.fullmatch(item.url):
            raise ValidationError(
                _("追溯码 %(code)s 的二维码内容须为网址（仅限 RFC 3986 允许的字符）"),
                code="invalid_url",
                params={"code": item.code},
            )


def qr_dots_per_module(element: QRElement, url: str, code: str, dpi: int) -> tuple[int, int]:
    """(modules per side at most, whole dots per module ≥ 2) for ``url`` in ``element`` at
    ``dpi``; ValidationError when the URL is too long for two dots per module."""
    modules = modules_for(len(url))
    per_module = dots_per_module(element.size_mm, modules, dpi)
    if per_module < MIN_DOTS_PER_MODULE:
        raise ValidationError(
            _(
                "追溯码 %(code)s 的网址过长：二维码 %(size)g mm 在 %(dpi)d dpi 下"
                "每个模块不足 2 个点"
            ),
            code="qr_too_dense",
            params={"code": code, "size": element.size_mm, "dpi": dpi},
        )
    return modules, per_module


@dataclass(frozen=True)
class Sheet:
    """A sheet of labels for an office printer: ``cols`` × ``rows`` labels of ``label_width_mm``
    × ``label_height_mm`` from the top-left margins, ``gap_*_mm`` apart."""

    page_width_mm: float
    page_height_mm: float
    label_width_mm: float
    label_height_mm: float
    cols: int
    rows: int
    margin_left_mm: float
    margin_top_mm: float
    gap_x_mm: float
    gap_y_mm: float

    @classmethod
    def a4(
        cls, label: tuple[float, float], cols: int, rows: int, gap: tuple[float, float]
    ) -> Sheet:
        """An A4 sheet (210 × 297 mm) of ``label`` (w, h) sizes, the grid centred on the page."""
        (w, h), (gap_x, gap_y) = label, gap
        margin_left = (210.0 - cols * w - (cols - 1) * gap_x) / 2
        margin_top = (297.0 - rows * h - (rows - 1) * gap_y) / 2
        return cls(210.0, 297.0, w, h, cols, rows, margin_left, margin_top, gap_x, gap_y)

    @property
    def per_page(self) -> int:
        return self.cols * self.rows

    def origin(self, slot: int) -> tuple[float, float]:
        """Top-left corner (mm from the page's top-left) of label ``slot`` on a page, filled
        row by row."""
        row, col = divmod(slot, self.cols)
        return (
            self.margin_left_mm + col * (self.label_width_mm + self.gap_x_mm),
            self.margin_top_mm + row * (self.label_height_mm + self.gap_y_mm),
        )


Rows = tuple[tuple[str, float, float], ...]


def _roll(width: float, height: float, qr: float, size: float, beside: Rows, below: Rows) -> Layout:
    """A roll label: the QR at the top left, the code under it, text boxes (source, top,
    bottom) ``beside`` the QR and ``below`` the code across the label. The batch's box holds
    the longest batch number at the minimum size; names get two or more lines before being
    shortened."""
    column = qr + 1.5

    def text(x: float, source: str, top: float, bottom: float) -> TextElement:
        return TextElement(x, top, size, width - x - 1.0, source, height_mm=round(bottom - top, 1))

    return Layout(width, height, (
        QRElement(1.0, 1.0, qr),
        TextElement(2.0, qr + 1.5, size, width - 3.0, "code"),
        *(text(column, *row) for row in beside),
        *(text(2.0, *row) for row in below),
    ))  # fmt: skip


#: Common thermal roll labels (issue 5, point 4): 40×30, 50×30 and 60×40 mm. Checked like any
#: layout by the tests (``Layout.from_dict``), not at import: that needs the font.
PRESETS: dict[str, Layout] = {
    "40x30": _roll(40.0, 30.0, qr=20.0, size=2.6,
                   beside=(("line:0", 1.0, 6.6), ("line:1", 7.0, 21.0)),
                   below=(("line:2", 24.6, 29.5),)),
    "50x30": _roll(50.0, 30.0, qr=22.0, size=3.0,
                   beside=(("line:0", 1.0, 7.2), ("line:1", 7.5, 17.0), ("line:2", 17.3, 23.0)),
                   below=()),
    "60x40": _roll(60.0, 40.0, qr=30.0, size=3.5,
                   beside=(("line:0", 1.0, 8.7), ("line:1", 9.0, 20.0), ("line:2", 20.3, 31.0)),
                   below=()),
}  # fmt: skip
#: A4 sheets of the same label sizes for office printers.
SHEETS: dict[str, Sheet] = {
    "a4-40x30": Sheet.a4((40.0, 30.0), cols=4, rows=9, gap=(4.0, 2.0)),
    "a4-50x30": Sheet.a4((50.0, 30.0), cols=3, rows=9, gap=(4.0, 2.0)),
    "a4-60x40": Sheet.a4((60.0, 40.0), cols=3, rows=6, gap=(4.0, 4.0)),
}
