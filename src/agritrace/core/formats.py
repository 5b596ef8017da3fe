"""Number formatting for people (no exponent notation)."""

from __future__ import annotations

from decimal import Decimal


def quantity(value: Decimal | int | float | None) -> str:
    """``Decimal("100.000")`` → ``"100"``, ``Decimal("2.50")`` → ``"2.5"``."""
    if value is None:
        return ""
    return format(Decimal(value).normalize(), "f")
