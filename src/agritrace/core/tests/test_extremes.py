"""Issue 11: a stored row can always be displayed. Every scoped model gets rows (the scope
matrix's own objects), every bounded field of every row is set to the extreme its validators
allow (and text to its full length, with markup in it), and then every page reachable from the
home page and every API list and detail answers without a server error."""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from decimal import Decimal
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from agritrace.core.tests.test_scope_matrix import CASES
from agritrace.core.validators import EARLIEST_DAY, LATEST_DAY, DateRange

LINK = re.compile(r'(?:href|hx-get)="([^"#]+)"')
#: Not pages: leaving, switching language, static and media files.
SKIP = re.compile(r"^/(logout|i18n|static|media|api/docs)/|^/admin/logout")
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


def crawl(client: Any, start: str, limit: int = 1500) -> dict[str, int]:
    """GET every page reachable from ``start`` (same site), each once; their statuses."""
    seen: dict[str, int] = {}
    queue = deque([start])
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code in (301, 302):
            queue.append(response["Location"])
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for link in LINK.findall(response.content.decode()):
            target = urljoin(url, link.replace("&amp;", "&"))
            parts = urlsplit(target)
            if parts.netloc or SKIP.match(parts.path) or "?page=" in target:
                continue
            if target not in seen:
                queue.append(target)
    return seen


def api_reads(client: Any) -> dict[str, int]:
    """Every API list (from the API root) and the detail of each row it lists."""
    seen: dict[str, int] = {}
    root = client.get("/api/v1/").json()
    for url in root.values():
        path = urlsplit(url).path
        response = client.get(path)
        seen[path] = response.status_code
        if response.status_code != 200:
            continue
        body = response.json()
        for row in body.get("results", []) if isinstance(body, dict) else body:
            if isinstance(row, dict) and "id" in row:
                detail = f"{path}{row['id']}/"
                seen[detail] = client.get(detail).status_code
    return seen


@pytest.fixture
def every_model(world):
    for case in CASES.values():
        case.objects(world)
    return world


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
