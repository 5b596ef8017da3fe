"""Cell parsers and template columns: what an importer declares for each column."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils.datetime import from_excel

#: The language of templates, headers and choice labels.
TEMPLATE_LANGUAGE = "zh-hans"

_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_LIST_SEPARATORS = re.compile(r"\s*[、,，;；]\s*")


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a spurious ``.0``, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    return str(value).strip()


class Parser:
    """Turns a cell value into a field value; raises ``ValidationError`` with the reason.

    ``hint`` is what the template's 说明 sheet says about the values allowed.
    """

    hint: Any = gettext_lazy("文本")

    def __call__(self, value: Any) -> Any:
        raise NotImplementedError

    def describe(self) -> str:
        """The allowed values, for the 说明 sheet."""
        return str(self.hint)


class Text(Parser):
    """Text, optionally normalised (e.g. a USCC compacted, a phone number checked)."""

    def __init__(self, normalise: Callable[[str], str] | None = None) -> None:
        self.normalise = normalise

    def __call__(self, value: Any) -> str:
        text = cell_text(value)
        return self.normalise(text) if text and self.normalise else text


class Number(Parser):
    """A decimal number."""

    hint = gettext_lazy("数字")

    def __call__(self, value: Any) -> Decimal | None:
        text = cell_text(value)
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(_("“%(value)s”不是数字") % {"value": text}) from None
        if not number.is_finite():
            raise ValidationError(_("“%(value)s”不是数字") % {"value": text})
        return number


class Integer(Parser):
    """A whole number."""

    hint = gettext_lazy("整数")

    def __call__(self, value: Any) -> int | None:
        number = Number()(value)
        if number is None:
            return None
        if number != number.to_integral_value():
            raise ValidationError(_("须为整数"))
        return int(number)


class Date(Parser):
    """An Excel date, a date serial number, or text YYYY-MM-DD."""

    hint = gettext_lazy("日期：Excel 日期或 YYYY-MM-DD")

    def __call__(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                return from_excel(value).date()
            except (ValueError, OverflowError):
                raise ValidationError(_("日期无效")) from None
        text = cell_text(value)
        if not text:
            return None
        if _DATE.match(text):
            try:
                return dt.date(*(int(part) for part in text.split("-")))
            except ValueError:
                raise ValidationError(_("日期“%(value)s”不存在") % {"value": text}) from None
        raise ValidationError(
            _("“%(value)s”不是日期，请填写 Excel 日期或 YYYY-MM-DD") % {"value": text}
        )


class YesNo(Parser):
    """是/否 (also TRUE/FALSE and 1/0); blank means the field's default."""

    hint = gettext_lazy("是 / 否")
    _VALUES: ClassVar[dict[str, bool]] = {
        "是": True,
        "否": False,
        "true": True,
        "false": False,
        "1": True,
        "0": False,
    }

    def __call__(self, value: Any) -> bool | None:
        text = cell_text(value).lower()
        if not text:
            return None
        if text not in self._VALUES:
            raise ValidationError(_("请填写“是”或“否”"))
        return self._VALUES[text]


class Choice(Parser):
    """One of a ``TextChoices``, by its Chinese label or its code."""

    def __init__(self, choices: type[models.TextChoices]) -> None:
        self.choices = choices

    @cached_property
    def labels(self) -> list[str]:
        """The Chinese labels (whatever language is active)."""
        with translation.override(TEMPLATE_LANGUAGE):
            return [str(label) for label in self.choices.labels]

    @cached_property
    def values(self) -> dict[str, str]:
        """Label or code → code."""
        values = dict(zip(self.labels, self.choices.values, strict=True))
        return values | {value: value for value in self.choices.values if value}

    def __call__(self, value: Any) -> str:
        text = cell_text(value)
        if not text:
            return ""
        if text not in self.values:
            raise ValidationError(
                _("“%(value)s”不是可选值；可选：%(allowed)s")
                % {"value": text, "allowed": "、".join(self.labels)}
            )
        return self.values[text]

    def describe(self) -> str:
        return _("可选：%(allowed)s") % {"allowed": "、".join(self.labels)}


class Choices(Choice):
    """Several of a ``TextChoices``, separated by 、 or commas."""

    def __call__(self, value: Any) -> list[str]:  # type: ignore[override]
        one = super().__call__
        return sorted({one(part) for part in _LIST_SEPARATORS.split(cell_text(value)) if part})

    def describe(self) -> str:
        return _("可多选，用“、”分隔：%(allowed)s") % {"allowed": "、".join(self.labels)}


class TextList(Parser):
    """Several texts separated by 、 or commas (e.g. names of bases)."""

    hint = gettext_lazy("可填多个，用“、”分隔")

    def __call__(self, value: Any) -> list[str]:
        return [part for part in _LIST_SEPARATORS.split(cell_text(value)) if part]


text = Text()
number = Number()
integer = Integer()
date = Date()
yes_no = YesNo()


@dataclass(frozen=True)
class Column:
    """A template column: its Chinese header, the field (or lookup key) it fills, its parser,
    whether it is required, what it means and an example value for the template."""

    header_zh: str
    field: str
    parse: Parser = text
    required: bool = False
    help: Any = ""
    example: str = ""
