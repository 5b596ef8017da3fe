"""Production rules: pre-harvest interval, harvest → batch, split, merge, shipments, stock."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from agritrace.catalog.models import Product
from agritrace.conftest import World
from agritrace.production import services
from agritrace.production.models import Input, InputInterval, InputPurchase, ProductionRecord

DAY = dt.date(2026, 5, 1)


@pytest.fixture
def farm(world: World):
    producer = world.producers["A"]
    base = world.deps["A"]["base"]
    cabbage = Product.objects.create(producer=producer, name="示例白菜", category="vegetable")
    pesticide = Input.objects.create(
        kind="pesticide",
        name="示例吡虫啉",
        registration_number="PD00000001",
        default_interval_days=14,
    )
    InputInterval.objects.create(input=pesticide, category="vegetable", days=7)
    return producer, base, cabbage, pesticide


def apply(producer, base, pesticide, on):
    return services.add_record(
        ProductionRecord(
            producer=producer,
            kind="input_application",
            date=on,
            base=base,
            input=pesticide,
            dose="30毫升/亩",
        )
    )


def test_harvest_inside_the_interval_is_refused_naming_input_and_dates(farm):
    producer, base, cabbage, pesticide = farm
    apply(producer, base, pesticide, DAY)
    with pytest.raises(ValidationError) as error:
        services.record_harvest(
            base=base,
            product=cabbage,
            on=DAY + dt.timedelta(days=6),
            quantity=Decimal(100),
            unit="kg",
        )
    message = " ".join(error.value.message_dict["date"])
    assert "示例吡虫啉" in message and "2026-05-01" in message and "2026-05-08" in message
    batch = services.record_harvest(
        base=base, product=cabbage, on=DAY + dt.timedelta(days=7), quantity=Decimal(100), unit="kg"
    )
    assert batch.bases.get() == base and batch.records.get().kind == "harvest"


def test_category_interval_wins_over_default_and_default_applies_elsewhere(farm):
    producer, base, _cabbage, pesticide = farm
    apple = Product.objects.create(producer=producer, name="示例苹果", category="fruit")
    apply(producer, base, pesticide, DAY)
    with pytest.raises(ValidationError):
        services.record_harvest(
            base=base, product=apple, on=DAY + dt.timedelta(days=10), quantity=Decimal(1), unit="kg"
        )
    services.record_harvest(
        base=base, product=apple, on=DAY + dt.timedelta(days=14), quantity=Decimal(1), unit="kg"
    )


def test_application_that_would_precede_a_recorded_harvest_too_closely_is_refused(farm):
    producer, base, cabbage, pesticide = farm
    services.record_harvest(base=base, product=cabbage, on=DAY, quantity=Decimal(10), unit="kg")
    with pytest.raises(ValidationError) as error:
        apply(producer, base, pesticide, DAY - dt.timedelta(days=3))
    assert "安全间隔期" in " ".join(error.value.message_dict["date"])
    apply(producer, base, pesticide, DAY - dt.timedelta(days=7))


def test_future_dates_and_absurd_quantities_are_refused(farm):
    producer, base, cabbage, _pesticide = farm
    with pytest.raises(ValidationError):
        services.add_record(
            ProductionRecord(
                producer=producer,
                kind="irrigation",
                date=dt.date.today() + dt.timedelta(days=2),
                base=base,
            )
        )
    for quantity in (Decimal(-5), Decimal("1e12")):
        with pytest.raises(ValidationError):
            services.record_harvest(
                base=base, product=cabbage, on=DAY, quantity=quantity, unit="kg"
            )


def test_split_more_than_the_batch_holds_is_refused(farm):
    _producer, base, cabbage, _pesticide = farm
    batch = services.record_harvest(
        base=base, product=cabbage, on=DAY, quantity=Decimal(100), unit="kg"
    )
    with pytest.raises(ValidationError) as error:
        services.split_batch(batch, [Decimal(60), Decimal(50)])
    assert "100" in error.value.messages[0]
    parts = services.split_batch(batch, [Decimal(60), Decimal(40)])
    assert [p.number for p in parts] == [f"{batch.number}-01", f"{batch.number}-02"]
    assert services.remaining(batch) == 0
    assert list(parts[0].bases.all()) == [base]


def test_shipment_beyond_remaining_is_refused(farm):
    _producer, base, cabbage, _pesticide = farm
    batch = services.record_harvest(
        base=base, product=cabbage, on=DAY, quantity=Decimal(10), unit="kg"
    )
    services.ship(
        batch, shipped_on=DAY, quantity=Decimal(8), buyer="示例市场", buyer_kind="farmers_market"
    )
    with pytest.raises(ValidationError):
        services.ship(
            batch,
            shipped_on=DAY,
            quantity=Decimal(3),
            buyer="示例市场",
            buyer_kind="farmers_market",
        )
    assert services.remaining(batch) == 2


def test_stock_is_purchases_minus_use(farm):
    producer, base, _cabbage, pesticide = farm
    InputPurchase.objects.create(
        producer=producer,
        input=pesticide,
        supplier="示例农资店",
        purchased_on=DAY,
        quantity=5,
        unit="L",
    )
    services.add_record(
        ProductionRecord(
            producer=producer,
            kind="input_application",
            date=DAY,
            base=base,
            input=pesticide,
            quantity=Decimal("1.5"),
        )
    )
    assert services.input_stock(producer.pk)[pesticide.pk] == Decimal("3.5")


def test_api_refuses_harvest_inside_interval_with_field_message(world: World, farm):
    producer, base, cabbage, pesticide = farm
    apply(producer, base, pesticide, DAY)
    response = world.api("producer_a").post(
        "/api/v1/batches/harvest/",
        {
            "base": base.pk,
            "product": cabbage.pk,
            "produced_on": "2026-05-03",
            "quantity": "10",
            "unit": "kg",
        },
        format="json",
    )
    assert response.status_code == 400 and "2026-05-08" in response.json()["date"][0]
    response = world.api("producer_a").post(
        "/api/v1/records/",
        {"kind": "harvest", "date": "2026-05-03", "base": base.pk, "product": cabbage.pk},
        format="json",
    )
    assert response.status_code == 400 and "date" in response.json()
    assert (
        world.api("producer_b")
        .post(
            "/api/v1/batches/harvest/",
            {
                "base": base.pk,
                "product": cabbage.pk,
                "produced_on": "2026-05-30",
                "quantity": "10",
                "unit": "kg",
            },
            format="json",
        )
        .status_code
        == 400
    )
