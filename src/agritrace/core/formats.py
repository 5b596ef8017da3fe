"""Formatting for people: numbers without exponent notation, titles clipped with a mark, lists,
brackets and labels' colons the way the active language writes them (full-width ``、（）：`` in
Chinese, ``, ( ):`` in English)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _


def quantity(value: Decimal | int | float | None) -> str:
    """``Decimal("100.000")`` → ``"100"``, ``Decimal("2.50")`` → ``"2.5"``."""
    if value is None:
        return ""
    return format(Decimal(value).normalize(), "f")


def clipped(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, ending with "…" when it had to be cut (a title
    derived from longer records, which keep the whole text)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def listed(items: Iterable[Any]) -> str:
    """``甲、乙、丙`` in Chinese, ``a, b, c`` in English."""
    return _("、").join(str(item) for item in items)


def clauses(items: Iterable[Any]) -> str:
    """Reasons one after another: ``甲；乙`` in Chinese, ``a; b`` in English."""
    return _("；").join(str(item) for item in items)


def parens(value: Any) -> str:
    """``（value）`` in Chinese, `` (value)`` in English (a space before the bracket)."""
    return _("（%(value)s）") % {"value": value}


def labelled(label: Any) -> str:
    """A label with its colon: ``状态：`` in Chinese, ``Status: `` in English (a space after)."""
    return _("%(label)s：") % {"label": label}
