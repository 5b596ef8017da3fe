"""Production API: inputs, purchases, records, batches (with split, merge and the trace report),
shipments."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agritrace.catalog.choices import Unit
from agritrace.catalog.models import Product
from agritrace.core.api import ScopedModelSerializer, ScopedViewSet
from agritrace.core.drf import object_id
from agritrace.core.exports import xlsx_response
from agritrace.core.validators import PAST
from agritrace.producers.models import ProductionBase
from agritrace.production import services
from agritrace.production.choices import HARVEST_KINDS, RecordKind
from agritrace.production.filters import (
    BatchFilter,
    InputFilter,
    InputPurchaseFilter,
    ProductionRecordFilter,
    ShipmentFilter,
)
from agritrace.production.models import (
    MAX_QUANTITY,
    Batch,
    Input,
    InputInterval,
    InputPurchase,
    ProductionRecord,
    Shipment,
)
from agritrace.production.trace import (
    Section,
    TraceReport,
    balances,
    by_buyer,
    sections,
    trace,
    trace_xlsx,
)

QUANTITY = {
    "max_digits": 14,
    "decimal_places": 3,
    "min_value": Decimal("0.001"),
    "max_value": MAX_QUANTITY,
}


class InputIntervalSerializer(serializers.ModelSerializer):
    """An interval of an input on a category."""

    class Meta:
        model = InputInterval
        fields = ["category", "days"]


class InputSerializer(ScopedModelSerializer):
    """An input with its per-category intervals (read-only here)."""

    intervals = InputIntervalSerializer(many=True, read_only=True)

    class Meta:
        model = Input
        fields = [
            "id",
            "kind",
            "name",
            "registration_number",
            "active_ingredient",
            "formulation",
            "manufacturer",
            "default_interval_days",
            "intervals",
            "producer",
        ]


class InputPurchaseSerializer(ScopedModelSerializer):
    """An input purchase."""

    class Meta:
        model = InputPurchase
        fields = ["id", "producer", "input", "supplier", "purchased_on", "quantity", "unit", "lot"]
        extra_kwargs = {"producer": {"required": False}}


class ProductionRecordSerializer(ScopedModelSerializer):
    """A production record; the pre-harvest interval rule applies on create."""

    class Meta:
        model = ProductionRecord
        fields = [
            "id",
            "producer",
            "kind",
            "date",
            "base",
            "batch",
            "product",
            "input",
            "dose",
            "area_mu",
            "head_count",
            "target",
            "quantity",
            "unit",
            "counterpart",
            "operator",
            "note",
            "photo",
            "created_at",
        ]
        extra_kwargs = {"producer": {"required": False}}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        record = ProductionRecord(**{**self.context.get("defaults", {}), **attrs})
        if self.instance is not None:
            record.pk = self.instance.pk
        services.validate_record(record)
        return attrs


class BatchSerializer(ScopedModelSerializer):
    """A batch with what remains of it."""

    remaining = serializers.SerializerMethodField()
    product_name = serializers.CharField(source="product.name", read_only=True)

    class Meta:
        model = Batch
        fields = [
            "id",
            "producer",
            "product",
            "product_name",
            "number",
            "kind",
            "quantity",
            "unit",
            "produced_on",
            "bases",
            "supplier",
            "status",
            "status_reason",
            "remaining",
        ]
        read_only_fields = ["status", "status_reason"]
        extra_kwargs = {"producer": {"required": False}}

    def get_remaining(self, obj: Batch) -> Decimal:
        return services.remaining(obj)


class ShipmentSerializer(ScopedModelSerializer):
    """A shipment; refused beyond what remains of the batch."""

    class Meta:
        model = Shipment
        fields = ["id", "batch", "shipped_on", "quantity", "buyer", "buyer_kind", "destination"]

    def create(self, validated_data: dict[str, Any]) -> Shipment:
        batch = validated_data.pop("batch")
        return services.ship(batch, **validated_data)


class HarvestSerializer(serializers.Serializer):
    """A harvest (or slaughter) on a base: creates the record and the batch."""

    base = object_id()
    product = object_id()
    produced_on = serializers.DateField(validators=PAST)
    quantity = serializers.DecimalField(**QUANTITY)
    unit = serializers.ChoiceField(choices=Unit.choices)
    kind = serializers.ChoiceField(
        choices=[(k, RecordKind(k).label) for k in HARVEST_KINDS], default=RecordKind.HARVEST
    )
    operator = serializers.CharField(max_length=50, required=False, allow_blank=True)
    number = serializers.CharField(max_length=40, required=False, allow_blank=True)


class SplitSerializer(serializers.Serializer):
    """Quantities of the parts."""

    quantities = serializers.ListField(
        child=serializers.DecimalField(**QUANTITY), min_length=1, max_length=100
    )


class MergeSourceSerializer(serializers.Serializer):
    """One source batch and the quantity taken from it."""

    batch = object_id()
    quantity = serializers.DecimalField(**QUANTITY)


class MergeSerializer(serializers.Serializer):
    """Sources, the resulting product and quantity."""

    sources = MergeSourceSerializer(many=True)
    product = object_id()
    quantity = serializers.DecimalField(**QUANTITY)
    unit = serializers.CharField(max_length=8)
    produced_on = serializers.DateField(validators=PAST)
    number = serializers.CharField(max_length=40, required=False, allow_blank=True)


class TraceBatchSerializer(serializers.Serializer):
    """A batch in a trace report, with its distance from the traced batch."""

    id = serializers.IntegerField(source="batch.pk")
    number = serializers.CharField(source="batch.number")
    product = serializers.CharField(source="batch.product.name")
    kind = serializers.CharField(source="batch.kind")
    quantity = serializers.DecimalField(source="batch.quantity", max_digits=14, decimal_places=3)
    unit = serializers.CharField(source="batch.unit")
    produced_on = serializers.DateField(source="batch.produced_on")
    supplier = serializers.CharField(source="batch.supplier")
    status = serializers.CharField(source="batch.status")
    depth = serializers.IntegerField()


def _rows(pairs: list[tuple[Batch, int]]) -> list[dict[str, Any]]:
    return TraceBatchSerializer([{"batch": b, "depth": d} for b, d in pairs], many=True).data


class BalanceSerializer(serializers.Serializer):
    """The quantities of one batch of the lineage and the mass-balance check."""

    number = serializers.CharField(source="batch.number")
    depth = serializers.IntegerField()
    unit = serializers.CharField(source="batch.unit")
    received = serializers.DecimalField(max_digits=17, decimal_places=3, allow_null=True)
    produced = serializers.DecimalField(max_digits=17, decimal_places=3)
    split_out = serializers.DecimalField(max_digits=17, decimal_places=3)
    shipped = serializers.DecimalField(max_digits=17, decimal_places=3)
    remaining = serializers.DecimalField(max_digits=17, decimal_places=3)
    problems = serializers.ListField(child=serializers.CharField())


class BuyerTotalSerializer(serializers.Serializer):
    """What the lineage shipped to one buyer."""

    buyer = serializers.CharField()
    kind = serializers.CharField()
    unit = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=17, decimal_places=3)
    batches = serializers.ListField(child=serializers.CharField())
    shipments = serializers.IntegerField()


class SectionSerializer(serializers.Serializer):
    """Facts of a higher app about the lineage (tests, certificates, codes), as a table."""

    title = serializers.CharField()
    headers = serializers.ListField(child=serializers.CharField())
    rows = serializers.SerializerMethodField()

    def get_rows(self, section: Section) -> list[list[str]]:
        return [["" if v is None else str(v) for v in row] for row in section.table]


class TraceSerializer(serializers.Serializer):
    """The trace report of a batch: upstream and downstream, the quantities in and out of
    every batch with the mass-balance check, totals per buyer, and the tests, certificates and
    codes of the lineage."""

    batch = serializers.SerializerMethodField()
    upstream = serializers.SerializerMethodField()
    downstream = serializers.SerializerMethodField()
    bases = serializers.SerializerMethodField()
    applications = serializers.SerializerMethodField()
    suppliers = serializers.ListField(child=serializers.CharField())
    shipments = ShipmentSerializer(many=True)
    balances = serializers.SerializerMethodField()
    buyers = serializers.SerializerMethodField()
    sections = serializers.SerializerMethodField()

    @extend_schema_field(BalanceSerializer(many=True))
    def get_balances(self, report: TraceReport) -> list[dict[str, Any]]:
        return BalanceSerializer(balances(report), many=True).data

    @extend_schema_field(BuyerTotalSerializer(many=True))
    def get_buyers(self, report: TraceReport) -> list[dict[str, Any]]:
        return BuyerTotalSerializer(by_buyer(report), many=True).data

    @extend_schema_field(SectionSerializer(many=True))
    def get_sections(self, report: TraceReport) -> list[dict[str, Any]]:
        return SectionSerializer(sections(report), many=True).data

    @extend_schema_field(TraceBatchSerializer)
    def get_batch(self, report: TraceReport) -> dict[str, Any]:
        return _rows([(report.batch, 0)])[0]

    @extend_schema_field(TraceBatchSerializer(many=True))
    def get_upstream(self, report: TraceReport) -> list[dict[str, Any]]:
        return _rows(report.upstream)

    @extend_schema_field(TraceBatchSerializer(many=True))
    def get_downstream(self, report: TraceReport) -> list[dict[str, Any]]:
        return _rows(report.downstream)

    def get_bases(self, report: TraceReport) -> list[dict[str, Any]]:
        return [
            {"id": b.pk, "name": b.name, "kind": b.kind, "township": b.township.full_name}
            for b in report.bases
        ]

    def get_applications(self, report: TraceReport) -> list[dict[str, Any]]:
        return [
            {
                "date": r.date,
                "base": r.base.name if r.base else None,
                "input": r.input.name,
                "registration_number": r.input.registration_number,
                "dose": r.dose,
                "target": r.target,
            }
            for r in report.applications
        ]


class InputViewSet(ScopedViewSet):
    """Inputs: the shared catalogue and producers' own."""

    queryset = Input.objects.prefetch_related("intervals")
    serializer_class = InputSerializer
    filterset_class = InputFilter
    search_fields = ["name", "registration_number", "active_ingredient"]


class InputPurchaseViewSet(ScopedViewSet):
    """Input purchases."""

    queryset = InputPurchase.objects.select_related("input")
    serializer_class = InputPurchaseSerializer
    filterset_class = InputPurchaseFilter


class ProductionRecordViewSet(ScopedViewSet):
    """Production records (生产记录电子档案)."""

    queryset = ProductionRecord.objects.select_related("base", "batch", "input", "product")
    serializer_class = ProductionRecordSerializer
    filterset_class = ProductionRecordFilter
    search_fields = ["note", "operator", "target", "counterpart"]


class BatchViewSet(ScopedViewSet):
    """Batches, their split and merge, and the trace report."""

    queryset = Batch.objects.select_related("product").prefetch_related("bases")
    serializer_class = BatchSerializer
    filterset_class = BatchFilter
    search_fields = ["number", "product__name", "supplier"]

    @extend_schema(responses=TraceSerializer)
    @action(detail=True, methods=["get"])
    def trace(self, request: Request, pk: str | None = None) -> Response | HttpResponse:
        """Backward (bases, inputs, sources, suppliers) and forward (derived batches,
        shipments, buyers) trace. ``?format=xlsx`` downloads it as a workbook."""
        report = trace(self.get_object())
        if request.query_params.get("format") == "xlsx":
            return xlsx_response(f"trace-{report.batch.number}", trace_xlsx(report))
        return Response(TraceSerializer(report).data)

    @extend_schema(request=HarvestSerializer, responses=BatchSerializer)
    @action(detail=False, methods=["post"], scope_action="add")
    def harvest(self, request: Request) -> Response:
        """Record a harvest or slaughter on a base; refused inside a pre-harvest interval."""
        body = HarvestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        base = (
            ProductionBase.objects.restrict(request.user, "change").filter(pk=data["base"]).first()
        )
        if base is None:
            raise serializers.ValidationError({"base": ["基地不存在或不在您的管辖范围内"]})
        product = Product.objects.restrict(request.user, "view").filter(pk=data["product"]).first()
        if product is None:
            raise serializers.ValidationError({"product": ["产品不存在"]})
        batch = services.record_harvest(
            base=base,
            product=product,
            on=data["produced_on"],
            quantity=data["quantity"],
            unit=data["unit"],
            kind=data["kind"],
            operator=data.get("operator", ""),
            number=data.get("number", ""),
        )
        return Response(self.get_serializer(batch).data, status=201)

    @extend_schema(request=SplitSerializer, responses=BatchSerializer(many=True))
    @action(detail=True, methods=["post"], scope_action="change")
    def split(self, request: Request, pk: str | None = None) -> Response:
        """Split the batch into parts (refused beyond what remains)."""
        body = SplitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        parts = services.split_batch(self.get_object(), body.validated_data["quantities"])
        return Response(self.get_serializer(parts, many=True).data, status=201)

    @extend_schema(request=MergeSerializer, responses=BatchSerializer)
    @action(detail=False, methods=["post"], scope_action="add")
    def merge(self, request: Request) -> Response:
        """Process or merge batches into a new one."""
        body = MergeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        visible = self.get_queryset()
        sources = []
        for source in data["sources"]:
            batch = visible.filter(pk=source["batch"]).first()
            if batch is None:
                raise serializers.ValidationError({"sources": [f"批次 {source['batch']} 不存在"]})
            sources.append((batch, source["quantity"]))
        product = Product.objects.restrict(request.user, "view").filter(pk=data["product"]).first()
        if product is None:
            raise serializers.ValidationError({"product": ["产品不存在"]})
        merged = services.merge_batches(
            sources,
            product=product,
            quantity=data["quantity"],
            unit=data["unit"],
            on=data["produced_on"],
            number=data.get("number", ""),
        )
        return Response(self.get_serializer(merged).data, status=201)


class ShipmentViewSet(ScopedViewSet):
    """Shipments (where batches went)."""

    queryset = Shipment.objects.select_related("batch")
    serializer_class = ShipmentSerializer
    filterset_class = ShipmentFilter
    search_fields = ["buyer", "destination"]
