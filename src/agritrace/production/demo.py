"""Demo production: a shared input catalogue and a season of records for the demo producers —
planting, fertilising, pesticide applications respecting their intervals, harvests into
batches, splits, processing (tea leaf → dark tea) and shipments to markets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from agritrace.catalog.models import Product
from agritrace.core.demodata import MARK, DemoContext
from agritrace.producers.models import Producer
from agritrace.production import services
from agritrace.production.models import Input, InputInterval, InputPurchase, ProductionRecord

#: (kind, name, registration number, active ingredient, default interval, {category: days}).
INPUTS = [
    (
        "pesticide",
        "吡虫啉可湿性粉剂（示例）",
        "PD示例0001",
        "吡虫啉",
        14,
        {"vegetable": 7, "tea_fresh": 10},
    ),
    ("pesticide", "苦参碱水剂（示例）", "PD示例0002", "苦参碱", 10, {"vegetable": 5}),
    ("vet_drug", "阿莫西林可溶性粉（示例）", "兽药字示例0003", "阿莫西林", 14, {"livestock": 14}),
    ("fertiliser", "有机肥（示例）", "", "", 0, {}),
    ("feed", "配合饲料（示例）", "", "", 0, {}),
]
MARKETS = [
    ("示例农产品批发市场", "wholesale_market"),
    ("示例农贸市场", "farmers_market"),
    ("示例连锁超市", "supermarket"),
    ("示例电商旗舰店", "ecommerce"),
]
SEASONS_PER_COUNTY = 4


def catalogue() -> dict[str, Input]:
    """The shared inputs, by kind of use."""
    found = {}
    for kind, name, number, ingredient, default, intervals in INPUTS:
        item, created = Input.objects.get_or_create(
            name=name,
            producer=None,
            defaults={
                "kind": kind,
                "registration_number": number,
                "active_ingredient": ingredient,
                "default_interval_days": default,
            },
        )
        if created:
            for category, days in intervals.items():
                InputInterval.objects.create(input=item, category=category, days=days)
        found[name] = item
    return found


def load(ctx: DemoContext) -> None:
    """A season for the first producers of each county (skipped when they have records)."""
    inputs = list(catalogue().values())
    pesticide, biological, vet_drug, fertiliser, feed = inputs
    today = timezone.localdate()
    start = today.replace(month=3, day=1) if today.month > 9 else today - dt.timedelta(days=240)
    producers = (
        Producer.objects.filter(name__contains=MARK, bases__isnull=False)
        .distinct()
        .order_by("township__parent__code", "id")
    )
    seen: dict[int, int] = {}
    for producer in producers:
        county = producer.township.parent_id
        seen[county] = seen.get(county, 0) + 1
        if seen[county] > SEASONS_PER_COUNTY or producer.records.exists():
            continue
        base = producer.bases.order_by("id").first()
        products = list(Product.objects.filter(producer=producer).order_by("id"))
        if not products:
            continue
        animal = products[0].category in ("livestock", "aquatic")
        used = (
            (vet_drug, feed)
            if animal
            else (pesticide if producer.pk % 2 else biological, fertiliser)
        )
        season(ctx, producer, base, products, used, start, animal)


def season(ctx, producer, base, products, used, start, animal) -> None:  # noqa: ANN001
    """Records from planting to shipment; the last application respects its interval."""
    treatment, nutrition = used
    day = start
    InputPurchase.objects.create(
        producer=producer,
        input=treatment,
        supplier=f"{MARK}农资经营部",
        purchased_on=day,
        quantity=Decimal(20),
        unit="kg",
        lot=f"{MARK}{day:%Y%m}",
    )
    first = "stocking" if animal else "planting"
    records = [
        ProductionRecord(
            producer=producer,
            kind=first,
            date=day,
            base=base,
            product=products[0],
            area_mu=None if animal else base.area_mu,
            operator=f"{MARK}技术员",
        ),
        ProductionRecord(
            producer=producer,
            kind="fertilising" if not animal else "other",
            date=day + dt.timedelta(days=20),
            base=base,
            input=nutrition,
            dose="50千克/亩" if not animal else "按量饲喂",
            quantity=Decimal(5),
            operator=f"{MARK}技术员",
        ),
        ProductionRecord(
            producer=producer,
            kind="irrigation",
            date=day + dt.timedelta(days=35),
            base=base,
            operator=f"{MARK}技术员",
            note=f"{MARK}滴灌",
        ),
        ProductionRecord(
            producer=producer,
            kind="input_application",
            date=day + dt.timedelta(days=60),
            base=base,
            input=treatment,
            dose="30毫升/亩",
            target="蚜虫" if not animal else "呼吸道病",
            quantity=Decimal("1.5"),
            operator=f"{MARK}植保员",
        ),
    ]
    for record in records:
        services.add_record(record)
    harvest_day = day + dt.timedelta(
        days=60 + services.interval_days(treatment, products[0].category) + 5
    )
    batch = services.record_harvest(
        base=base,
        product=products[0],
        on=harvest_day,
        quantity=Decimal(2000 if not animal else 120),
        unit=products[0].unit,
        kind="slaughter" if products[0].category == "livestock" else "harvest",
        operator=f"{MARK}采收组",
    )
    first_part, second_part = services.split_batch(batch, [batch.quantity / 2, batch.quantity / 4])
    market, kind = MARKETS[producer.pk % len(MARKETS)]
    services.ship(
        first_part,
        shipped_on=harvest_day + dt.timedelta(days=1),
        quantity=first_part.quantity / 2,
        buyer=market,
        buyer_kind=kind,
        destination="湖南省长沙市（示例）",
    )
    if len(products) > 1 and products[1].category == "tea":
        # The fresh leaf is the raw material the dark tea is processed from.
        processed = services.merge_batches(
            [(second_part, second_part.quantity)],
            product=products[1],
            quantity=Decimal(150),
            unit="kg",
            on=harvest_day + dt.timedelta(days=20),
        )
        services.ship(
            processed,
            shipped_on=harvest_day + dt.timedelta(days=25),
            quantity=Decimal(100),
            buyer="示例黑茶专卖店",
            buyer_kind="supermarket",
            destination="湖南省益阳市（示例）",
        )
    ctx.count("production records", producer.records.count())
    ctx.count("batches", producer.batches.count())
