"""Template filters for the declarative tables, forms and detail pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.db import models
from django.forms import BoundField
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from agritrace.core.formats import clauses, labelled, listed, parens, quantity
from agritrace.core.tables import Col

register = template.Library()

HIDDEN_FIELDS = frozenset({"id", "password", "path", "created_at", "updated_at"})


@register.filter
def css(field: BoundField, classes: str) -> Any:
    """Render a form field with extra CSS classes (and ``is-invalid`` when it has errors)."""
    attrs = dict(field.field.widget.attrs)
    existing = attrs.get("class", "")
    invalid = " is-invalid" if field.errors else ""
    attrs["class"] = f"{existing} {classes}{invalid}".strip()
    return field.as_widget(attrs=attrs)


@register.filter
def qty(value: Any) -> str:
    """A quantity without exponent notation or trailing zeros."""
    return quantity(value)


@register.filter(name="listed")
def listed_filter(items: Any) -> str:
    """A list joined the way the active language joins lists (``、`` or ``, ``)."""
    return listed(items)


@register.filter(name="clauses")
def clauses_filter(items: Any) -> str:
    """Reasons joined the way the active language joins clauses (``；`` or ``; ``)."""
    return clauses(items)


@register.filter(name="parens")
def parens_filter(value: Any) -> SafeString:
    """``value`` in the active language's brackets: ``（value）`` or `` (value)``; wrap markup
    with ``{% filter parens %}…{% endfilter %}``."""
    return mark_safe(parens(conditional_escape(value)))  # value escaped, brackets ours


@register.filter
def colon(label: Any) -> SafeString:
    """A label with the active language's colon: ``{{ _("状态")|colon }}`` → ``状态：`` or
    ``Status: ``."""
    return mark_safe(labelled(conditional_escape(label)))  # label escaped, colon ours


@register.filter
def cell(column: Col, obj: Any) -> Any:
    """A declared column's value for ``obj`` (quantities without trailing zeros)."""
    return shown(column.value(obj))


def shown(value: Any) -> Any:
    """How a value reads on a page: decimals without trailing zeros."""
    return quantity(value) if isinstance(value, Decimal) else value


@register.filter
def fields(obj: models.Model) -> list[tuple[str, Any]]:
    """(label, shown value) for each visible concrete field of ``obj``."""
    rows = []
    for field in obj._meta.concrete_fields:
        if field.name in HIDDEN_FIELDS:
            continue
        rows.append(
            (str(field.verbose_name), shown(Col(field.verbose_name, field.name).value(obj)))
        )
    return rows
