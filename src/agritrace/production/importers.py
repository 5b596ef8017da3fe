"""Excel import of inputs, batches and production records."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from agritrace.catalog.choices import Unit
from agritrace.catalog.importers import PRODUCT_COLUMNS, Products
from agritrace.core.imports.columns import Choice, Column, TextList, date, integer, number
from agritrace.core.imports.importer import Importer, Pending, one, register, resolve_each
from agritrace.producers.importers import PRODUCER_COLUMN, PerProducer, Producers
from agritrace.producers.models import ProductionBase
from agritrace.production.choices import (
    APPLICATION_KINDS,
    HARVEST_KINDS,
    BatchKind,
    InputKind,
    RecordKind,
)
from agritrace.production.models import Batch, Input, ProductionRecord
from agritrace.production.services import validate_record

REQUIRED_PRODUCT_COLUMNS = (
    dataclasses.replace(PRODUCT_COLUMNS[0], required=True),
    PRODUCT_COLUMNS[1],
)


class Inputs:
    """Inputs by name: the producer's own first, else the shared catalogue; the registration
    number tells apart inputs of the same name."""

    def __init__(self, user: Any) -> None:
        self.inputs = PerProducer(Input.objects.restrict(user, "view"), lambda i: i.name)

    def resolve(self, producer_id: int, name: str, registration: str) -> Input | None:
        """The input, or ``None`` when no name is given."""
        if not name:
            return None
        own, shared = self.inputs.get(producer_id, name), self.inputs.get(None, name)
        if registration:
            own = [i for i in own if i.registration_number == registration]
            shared = [i for i in shared if i.registration_number == registration]
        return one(own or shared, name, gettext_lazy("投入品"))


@register
class InputImporter(Importer):
    """A producer's inputs (platform administrators may fill the shared catalogue)."""

    kind = "inputs"
    label = gettext_lazy("投入品")
    model = Input
    natural_key = ("producer", "name", "registration_number")
    columns = (
        dataclasses.replace(
            PRODUCER_COLUMN,
            help=gettext_lazy("主体用户可留空（即本主体）；平台管理员留空为共享目录"),
        ),
        Column("类别", "kind", Choice(InputKind), required=True, example="农药"),
        Column("名称", "name", required=True, example="示例杀虫剂"),
        Column(
            "登记证号/批准文号",
            "registration_number",
            help=gettext_lazy("农药必填，如 PD20080001"),
            example="PD20080001",
        ),
        Column("有效成分", "active_ingredient", example="示例成分"),
        Column("剂型", "formulation", example="乳油"),
        Column("生产企业", "manufacturer", example="示例农化公司"),
        Column(
            "安全间隔期/休药期（天）",
            "default_interval_days",
            integer,
            help=gettext_lazy("未按作物单独规定时适用；留空为 0"),
            example="7",
        ),
    )

    def __init__(self, user: Any) -> None:
        super().__init__(user)
        self.producers = Producers(user)

    def resolve(self, row: dict[str, Any]) -> dict[str, Any]:
        return resolve_each(
            row, {"producer": lambda r: self.producers.resolve(r["producer"], shared=True)}
        )


class ProducerRowImporter(Importer):
    """Rows of one producer's history: the producer first, then what the row names of it."""

    def __init__(self, user: Any) -> None:
        super().__init__(user)
        self.producers = Producers(user)
        self.products = Products(user)
        self.bases = PerProducer(ProductionBase.objects.restrict(user, "view"), lambda b: b.name)

    def base(self, producer_id: int, name: str) -> ProductionBase | None:
        """The producer's base of that name."""
        return one(self.bases.get(producer_id, name), name, gettext_lazy("基地")) if name else None

    def resolve(self, row: dict[str, Any]) -> dict[str, Any]:
        row = resolve_each(row, {"producer": lambda r: self.producers.resolve(r["producer"])})
        return resolve_each(row, self.references(row["producer"]))

    def references(self, producer_id: int) -> dict[str, Any]:
        """Lookups of the row's other references, given its producer."""
        return {
            "product": lambda r: self.products.resolve(
                producer_id, r["product"], r["product_variety"]
            )
        }


@register
class BatchImporter(ProducerRowImporter):
    """Batches (e.g. opening stock when a producer joins the platform)."""

    kind = "batches"
    label = gettext_lazy("批次")
    model = Batch
    columns = (
        PRODUCER_COLUMN,
        Column("批次号", "number", required=True, example="20250301-001"),
        *REQUIRED_PRODUCT_COLUMNS,
        Column("来源", "kind", Choice(BatchKind), required=True, example="采收"),
        Column("数量", "quantity", number, required=True, example="500"),
        Column("单位", "unit", Choice(Unit), required=True, example="千克"),
        Column("采收/生产日期", "produced_on", date, required=True, example="2025-03-01"),
        Column(
            "来源基地",
            "bases",
            TextList(),
            help=gettext_lazy("本主体的基地名称"),
            example="示例基地",
        ),
        Column("供货方", "supplier", help=gettext_lazy("收购批次填写")),
    )

    def references(self, producer_id: int) -> dict[str, Any]:
        return super().references(producer_id) | {
            "bases": lambda r: [self.base(producer_id, name) for name in r["bases"]]
        }


@register
class RecordImporter(ProducerRowImporter):
    """Production records, checked by the pre-harvest interval rule like records entered one
    by one."""

    kind = "records"
    label = gettext_lazy("生产记录")
    model = ProductionRecord
    columns = (
        PRODUCER_COLUMN,
        Column("记录类型", "kind", Choice(RecordKind), required=True, example="投入品使用"),
        Column("日期", "date", date, required=True, example="2025-03-01"),
        Column("基地名称", "base", example="示例基地"),
        Column("批次号", "batch"),
        *PRODUCT_COLUMNS,
        Column("投入品名称", "input", example="示例杀虫剂"),
        Column(
            "投入品登记证号",
            "input_registration",
            help=gettext_lazy("同名投入品有多个时填写"),
            example="PD20080001",
        ),
        Column("用量", "dose", help=gettext_lazy("如 30毫升/亩"), example="30毫升/亩"),
        Column("面积（亩）", "area_mu", number, example="12.5"),
        Column("头/只数", "head_count", integer),
        Column("防治对象/用途", "target", example="稻飞虱"),
        Column("数量", "quantity", number),
        Column("单位", "unit"),
        Column("供货方/购买方/承运方", "counterpart"),
        Column("操作人", "operator", example="示例操作人"),
        Column("备注", "note"),
    )

    def __init__(self, user: Any) -> None:
        super().__init__(user)
        self.inputs = Inputs(user)
        self.batches = PerProducer(Batch.objects.restrict(user, "view"), lambda b: b.number)

    def references(self, producer_id: int) -> dict[str, Any]:
        return super().references(producer_id) | {
            "base": lambda r: self.base(producer_id, r["base"]),
            "batch": lambda r: (
                one(self.batches.get(producer_id, r["batch"]), r["batch"], gettext_lazy("批次"))
                if r["batch"]
                else None
            ),
            "input": lambda r: self.inputs.resolve(
                producer_id, r["input"], r["input_registration"]
            ),
        }

    def validate(self, obj: Any) -> None:
        super().validate(obj)
        validate_record(obj)

    def recheck(self, written: Sequence[Pending]) -> Iterator[tuple[Pending, ValidationError]]:
        """Harvests and applications of the same file see each other only once written:
        check them again then."""
        kinds = {p.obj.kind for p in written}
        if not (kinds & HARVEST_KINDS and kinds & APPLICATION_KINDS):
            return
        for item in written:
            if item.obj.kind in HARVEST_KINDS | APPLICATION_KINDS:
                try:
                    validate_record(item.obj)
                except ValidationError as exc:
                    yield item, exc
