"""Production FilterSets (pages and API)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from agritrace.core.filters import RegionWithinFilter, ScopedFilterSet
from agritrace.production.choices import BatchKind, BatchStatus, BuyerKind, InputKind, RecordKind
from agritrace.production.models import Batch, Input, InputPurchase, ProductionRecord, Shipment


class InputFilter(ScopedFilterSet):
    """Inputs by kind and name or registration number."""

    q = django_filters.CharFilter(field_name="name", lookup_expr="contains", label=_("名称"))
    kind = django_filters.ChoiceFilter(choices=InputKind.choices)
    registration_number = django_filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Input
        fields = ["q", "kind", "registration_number", "producer"]


class InputPurchaseFilter(ScopedFilterSet):
    """Purchases by producer, input and date."""

    purchased_on = django_filters.DateFromToRangeFilter()

    class Meta:
        model = InputPurchase
        fields = ["producer", "input", "purchased_on"]


class BatchFilter(ScopedFilterSet):
    """Batches by producer, product, status, kind, region, date and number."""

    number = django_filters.CharFilter(lookup_expr="icontains", label=_("批次号"))
    status = django_filters.ChoiceFilter(choices=BatchStatus.choices)
    kind = django_filters.ChoiceFilter(choices=BatchKind.choices)
    region = RegionWithinFilter(field_name="producer__township")
    produced_on = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Batch
        fields = ["number", "producer", "product", "status", "kind", "region", "produced_on"]


class ShipmentFilter(ScopedFilterSet):
    """Shipments by batch, buyer kind and date."""

    buyer_kind = django_filters.ChoiceFilter(choices=BuyerKind.choices)
    buyer = django_filters.CharFilter(lookup_expr="contains")
    shipped_on = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Shipment
        fields = ["batch", "buyer_kind", "buyer", "shipped_on"]


class ProductionRecordFilter(ScopedFilterSet):
    """Records by producer, kind, base, batch and date."""

    kind = django_filters.ChoiceFilter(choices=RecordKind.choices)
    date = django_filters.DateFromToRangeFilter()

    class Meta:
        model = ProductionRecord
        fields = ["producer", "kind", "base", "batch", "input", "date"]
