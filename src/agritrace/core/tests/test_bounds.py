"""Issue 11: every number and date has bounds that fit its column and its meaning; request
bodies are bounded before parsing; malformed input is a 400 in the user's language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from agritrace.core.drf import MAX_JSON_DEPTH, depth

#: Fields the platform alone sets, declared by Django's auth models.
SET_BY_DJANGO = {("accounts.User", "last_login"), ("accounts.User", "date_joined")}
#: What each integer column can hold.
INTEGER_CAPACITY = {
    models.PositiveSmallIntegerField: 32767,
    models.SmallIntegerField: 32767,
    models.BigIntegerField: 2**63 - 1,
}


def editable_fields(*kinds: type[models.Field]) -> list[tuple[str, models.Field]]:
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("agritrace."):
            continue
        for field in model._meta.concrete_fields:
            if (
                isinstance(field, kinds)
                and field.editable
                and not field.primary_key
                and not isinstance(field, models.ForeignKey)
                and (model._meta.label, field.name) not in SET_BY_DJANGO
            ):
                found.append((f"{model._meta.label}.{field.name}", field))
    return found


def capacity(field: models.Field) -> Decimal | int:
    if isinstance(field, models.DecimalField):
        return Decimal(10) ** (field.max_digits - field.decimal_places) - Decimal(1).scaleb(
            -field.decimal_places
        )
    if isinstance(field, models.FloatField):
        return 10**300
    return INTEGER_CAPACITY.get(type(field), 2**31 - 1)


def refuses(field: models.Field, value: object) -> bool:
    try:
        field.clean(value, None)
    except ValidationError:
        return True
    return False


NUMBERS = editable_fields(models.DecimalField, models.IntegerField, models.FloatField)
DATES = editable_fields(models.DateField)


def test_the_meta_tests_see_the_fields():
    names = {name for name, _ in NUMBERS + DATES}
    assert "testing.TestRecord.inhibition_rate" in names
    assert "production.ProductionRecord.date" in names
    assert len(NUMBERS) > 20 and len(DATES) > 20


@pytest.mark.parametrize(("name", "field"), NUMBERS, ids=[n for n, _ in NUMBERS])
def test_every_number_declares_bounds_inside_its_column_and_refuses_non_finite(name, field):
    top = capacity(field)
    declared = field._validators
    lows = [v.limit_value for v in declared if isinstance(v, MinValueValidator)]
    highs = [v.limit_value for v in declared if isinstance(v, MaxValueValidator)]
    if lows and highs:
        assert -top <= min(lows) <= max(highs) <= top, f"{name}: range outside its column"
    else:  # a range of its own kind (coordinates inside China)
        assert refuses(field, top) and refuses(field, -top), f"{name} declares no range"
    assert refuses(field, top + 1) and refuses(field, -top - 1)
    non_finite = ["NaN", "sNaN", "Infinity", "-Infinity"]
    if not isinstance(field, models.IntegerField):
        non_finite += [float("nan"), float("inf"), Decimal("NaN"), Decimal("-Infinity")]
    for value in non_finite:
        assert refuses(field, value), f"{name} takes {value!r}"


@pytest.mark.parametrize(("name", "field"), DATES, ids=[n for n, _ in DATES])
def test_every_date_has_a_sane_range(name, field):
    first = dt.date(1, 1, 1)
    last = dt.date(9999, 12, 31)
    if isinstance(field, models.DateTimeField):
        first = dt.datetime(1, 1, 1, tzinfo=dt.UTC)
        last = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)
    assert refuses(field, first), f"{name} takes year 1"
    assert refuses(field, last), f"{name} takes year 9999"


def test_depth_counts_nesting_without_recursion():
    assert depth(1) == 0
    assert depth({"a": [1, {"b": []}]}) == 4
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    assert depth(deep) == 100_001


@pytest.fixture
def api_owner(world):
    return world.api("producer_a")


@pytest.mark.parametrize(
    ("body", "status", "zh", "en"),
    [
        (b"[" * 50_000 + b"]" * 50_000, 400, "JSON", "JSON"),
        (
            b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1),
            400,
            f"嵌套超过 {MAX_JSON_DEPTH} 层",
            f"more than {MAX_JSON_DEPTH} levels",
        ),
        (b'{"name": "\xff\xfe"}', 400, "不是有效的 UTF-8", "not valid UTF-8"),
        (b'{"quantity": NaN}', 400, "NaN", "NaN"),
        (b'{"name": ', 400, "第 1 行", "line 1"),
    ],
    ids=["nested-50000", "nested-33", "invalid-utf8", "nan-literal", "truncated"],
)
def test_malformed_json_is_a_400_in_the_users_language(world, body, status, zh, en):
    url = "/api/v1/products/"
    client = world.api("producer_a")
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == status, response.content[:300]
    assert zh in response.json()["detail"]
    client.cookies["django_language"] = "en"
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == status
    assert en in response.json()["detail"]


def test_an_oversized_json_body_is_refused_before_parsing(world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = world.api("producer_a").post(
        "/api/v1/products/",
        b'{"name": "' + b"x" * 2000 + b'"}',
        content_type="application/json",
    )
    assert response.status_code == 413
    assert "1000" in response.json()["detail"]


def test_split_of_nan_is_a_message_not_a_500(world):
    batch = world.deps["A"]["batch"]
    client = world.client("producer_a")
    for text in ("NaN, 1", "sNaN", "Infinity", "1e400", "0.0001", "1,,abc"):
        response = client.post(
            reverse("production:batch_split", args=[batch.pk]), {"quantities": text}, follow=True
        )
        assert response.status_code == 200, text
        assert not batch.child_links.exists(), text
    response = world.api("producer_a").post(
        f"/api/v1/batches/{batch.pk}/split/", {"quantities": ["NaN", 1]}, format="json"
    )
    assert response.status_code == 400
    assert "quantities" in response.json()


def test_a_harvest_dated_year_1_or_tomorrow_is_refused(world):
    base = world.deps["A"]["base"]
    product = world.deps["A"]["product"]
    client = world.client("producer_a")
    for day in ("0001-01-01", "1989-12-31", (dt.date.today() + dt.timedelta(days=2)).isoformat()):
        response = client.post(
            reverse("production:harvest"),
            {
                "base": base.pk,
                "product": product.pk,
                "kind": "harvest",
                "produced_on": day,
                "quantity": "10",
                "unit": "kg",
            },
        )
        assert response.status_code == 400, day
        assert "produced_on" in response.context["form"].errors, day
        response = world.api("producer_a").post(
            "/api/v1/batches/harvest/",
            {
                "base": base.pk,
                "product": product.pk,
                "produced_on": day,
                "quantity": "10",
                "unit": "kg",
            },
            format="json",
        )
        assert response.status_code == 400, day
        assert "produced_on" in response.json(), day
    from agritrace.production.models import Batch

    assert not Batch.objects.filter(number__startswith="10101").exists()


def test_split_parts_of_a_batch_with_the_longest_number_are_refused_not_overflowed(world):
    from agritrace.production.models import Batch

    batch = world.deps["A"]["batch"]
    Batch.objects.filter(pk=batch.pk).update(number="批" * 40)
    response = world.api("producer_a").post(
        f"/api/v1/batches/{batch.pk}/split/", {"quantities": [1, 2]}, format="json"
    )
    assert response.status_code == 400
    assert "40" in response.json()["quantities"][0]
    assert not Batch.objects.filter(number__startswith="批" * 40 + "-").exists()


def test_titles_derived_from_long_records_are_clipped_with_a_mark(world):
    """Warning and follow-up titles join a producer's, a sample's and an item's names: at their
    longest they exceed the title column (PostgreSQL refused it; SQLite stored it)."""
    from agritrace.alerts.models import FollowUp, Warning
    from agritrace.testing import services
    from agritrace.testing.models import TestRecord

    producer = world.producers["A"]
    type(producer).objects.filter(pk=producer.pk).update(name="主" * 100)
    producer.refresh_from_db()
    test = services.record_test(
        TestRecord(
            producer=producer,
            sample_name="样" * 100,
            method="enzyme",
            item="项" * 100,
            tested_at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC),
            inhibition_rate=Decimal(70),
        )
    )
    warning = Warning.objects.get(kind="positive_test", subject_id=str(test.pk))
    follow_up = FollowUp.objects.get(warning=warning)
    for title in (warning.title, follow_up.title):
        assert len(title) == 200 and title.endswith("…")
