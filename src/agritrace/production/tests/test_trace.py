"""Lineage and the trace report in both directions (page, API, xlsx)."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from agritrace.catalog.models import Product
from agritrace.conftest import World
from agritrace.production import services
from agritrace.production.models import Batch, Input, ProductionRecord
from agritrace.production.trace import trace

DAY = dt.date(2026, 4, 1)


@pytest.fixture
def chain(world: World):
    """base → harvest H → split S1,S2 → merge(S1 + purchase P) → M → shipment; M → split M1."""
    producer = world.producers["A"]
    base = world.deps["A"]["base"]
    leaf = Product.objects.create(producer=producer, name="示例鲜叶", category="tea_fresh")
    tea = Product.objects.create(producer=producer, name="示例黑茶", category="tea")
    fertiliser = Input.objects.create(kind="fertiliser", name="示例茶园肥", producer=producer)
    services.add_record(
        ProductionRecord(
            producer=producer,
            kind="fertilising",
            date=DAY - dt.timedelta(days=20),
            base=base,
            input=fertiliser,
        )
    )
    harvest = services.record_harvest(
        base=base, product=leaf, on=DAY, quantity=Decimal(500), unit="kg"
    )
    s1, _s2 = services.split_batch(harvest, [Decimal(300), Decimal(200)])
    bought = Batch.objects.create(
        producer=producer,
        product=leaf,
        number="P-1",
        kind="purchase",
        quantity=100,
        unit="kg",
        produced_on=DAY,
        supplier="示例茶农合作社",
    )
    merged = services.merge_batches(
        [(s1, Decimal(300)), (bought, Decimal(100))],
        product=tea,
        quantity=Decimal(120),
        unit="kg",
        on=DAY,
    )
    services.ship(
        merged,
        shipped_on=DAY,
        quantity=Decimal(20),
        buyer="示例茶叶批发市场",
        buyer_kind="wholesale_market",
    )
    (child,) = services.split_batch(merged, [Decimal(50)])
    services.ship(
        child, shipped_on=DAY, quantity=Decimal(10), buyer="示例电商店铺", buyer_kind="ecommerce"
    )
    return {
        "harvest": harvest,
        "s1": s1,
        "bought": bought,
        "merged": merged,
        "child": child,
        "base": base,
    }


def test_backward_from_the_last_batch_finds_bases_inputs_sources_and_suppliers(chain):
    report = trace(chain["child"])
    upstream = {b.number: depth for b, depth in report.upstream}
    assert upstream == {
        chain["merged"].number: 1,
        chain["s1"].number: 2,
        "P-1": 2,
        chain["harvest"].number: 3,
    }
    assert report.bases == [chain["base"]]
    assert [r.input.name for r in report.applications] == ["示例茶园肥"]
    assert report.suppliers == ["示例茶农合作社"]


def test_forward_from_the_harvest_finds_every_derived_batch_and_buyer(chain):
    report = trace(chain["harvest"])
    downstream = {b.number for b, _depth in report.downstream}
    assert {chain["s1"].number, chain["merged"].number, chain["child"].number} <= downstream
    assert "P-1" not in downstream
    assert {s.buyer for s in report.shipments} == {"示例茶叶批发市场", "示例电商店铺"}


def test_trace_api_page_and_xlsx(world: World, chain):
    merged = chain["merged"]
    data = world.api("county_a").get(f"/api/v1/batches/{merged.pk}/trace/").json()
    assert {b["number"] for b in data["upstream"]} >= {"P-1", chain["harvest"].number}
    assert data["suppliers"] == ["示例茶农合作社"]
    assert world.api("county_b").get(f"/api/v1/batches/{merged.pk}/trace/").status_code == 404
    page = (
        world.client("producer_a")
        .get(reverse("production:batch_detail", args=[merged.pk]))
        .content.decode()
    )
    assert "示例茶农合作社" in page and "示例茶叶批发市场" in page and "示例茶园肥" in page
    response = world.client("county_a").get(
        reverse("production:batch_trace_xlsx", args=[merged.pk])
    )
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == [
        "本批次",
        "上游批次",
        "来源基地",
        "投入品使用",
        "下游批次",
        "发货去向",
        "数量平衡",
        "按购买方汇总",
        "检测记录",
        "承诺达标合格证",
        "追溯码",
    ]
    assert (
        world.client("producer_b")
        .get(reverse("production:batch_trace_xlsx", args=[merged.pk]))
        .status_code
        == 404
    )


def test_merge_refuses_more_than_a_source_holds(chain):
    with pytest.raises(Exception, match="仅剩"):
        services.merge_batches(
            [(chain["bought"], Decimal(1))],
            product=chain["merged"].product,
            quantity=Decimal(1),
            unit="kg",
            on=DAY,
        )
