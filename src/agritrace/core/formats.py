"""Formatting for people: numbers without exponent notation, titles clipped with a mark."""

from __future__ import annotations

from decimal import Decimal


def quantity(value: Decimal | int | float | None) -> str:
    """``Decimal("100.000")`` → ``"100"``, ``Decimal("2.50")`` → ``"2.5"``."""
    if value is None:
        return ""
    return format(Decimal(value).normalize(), "f")


def clipped(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, ending with "…" when it had to be cut (a title
    derived from longer records, which keep the whole text)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
