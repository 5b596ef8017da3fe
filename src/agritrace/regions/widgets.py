"""The region picker: a search box that narrows a ``<select>`` by name (htmx)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse

#: Options rendered before the user searches; the rest arrive through the search.
INITIAL_OPTIONS = 100


class RegionSelect(forms.Select):
    """A ``<select>`` of regions with a name search above it."""

    template_name = "regions/region_select.html"

    def __init__(self, level: str = "", attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.level = level

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["pick_url"] = f"{reverse('region_pick')}?level={self.level}"
        return context

    def optgroups(self, name: str, value: list[str], attrs: dict[str, Any] | None = None) -> list:
        """The selected region plus the first ``INITIAL_OPTIONS`` ones."""
        groups = super().optgroups(name, value, attrs)
        selected = [g for g in groups if any(option["selected"] for option in g[1])]
        return groups[:INITIAL_OPTIONS] + [g for g in selected if g not in groups[:INITIAL_OPTIONS]]
