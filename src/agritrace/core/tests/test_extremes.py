"""Issue 11: a stored row can always be displayed. Every scoped model gets rows (the scope
matrix's own objects), every bounded field of every row is set to the extreme its validators
allow (and text to its full length, with markup in it), and then every page reachable from the
home page and every API list and detail answers without a server error."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from agritrace.core.tests.crawl import api_reads, crawl, populate
from agritrace.core.validators import EARLIEST_DAY, LATEST_DAY, DateRange

WIDE = "龘<b>&amp;"


def bound(field: models.Field, kind: type) -> Any:
    for validator in field.validators:
        if isinstance(validator, kind):
            return validator.limit_value
    return None


def extreme(field: models.Field, top: bool) -> Any:
    """The most extreme value ``field`` allows, or None to leave it alone."""
    if isinstance(field, (models.DecimalField, models.IntegerField, models.FloatField)):
        return bound(field, MaxValueValidator if top else MinValueValidator)
    if isinstance(field, models.DateField):
        past = any(isinstance(v, DateRange) and v.past for v in field.validators)
        day = (dt.date.today() if past else LATEST_DAY) if top else EARLIEST_DAY
        if isinstance(field, models.DateTimeField):
            return dt.datetime.combine(day, dt.time(0, 0), dt.UTC)
        return day
    if (
        isinstance(field, models.CharField)
        and not field.choices
        and not field.unique
        and field.max_length
        and not [v for v in field.validators if type(v).__name__ != "MaxLengthValidator"]
    ):
        return (WIDE * field.max_length)[: field.max_length] if top else ""
    return None


def fill(top: bool) -> int:
    """Set every bounded field of every row of every AgriTrace model to its extreme."""
    changed = 0
    for model in apps.get_models():
        if not model.__module__.startswith("agritrace.") or model._meta.proxy:
            continue
        values = {}
        for field in model._meta.concrete_fields:
            if field.primary_key or field.is_relation or not field.editable:
                continue
            if field.name == "password":  # a hash: changing it signs the persona out
                continue
            if any(field.name in c.fields for c in model._meta.constraints if hasattr(c, "fields")):
                continue
            value = extreme(field, top)
            if value is not None and not (value == "" and not field.blank):
                values[field.name] = value
        if values:
            changed += model._base_manager.update(**values)
    return changed


@pytest.fixture
def every_model(world):
    return populate(world)


@pytest.mark.parametrize(
    ("persona", "top"),
    [("county_a", True), ("producer_a", True), ("county_a", False)],
    ids=["county-largest", "producer-largest", "county-smallest"],
)
def test_rows_at_their_extremes_display_everywhere(every_model, persona, top):
    assert fill(top) > 100
    client = every_model.client(persona)
    pages = crawl(client, "/")
    broken = {url: status for url, status in pages.items() if status >= 500}
    assert not broken, broken
    assert len(pages) > 50, sorted(pages)
    exports = [url for url in pages if "export=xlsx" in url]
    assert exports, "the list pages' xlsx exports were reached"
    reads = api_reads(every_model.api(persona))
    broken = {url: status for url, status in reads.items() if status >= 500}
    assert not broken, broken
    assert len(reads) > 30


def test_extremes_are_the_bounds_of_the_fields():
    from agritrace.production.models import Batch

    assert extreme(Batch._meta.get_field("quantity"), True) == Decimal("100000000")
    assert extreme(Batch._meta.get_field("produced_on"), False) == EARLIEST_DAY
