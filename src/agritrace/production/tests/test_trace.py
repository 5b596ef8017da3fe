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


def test_quantities_in_and_out_of_every_batch_and_per_buyer(world: World, chain):
    """A recall officer sees how much went where (issue 13, part 7): page, xlsx and API."""
    from agritrace.production.trace import balances, by_buyer

    report = trace(chain["harvest"])
    found = {b.batch.number: b for b in balances(report)}
    harvest, merged, child = chain["harvest"], chain["merged"], chain["child"]
    assert (found[harvest.number].produced, found[harvest.number].split_out) == (500, 500)
    assert found[harvest.number].received is None and found[harvest.number].remaining == 0
    m = found[merged.number]
    assert (m.received, m.produced, m.split_out, m.shipped, m.remaining) == (400, 120, 50, 20, 50)
    assert (found[child.number].shipped, found[child.number].remaining) == (10, 40)
    assert not any(b.problems for b in found.values())
    totals = {t.buyer: t for t in by_buyer(report)}
    assert totals["示例茶叶批发市场"].quantity == 20
    assert totals["示例电商店铺"].batches == [child.number]
    data = world.api("county_a").get(f"/api/v1/batches/{harvest.pk}/trace/").json()
    assert {row["number"]: row["remaining"] for row in data["balances"]}[merged.number] == "50.000"
    assert {row["buyer"] for row in data["buyers"]} == set(totals)


def test_more_shipped_or_split_than_came_in_is_flagged_with_the_figures(world: World, chain):
    """The rules refuse it, but a batch's quantity can be corrected down afterwards (or come
    from an import): the mass-balance check flags it everywhere the report goes."""
    merged = chain["merged"]
    Batch.objects.filter(pk=merged.pk).update(quantity=Decimal(60))
    Batch.objects.filter(pk=chain["child"].pk).update(quantity=Decimal(80))
    expected = "分出 50千克、发货 20千克，超过批次数量 60千克"
    page = (
        world.client("producer_a")
        .get(reverse("production:batch_detail", args=[merged.pk]))
        .content.decode()
    )
    assert expected in page and "分批所得 80千克，多于来源批次分出的 50千克" in page
    response = world.client("county_a").get(
        reverse("production:batch_trace_xlsx", args=[merged.pk])
    )
    sheet = load_workbook(BytesIO(response.content))["数量平衡"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[merged.number][-1] == expected
    assert rows[chain["harvest"].number][-1] == "正常"


def test_tests_certificates_and_codes_of_the_whole_lineage(world: World, chain):
    """The facts of testing and coding (registered in their ``flow`` modules) for every batch
    of the lineage, on the page and in the xlsx."""
    from django.utils import timezone

    from agritrace.coding.models import Certificate
    from agritrace.coding.services import certificates, minting
    from agritrace.testing.models import TestRecord

    harvest, child = chain["harvest"], chain["child"]
    TestRecord.objects.create(
        producer=world.producers["A"],
        batch=harvest,
        sample_name="示例鲜叶样品",
        method="enzyme",
        item="示例有机磷",
        tested_at=timezone.now(),
        inhibition_rate=5,
        result="negative",
    )
    certificate = certificates.issue_certificate(
        Certificate(
            batch=child,
            quantity=Decimal(40),
            basis="quality_control",
            no_prohibited=True,
            within_limits=True,
            responsible=True,
            signatory="示例签名",
        )
    )
    minting.request_mint(world.producers["A"], 7, batch=child)
    page = (
        world.client("county_a")
        .get(reverse("production:batch_detail", args=[chain["merged"].pk]))
        .content.decode()
    )
    assert "示例有机磷" in page and certificate.number in page
    response = world.client("county_a").get(
        reverse("production:batch_trace_xlsx", args=[chain["merged"].pk])
    )
    book = load_workbook(BytesIO(response.content))
    tests = list(book["检测记录"].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[3]) for row in tests] == [(harvest.number, "示例有机磷")]
    certificates_ = list(book["承诺达标合格证"].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[1]) for row in certificates_] == [(certificate.number, child.number)]
    header, *codes = book["追溯码"].iter_rows(values_only=True)
    assert header[:2] == ("批次号", "已生成") and header[-1] == "合计"
    assert [(row[0], row[1], row[-1]) for row in codes] == [(child.number, 7, 7)]
