"""Declared columns: one definition serves a list page's table and its xlsx export."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from agritrace.core.formats import listed


@dataclass(frozen=True)
class Col:
    """A column: its title and the dotted attribute path of its value (choices are shown by
    their label); ``link`` makes the cell a link to the object's page."""

    title: Any
    path: str
    link: bool = False

    def value(self, obj: Any) -> Any:
        """The value shown for ``obj``."""
        current = obj
        for part in self.path.split("."):
            if current is None:
                return ""
            display = getattr(current, f"get_{part}_display", None)
            current = display() if callable(display) else getattr(current, part)
            if isinstance(current, models.Manager):
                current = listed(current.all())
            elif callable(current):
                current = current()
        if isinstance(current, models.Choices):
            return current.label
        if isinstance(current, bool):
            return _("是") if current else _("否")
        return "" if current is None else current
