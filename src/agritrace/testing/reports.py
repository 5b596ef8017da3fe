"""Plan-vs-actual compliance and the annual self-test summary (2021 notice Annex 2: 有自检计划、
记录、报告和年度总结分析), as data, as xlsx and as PDF."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from io import BytesIO
from xml.sax.saxutils import escape

from django.db.models import Count
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from agritrace.core.exports import xlsx_workbook
from agritrace.producers.models import Producer
from agritrace.testing.choices import FAILING, Method, Period, Purpose
from agritrace.testing.models import Device, SelfTestPlan, Technician, TestRecord

#: A CJK font every PDF reader has (Adobe's Song CID font); nothing to install.
PDF_FONT = "STSong-Light"


def periods(plan: SelfTestPlan, year: int) -> list[tuple[dt.date, dt.date]]:
    """The plan's periods falling in ``year`` (weeks from Monday, months, quarters)."""
    start = max(plan.valid_from, dt.date(year, 1, 1))
    end = min(plan.valid_to, dt.date(year, 12, 31))
    spans: list[tuple[dt.date, dt.date]] = []
    if plan.period == Period.WEEK:
        cursor = start - dt.timedelta(days=start.weekday())
        while cursor <= end:
            spans.append((cursor, cursor + dt.timedelta(days=6)))
            cursor += dt.timedelta(days=7)
    else:
        step = 1 if plan.period == Period.MONTH else 3
        month = start.month if step == 1 else (start.month - 1) // 3 * 3 + 1
        cursor = dt.date(start.year, month, 1)
        while cursor <= end:
            following = dt.date(
                cursor.year + (cursor.month + step > 12), (cursor.month + step - 1) % 12 + 1, 1
            )
            spans.append((cursor, following - dt.timedelta(days=1)))
            cursor = following
    return [(max(a, start), min(b, end)) for a, b in spans]


@dataclass(frozen=True)
class PeriodCompliance:
    """Planned and actual tests in one period."""

    start: dt.date
    end: dt.date
    planned: int
    actual: int

    @property
    def met(self) -> bool:
        return self.actual >= self.planned


def compliance(
    plan: SelfTestPlan, year: int, until: dt.date | None = None
) -> list[PeriodCompliance]:
    """Plan vs actual per period, for periods that have begun by ``until`` (default today)."""
    until = until or dt.date.today()
    tests = TestRecord.objects.filter(
        producer_id=plan.producer_id,
        method=plan.method,
        purpose__in=[Purpose.SELF, Purpose.RETEST],
        tested_at__date__gte=plan.valid_from,
        tested_at__date__lte=plan.valid_to,
    )
    if plan.product_id:
        tests = tests.filter(product_id=plan.product_id)
    days = Counter(tests.values_list("tested_at__date", flat=True))
    return [
        PeriodCompliance(a, b, plan.times, sum(n for day, n in days.items() if a <= day <= b))
        for a, b in periods(plan, year)
        if a <= until
    ]


@dataclass
class Summary:
    """One producer's year of testing."""

    producer: Producer
    year: int
    by_method: list[tuple[str, int, int]] = field(default_factory=list)
    by_month: list[tuple[int, int, int]] = field(default_factory=list)
    failures: list[TestRecord] = field(default_factory=list)
    plans: list[tuple[SelfTestPlan, int, int]] = field(default_factory=list)
    technicians: int = 0
    devices: int = 0

    @property
    def total(self) -> int:
        return sum(n for _m, n, _f in self.by_method)

    @property
    def failed(self) -> int:
        return sum(f for _m, _n, f in self.by_method)

    @property
    def pass_rate(self) -> float:
        return 100.0 * (self.total - self.failed) / self.total if self.total else 0.0


def annual_summary(producer: Producer, year: int) -> Summary:
    """Counts by method and by month, failures, plan compliance, technicians and devices."""
    tests = TestRecord.objects.filter(producer=producer, tested_at__year=year)
    summary = Summary(producer=producer, year=year)
    rows = tests.values("method", "result").annotate(n=Count("id"))
    totals: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    for row in rows:
        totals[row["method"]] += row["n"]
        if row["result"] in FAILING:
            failed[row["method"]] += row["n"]
    summary.by_method = [
        (Method(m).label, totals[m], failed[m]) for m in Method.values if totals[m]
    ]
    months = tests.values("tested_at__month", "result").annotate(n=Count("id"))
    per_month: Counter[int] = Counter()
    failed_month: Counter[int] = Counter()
    for row in months:
        per_month[row["tested_at__month"]] += row["n"]
        if row["result"] in FAILING:
            failed_month[row["tested_at__month"]] += row["n"]
    summary.by_month = [(m, per_month[m], failed_month[m]) for m in range(1, 13)]
    summary.failures = list(tests.filter(result__in=FAILING).select_related("batch"))
    for plan in producer.test_plans.filter(valid_from__year__lte=year, valid_to__year__gte=year):
        spans = compliance(plan, year, dt.date(year, 12, 31))
        summary.plans.append((plan, len(spans), sum(span.met for span in spans)))
    summary.technicians = Technician.objects.filter(producer=producer, active=True).count()
    summary.devices = Device.objects.filter(producer=producer, active=True).count()
    return summary


def summary_xlsx(summary: Summary) -> bytes:
    """The summary as a workbook."""
    return xlsx_workbook(
        [
            (
                _("按方法"),
                [
                    (_("检测方法"), lambda r: r[0]),
                    (_("检测次数"), lambda r: r[1]),
                    (_("阳性/不合格"), lambda r: r[2]),
                ],
                summary.by_method,
            ),
            (
                _("按月份"),
                [
                    (_("月份"), lambda r: r[0]),
                    (_("检测次数"), lambda r: r[1]),
                    (_("阳性/不合格"), lambda r: r[2]),
                ],
                summary.by_month,
            ),
            (
                _("阳性与不合格"),
                [
                    (_("检测时间"), lambda t: t.tested_at),
                    (_("样品名称"), lambda t: t.sample_name),
                    (_("检测项目"), lambda t: t.item),
                    (_("结果"), lambda t: t.get_result_display()),
                    (_("批次"), lambda t: t.batch.number if t.batch else ""),
                ],
                summary.failures,
            ),
            (
                _("计划执行"),
                [
                    (_("自检计划"), lambda r: str(r[0])),
                    (_("周期数"), lambda r: r[1]),
                    (_("达标周期"), lambda r: r[2]),
                ],
                summary.plans,
            ),
        ]
    )


def summary_pdf(summary: Summary) -> bytes:
    """The summary as an A4 PDF report."""
    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    title = ParagraphStyle("title", fontName=PDF_FONT, fontSize=16, leading=22, spaceAfter=6)
    body = ParagraphStyle("body", fontName=PDF_FONT, fontSize=10.5, leading=15)
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        title=_("年度自检总结"),
        author="AgriTrace",
    )
    style = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), PDF_FONT),
            ("FONTSIZE", (0, 0), (-1, -1), 9.5),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
        ]
    )

    def table(header: list[str], rows: list[list[object]]) -> Table:
        return Table(
            [header, *rows] if rows else [header, ["—"] * len(header)], style=style, hAlign="LEFT"
        )

    story = [
        Paragraph(_("%(year)s 年度农产品自律检测总结") % {"year": summary.year}, title),
        Paragraph(
            _("生产经营主体：%(name)s（%(uscc)s）")
            # Paragraphs read markup: a name is text, whatever characters it holds.
            % {"name": escape(summary.producer.name), "uscc": summary.producer.uscc},
            body,
        ),
        Paragraph(
            _("全年检测 %(total)s 次，阳性/不合格 %(failed)s 次，合格率 %(rate).1f%%；")
            % {"total": summary.total, "failed": summary.failed, "rate": summary.pass_rate}
            + _("检测技术员 %(tech)s 名，速测设备 %(dev)s 台。")
            % {
                "tech": summary.technicians,
                "dev": summary.devices,
            },
            body,
        ),
        Spacer(1, 6 * mm),
        Paragraph(_("一、按检测方法"), body),
        table(
            [_("检测方法"), _("检测次数"), _("阳性/不合格")], [list(r) for r in summary.by_method]
        ),
        Spacer(1, 4 * mm),
        Paragraph(_("二、按月份"), body),
        table([_("月份"), _("检测次数"), _("阳性/不合格")], [list(r) for r in summary.by_month]),
        Spacer(1, 4 * mm),
        Paragraph(_("三、阳性与不合格样品及处置"), body),
        table(
            [_("检测时间"), _("样品"), _("项目"), _("结果"), _("批次")],
            [
                [
                    f"{t.tested_at:%Y-%m-%d}",
                    t.sample_name,
                    t.item,
                    t.get_result_display(),
                    t.batch.number if t.batch else "",
                ]
                for t in summary.failures
            ],
        ),
        Spacer(1, 4 * mm),
        Paragraph(_("四、自检计划执行情况"), body),
        table(
            [_("自检计划"), _("周期数"), _("达标周期")],
            [[str(p), n, m] for p, n, m in summary.plans],
        ),
    ]
    document.build(story)
    return buffer.getvalue()
