"""The trace report: from any batch, everything upstream and downstream, in one query path.

Lineage is walked with a recursive CTE (``WITH RECURSIVE``, on SQLite and PostgreSQL alike),
then bases, records and shipments of the whole family are read in a fixed handful of indexed
queries, however deep the lineage (a recall must find everything in one step).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from agritrace.core.exports import Column, xlsx_workbook
from agritrace.producers.models import ProductionBase
from agritrace.production.choices import APPLICATION_KINDS, BatchKind
from agritrace.production.models import Batch, BatchLink, ProductionRecord, Shipment

#: A season: applications on a base up to this long before a harvest are part of its story.
SEASON = dt.timedelta(days=365)
MAX_DEPTH = 64


def _walk(start: int) -> tuple[dict[int, int], dict[int, int]]:
    """Batch id → distance from ``start`` following lineage up (sources) and down (derived),
    both walked in one statement (one round trip)."""
    table = BatchLink._meta.db_table
    sql = (
        "WITH RECURSIVE"
        " up(id, depth) AS ("
        "  SELECT CAST(%s AS BIGINT), 0"
        "  UNION"
        f" SELECT l.parent_id, w.depth + 1 FROM {table} l JOIN up w ON l.child_id = w.id"
        "  WHERE w.depth < %s"
        " ),"
        " down(id, depth) AS ("
        "  SELECT CAST(%s AS BIGINT), 0"
        "  UNION"
        f" SELECT l.child_id, w.depth + 1 FROM {table} l JOIN down w ON l.parent_id = w.id"
        "  WHERE w.depth < %s"
        " )"
        " SELECT 1, id, MIN(depth) FROM up GROUP BY id"
        " UNION ALL"
        " SELECT 0, id, MIN(depth) FROM down GROUP BY id"
    )
    up: dict[int, int] = {}
    down: dict[int, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [start, MAX_DEPTH, start, MAX_DEPTH])
        for upward, batch_id, depth in cursor.fetchall():
            if batch_id != start:
                (up if upward else down)[batch_id] = depth
    return up, down


@dataclass
class TraceReport:
    """What a recall needs to know about one batch."""

    batch: Batch
    upstream: list[tuple[Batch, int]] = field(default_factory=list)
    downstream: list[tuple[Batch, int]] = field(default_factory=list)
    links: list[BatchLink] = field(default_factory=list)
    bases: list[ProductionBase] = field(default_factory=list)
    applications: list[ProductionRecord] = field(default_factory=list)
    records: list[ProductionRecord] = field(default_factory=list)
    shipments: list[Shipment] = field(default_factory=list)

    @property
    def suppliers(self) -> list[str]:
        """Suppliers of purchased batches upstream (and of the batch itself)."""
        family = [self.batch, *(b for b, _d in self.upstream)]
        return sorted({b.supplier for b in family if b.kind == BatchKind.PURCHASE and b.supplier})


def trace(batch: Batch) -> TraceReport:
    """The full backward and forward trace of ``batch``."""
    up, down = _walk(batch.pk)
    family_ids = [batch.pk, *up, *down]
    # Bases with their township in one query (``bases__township`` would take two).
    bases = Prefetch("bases", queryset=ProductionBase.objects.select_related("township"))
    batches = {
        b.pk: b
        for b in Batch.objects.filter(pk__in=family_ids)
        .select_related("product", "producer")
        .prefetch_related(bases)
        .order_by()  # read into a dict: no sort needed
    }
    report = TraceReport(batch=batches[batch.pk])
    report.upstream = sorted(
        ((batches[i], d) for i, d in up.items()), key=lambda x: (x[1], x[0].pk)
    )
    report.downstream = sorted(
        ((batches[i], d) for i, d in down.items()), key=lambda x: (x[1], x[0].pk)
    )
    report.links = list(BatchLink.objects.filter(child_id__in=family_ids, parent_id__in=family_ids))
    # The bases and the season behind the batch and its sources (backward).
    backward = [report.batch, *(b for b, _d in report.upstream)]
    base_dates: dict[int, tuple[dt.date, dt.date]] = {}
    for item in backward:
        for base in item.bases.all():
            low, high = base_dates.get(base.pk, (item.produced_on, item.produced_on))
            base_dates[base.pk] = (min(low, item.produced_on), max(high, item.produced_on))
    report.bases = sorted(
        {base.pk: base for item in backward for base in item.bases.all()}.values(),
        key=lambda base: base.pk,
    )
    # The family's own records and the applications on its bases, in one query.
    wanted = Q(batch_id__in=family_ids)
    if base_dates:
        earliest = min(low for low, _high in base_dates.values()) - SEASON
        latest = max(high for _low, high in base_dates.values())
        wanted |= Q(
            base_id__in=base_dates,
            kind__in=APPLICATION_KINDS,
            date__gte=earliest,
            date__lte=latest,
        )
    found = list(ProductionRecord.objects.filter(wanted).select_related("input"))
    # Their bases are (nearly always) the family's, already read with their township.
    known = {base.pk: base for item in batches.values() for base in item.bases.all()}
    missing = {r.base_id for r in found if r.base_id is not None and r.base_id not in known}
    if missing:
        known.update(ProductionBase.objects.in_bulk(missing))
    for record in found:
        if record.base_id is not None:
            record.base = known[record.base_id]
    family = set(family_ids)
    report.records = [record for record in found if record.batch_id in family]
    report.applications = [
        record
        for record in found
        if record.base_id in base_dates
        and record.kind in APPLICATION_KINDS
        and base_dates[record.base_id][0] - SEASON <= record.date <= base_dates[record.base_id][1]
    ]
    # The family's batches are already read: no join.
    report.shipments = list(Shipment.objects.filter(batch_id__in=family_ids).order_by("shipped_on"))
    for shipment in report.shipments:
        shipment.batch = batches[shipment.batch_id]
    return report


def _batch_columns(depth_title: str) -> list[Column]:
    return [
        (_("批次号"), lambda row: row[0].number),
        (_("产品"), lambda row: row[0].product.name),
        (_("来源"), lambda row: row[0].get_kind_display()),
        (_("数量"), lambda row: row[0].quantity),
        (_("单位"), lambda row: row[0].get_unit_display()),
        (_("日期"), lambda row: row[0].produced_on),
        (_("供货方"), lambda row: row[0].supplier),
        (_("状态"), lambda row: row[0].get_status_display()),
        (depth_title, lambda row: row[1]),
    ]


def trace_xlsx(report: TraceReport) -> bytes:
    """The trace report as a workbook: batch, upstream, bases, inputs, downstream, shipments."""
    return xlsx_workbook(
        [
            (_("本批次"), _batch_columns(_("层级")), [(report.batch, 0)]),
            (_("上游批次"), _batch_columns(_("上溯层级")), report.upstream),
            (
                _("来源基地"),
                [
                    (_("基地"), lambda b: b.name),
                    (_("类型"), lambda b: b.get_kind_display()),
                    (_("面积（亩）"), lambda b: b.area_mu),
                    (_("乡镇"), lambda b: b.township.full_name),
                ],
                report.bases,
            ),
            (
                _("投入品使用"),
                [
                    (_("日期"), lambda r: r.date),
                    (_("基地"), lambda r: r.base.name if r.base else ""),
                    (_("投入品"), lambda r: r.input.name),
                    (_("登记证号"), lambda r: r.input.registration_number),
                    (_("用量"), lambda r: r.dose),
                    (_("防治对象"), lambda r: r.target),
                    (_("操作人"), lambda r: r.operator),
                ],
                report.applications,
            ),
            (_("下游批次"), _batch_columns(_("下溯层级")), report.downstream),
            (
                _("发货去向"),
                [
                    (_("日期"), lambda s: s.shipped_on),
                    (_("批次号"), lambda s: s.batch.number),
                    (_("数量"), lambda s: s.quantity),
                    (_("购买方"), lambda s: s.buyer),
                    (_("去向类型"), lambda s: s.get_buyer_kind_display()),
                    (_("目的地"), lambda s: s.destination),
                ],
                report.shipments,
            ),
        ]
    )
