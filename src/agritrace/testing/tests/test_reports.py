"""Plan-vs-actual compliance and the annual summary (page, PDF, xlsx)."""

import datetime as dt
from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from agritrace.conftest import World
from agritrace.testing import reports
from agritrace.testing.models import SelfTestPlan, TestRecord


def add_test(producer, day, rate=10, result="negative"):
    return TestRecord.objects.create(
        producer=producer,
        sample_name="示例白菜",
        method="enzyme",
        item="有机磷",
        tested_at=dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC),
        inhibition_rate=rate,
        result=result,
    )


def test_weekly_plan_compliance(world: World):
    producer = world.producers["B"]
    plan = SelfTestPlan.objects.create(
        producer=producer,
        method="enzyme",
        items="示例农残",
        times=2,
        period="week",
        valid_from=dt.date(2026, 6, 1),
        valid_to=dt.date(2026, 6, 28),
    )
    for day in (dt.date(2026, 6, 1), dt.date(2026, 6, 3), dt.date(2026, 6, 9)):
        add_test(producer, day)
    spans = reports.compliance(plan, 2026, dt.date(2026, 12, 31))
    assert [(s.start.day, s.planned, s.actual, s.met) for s in spans] == [
        (1, 2, 2, True),
        (8, 2, 1, False),
        (15, 2, 0, False),
        (22, 2, 0, False),
    ]


def test_monthly_periods_clip_to_the_plan():
    plan = SelfTestPlan(
        times=1, period="month", valid_from=dt.date(2026, 2, 15), valid_to=dt.date(2026, 4, 10)
    )
    assert reports.periods(plan, 2026) == [
        (dt.date(2026, 2, 15), dt.date(2026, 2, 28)),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
        (dt.date(2026, 4, 1), dt.date(2026, 4, 10)),
    ]


def test_annual_summary_renders_pdf_xlsx_and_page(world: World):
    producer = world.producers["B"]
    for month in range(1, 7):
        add_test(producer, dt.date(2026, month, 5))
    add_test(producer, dt.date(2026, 7, 5), rate=70, result="positive")
    summary = reports.annual_summary(producer, 2026)
    assert summary.total == 8 and summary.failed == 1  # with the fixture's own test in March
    assert summary.by_month[6] == (7, 1, 1)
    pdf = reports.summary_pdf(summary)
    assert pdf.startswith(b"%PDF") and len(pdf) > 1500
    book = load_workbook(BytesIO(reports.summary_xlsx(summary)))
    assert book.sheetnames == ["按方法", "按月份", "阳性与不合格", "计划执行"]
    url = reverse("testing:summary", args=[producer.pk])
    assert (
        world.client("county_b").get(url, {"year": 2026, "format": "pdf"})["Content-Type"]
        == "application/pdf"
    )
    assert world.client("county_a").get(url).status_code == 404
    page = world.client("producer_b").get(url, {"year": 2026}).content.decode()
    assert "87.5" in page
