"""Production rules: pre-harvest intervals, harvests, splits, merges, shipments, remaining
quantities (2020 spec Art. 11, 13; NY/T 4712-2025 stages)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from agritrace.catalog.models import Product
from agritrace.core.formats import quantity as quantity_text
from agritrace.producers.models import ProductionBase
from agritrace.production.choices import (
    APPLICATION_KINDS,
    HARVEST_KINDS,
    BatchKind,
    BatchStatus,
    RecordKind,
)
from agritrace.production.models import (
    Batch,
    BatchLink,
    Input,
    InputInterval,
    ProductionRecord,
    Shipment,
)

ZERO = Decimal("0")


def interval_days(input_: Input, category: str | None) -> int:
    """The input's interval for a crop/species category, else its default (安全间隔期/休药期)."""
    if category:
        specific = (
            InputInterval.objects.filter(input=input_, category=category)
            .values_list("days", flat=True)
            .first()
        )
        if specific is not None:
            return specific
    return input_.default_interval_days


@dataclass(frozen=True)
class IntervalBreach:
    """An application whose interval a harvest does not respect."""

    input: Input
    applied_on: dt.date
    earliest: dt.date

    def message(self) -> str:
        """Names the input, its application date and the earliest allowed date."""
        return _(
            "%(input)s 于 %(applied)s 施用，安全间隔期/休药期未满，最早可于 %(earliest)s 采收/屠宰"
        ) % {"input": self.input.name, "applied": self.applied_on, "earliest": self.earliest}


def _applications(base: ProductionBase | None, batch: Batch | None) -> Any:
    records = ProductionRecord.objects.filter(kind__in=APPLICATION_KINDS, input__isnull=False)
    if base is not None:
        return records.filter(base=base)
    return records.filter(batch=batch)


def breaches_for_harvest(
    base: ProductionBase | None, batch: Batch | None, category: str | None, on: dt.date
) -> list[IntervalBreach]:
    """Applications on the base (or live batch) whose interval has not run out by ``on``."""
    found = []
    for application in _applications(base, batch).filter(date__lte=on).select_related("input"):
        earliest = application.date + dt.timedelta(days=interval_days(application.input, category))
        if on < earliest:
            found.append(IntervalBreach(application.input, application.date, earliest))
    return sorted(found, key=lambda b: b.earliest, reverse=True)


def validate_record(record: ProductionRecord) -> None:
    """The rules of a production record, before it is saved.

    - base and batch belong to the record's producer (the date's range, not before 1990 and not
      in the future, is the field's own validator);
    - a harvest or slaughter dated before the last application's date plus its pre-harvest
      interval / withdrawal period is refused, naming the input, its application date and the
      earliest allowed date;
    - an application dated so that an already recorded harvest falls inside its interval is
      refused likewise;
    - input applications name the input.
    """
    errors: dict[str, list[str]] = {}
    if record.base_id and record.base.producer_id != record.producer_id:
        errors.setdefault("base", []).append(_("基地不属于该主体"))
    if record.batch_id and record.batch.producer_id != record.producer_id:
        errors.setdefault("batch", []).append(_("批次不属于该主体"))
    if record.kind == RecordKind.INPUT_APPLICATION and not record.input_id:
        errors.setdefault("input", []).append(_("投入品使用记录须选择投入品"))
    if record.input_id and record.input.producer_id not in (None, record.producer_id):
        errors.setdefault("input", []).append(_("投入品不属于该主体"))
    if record.kind in HARVEST_KINDS and record.date and (record.base_id or record.batch_id):
        category = record.product.category if record.product_id else None
        breaches = breaches_for_harvest(
            record.base if record.base_id else None,
            record.batch if record.base_id is None else None,
            category,
            record.date,
        )
        if breaches:
            errors.setdefault("date", []).extend(b.message() for b in breaches)
    if record.kind in APPLICATION_KINDS and record.input_id and record.date and record.base_id:
        harvests = ProductionRecord.objects.filter(
            base_id=record.base_id, kind__in=HARVEST_KINDS, date__gte=record.date
        ).select_related("product")
        for harvest in harvests:
            days = interval_days(
                record.input, harvest.product.category if harvest.product_id else None
            )
            if harvest.date < record.date + dt.timedelta(days=days):
                errors.setdefault("date", []).append(
                    _("%(date)s 已有采收记录，%(input)s 的安全间隔期为 %(days)s 天，不能此时施用")
                    % {"date": harvest.date, "input": record.input.name, "days": days}
                )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_record(record: ProductionRecord) -> ProductionRecord:
    """Validate and append a record (records are never edited into a different history)."""
    record.full_clean()
    validate_record(record)
    record.save()
    return record


def next_batch_number(producer_id: int, on: dt.date) -> str:
    """``YYYYMMDD-NNN``: the day's next batch number for the producer."""
    prefix = on.strftime("%Y%m%d")
    used = Batch.objects.filter(producer_id=producer_id, number__startswith=prefix).count()
    return f"{prefix}-{used + 1:03d}"


@transaction.atomic
def record_harvest(
    *,
    base: ProductionBase,
    product: Product,
    on: dt.date,
    quantity: Decimal,
    unit: str,
    operator: str = "",
    kind: str = RecordKind.HARVEST,
    number: str = "",
) -> Batch:
    """A harvest (or slaughter) record and the batch it creates, refused inside an interval."""
    if product.producer_id != base.producer_id:
        raise ValidationError({"product": _("产品不属于该基地的主体")})
    record = ProductionRecord(
        producer_id=base.producer_id,
        kind=kind,
        date=on,
        base=base,
        product=product,
        quantity=quantity,
        unit=unit,
        operator=operator,
    )
    record.full_clean(exclude=["batch"])
    validate_record(record)
    batch = Batch(
        producer_id=base.producer_id,
        product=product,
        number=number or next_batch_number(base.producer_id, on),
        kind=BatchKind.HARVEST,
        quantity=quantity,
        unit=unit,
        produced_on=on,
    )
    batch.full_clean()
    batch.save()
    batch.bases.add(base)
    record.batch = batch
    record.save()
    return batch


def flows_out(batch_ids: Iterable[int]) -> dict[int, tuple[Decimal, Decimal]]:
    """Per batch id: (quantity gone into split, processed or merged batches, quantity
    shipped), in two queries whatever the number of batches."""
    ids = list(batch_ids)
    used = dict(
        BatchLink.objects.filter(parent_id__in=ids)
        .values("parent_id")
        .annotate(total=Sum("quantity"))
        .values_list("parent_id", "total")
    )
    shipped = dict(
        Shipment.objects.filter(batch_id__in=ids)
        .values("batch_id")
        .annotate(total=Sum("quantity"))
        .values_list("batch_id", "total")
    )
    return {pk: (used.get(pk) or ZERO, shipped.get(pk) or ZERO) for pk in ids}


def remaining(batch: Batch) -> Decimal:
    """What is left of a batch after splits, processing and shipments (derived, never stored)."""
    used, shipped = flows_out([batch.pk])[batch.pk]
    return batch.quantity - used - shipped


def _take(batch: Batch, quantity: Decimal, field: str = "quantity") -> None:
    if batch.status in (BatchStatus.RECALLED, BatchStatus.CLOSED):
        raise ValidationError(
            {
                field: _("批次 %(n)s 已%(s)s，不能再使用")
                % {"n": batch.number, "s": batch.get_status_display()}
            }
        )
    left = remaining(batch)
    if quantity > left:
        raise ValidationError(
            {
                field: _("批次 %(n)s 仅剩 %(left)s%(unit)s，不能使用 %(q)s")
                % {
                    "n": batch.number,
                    "left": quantity_text(left),
                    "unit": batch.get_unit_display(),
                    "q": quantity_text(quantity),
                }
            }
        )


@transaction.atomic
def split_batch(batch: Batch, quantities: Sequence[Decimal]) -> list[Batch]:
    """Split a batch into parts (分批) that keep its product, bases and date."""
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    if not quantities or any(q <= 0 for q in quantities):
        raise ValidationError({"quantities": _("每份数量须大于 0")})
    _take(batch, sum(quantities, ZERO), "quantities")
    numbers = [f"{batch.number}-{index:02d}" for index in range(1, len(quantities) + 1)]
    longest = Batch._meta.get_field("number").max_length
    if len(numbers[-1]) > longest:
        raise ValidationError(
            {
                "quantities": _(
                    "批次号 %(n)s 过长：分批后的批次号（如 %(part)s）超过 %(max)s 个字符"
                )
                % {"n": batch.number, "part": numbers[-1], "max": longest}
            }
        )
    parts = []
    for number, quantity in zip(numbers, quantities, strict=True):
        part = Batch.objects.create(
            producer_id=batch.producer_id,
            product=batch.product,
            number=number,
            kind=BatchKind.SPLIT,
            quantity=quantity,
            unit=batch.unit,
            produced_on=batch.produced_on,
            status=batch.status,
        )
        part.bases.set(batch.bases.all())
        BatchLink.objects.create(parent=batch, child=part, quantity=quantity)
        parts.append(part)
    return parts


@transaction.atomic
def merge_batches(
    sources: Iterable[tuple[Batch, Decimal]],
    *,
    product: Product,
    quantity: Decimal,
    unit: str,
    on: dt.date,
    number: str = "",
) -> Batch:
    """Process or merge quantities of source batches into a new batch (加工/合并)."""
    sources = list(sources)
    if not sources:
        raise ValidationError({"sources": _("请至少选择一个来源批次")})
    producers = {batch.producer_id for batch, _q in sources} | {product.producer_id}
    if len(producers) != 1:
        raise ValidationError({"sources": _("来源批次与产品须属于同一主体")})
    for batch, used in sources:
        _take(Batch.objects.select_for_update().get(pk=batch.pk), used, "sources")
    merged = Batch(
        producer_id=product.producer_id,
        product=product,
        number=number or next_batch_number(product.producer_id, on),
        kind=BatchKind.PROCESSING,
        quantity=quantity,
        unit=unit,
        produced_on=on,
    )
    merged.full_clean()
    merged.save()
    for batch, used in sources:
        BatchLink.objects.create(parent=batch, child=merged, quantity=used)
        merged.bases.add(*batch.bases.all())
    ProductionRecord.objects.create(
        producer_id=product.producer_id,
        kind=RecordKind.PROCESSING,
        date=on,
        batch=merged,
        product=product,
        quantity=quantity,
        unit=unit,
        note=_("来源批次：") + "、".join(batch.number for batch, _q in sources),
    )
    return merged


@transaction.atomic
def ship(batch: Batch, **fields: Any) -> Shipment:
    """A shipment of part of a batch; refused beyond what remains."""
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    shipment = Shipment(batch=batch, **fields)
    shipment.full_clean()
    _take(batch, shipment.quantity)
    if shipment.shipped_on < batch.produced_on:
        raise ValidationError({"shipped_on": _("发货日期不能早于批次生产日期")})
    shipment.save()
    return shipment


def input_stock(producer_id: int) -> dict[int, Decimal]:
    """Stock per input for a producer: purchased minus used in application records (derived)."""
    from agritrace.production.models import InputPurchase

    stock: dict[int, Decimal] = {}
    purchases = (
        InputPurchase.objects.filter(producer_id=producer_id)
        .values("input_id")
        .annotate(total=Sum("quantity"))
    )
    for row in purchases:
        stock[row["input_id"]] = row["total"]
    used = (
        ProductionRecord.objects.filter(
            producer_id=producer_id, kind__in=APPLICATION_KINDS, input__isnull=False
        )
        .values("input_id")
        .annotate(total=Sum("quantity"))
    )
    for row in used:
        stock[row["input_id"]] = stock.get(row["input_id"], ZERO) - (row["total"] or ZERO)
    return stock
