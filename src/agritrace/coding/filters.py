"""Coding FilterSets (pages and API)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from agritrace.catalog.filters import ProductFilter
from agritrace.catalog.models import Product
from agritrace.coding.choices import CheckedKind, CodeAction, CodeStatus, OutputFormat, TaskStatus
from agritrace.coding.models import (
    Certificate,
    CodeEvent,
    CodeRoll,
    LabelLayout,
    MarketCheck,
    PrintJob,
    TraceCode,
)
from agritrace.core.filters import RegionWithinFilter, ScopedFilterSet


class CodeRollFilter(ScopedFilterSet):
    """Rolls by producer, batch, status."""

    status = django_filters.ChoiceFilter(choices=TaskStatus.choices)
    region = RegionWithinFilter(field_name="producer__township")

    class Meta:
        model = CodeRoll
        fields = ["producer", "batch", "status", "region"]


class TraceCodeFilter(ScopedFilterSet):
    """Codes by roll, batch, status."""

    status = django_filters.ChoiceFilter(choices=CodeStatus.choices)

    class Meta:
        model = TraceCode
        fields = ["producer", "roll", "batch", "status"]


class CodeEventFilter(ScopedFilterSet):
    """The code log by roll, batch, action."""

    action = django_filters.ChoiceFilter(choices=CodeAction.choices)

    class Meta:
        model = CodeEvent
        fields = ["producer", "roll", "batch", "action", "code"]


class PrintJobFilter(ScopedFilterSet):
    """Print jobs by roll, output, status, reprint."""

    output = django_filters.ChoiceFilter(choices=OutputFormat.choices)
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices)

    class Meta:
        model = PrintJob
        fields = ["producer", "roll", "output", "status", "reprint"]


class CertificateFilter(ScopedFilterSet):
    """Certificates by producer, batch, date, voided, region."""

    issued_on = django_filters.DateFromToRangeFilter()
    region = RegionWithinFilter(field_name="producer__township")

    class Meta:
        model = Certificate
        fields = ["producer", "batch", "basis", "voided", "issued_on", "region"]


class MarketCheckFilter(ScopedFilterSet):
    """Market checks by verdict, kind, producer, place and time."""

    kind = django_filters.ChoiceFilter(choices=CheckedKind.choices)
    region = RegionWithinFilter(field_name="region")
    created_at = django_filters.DateFromToRangeFilter()

    class Meta:
        model = MarketCheck
        fields = ["kind", "valid", "producer", "region", "created_at"]


class LabelLayoutFilter(ScopedFilterSet):
    """Layouts by producer (presets have none)."""

    class Meta:
        model = LabelLayout
        fields = ["producer"]


class IdCardFilter(ProductFilter):
    """The products that must carry the ID card (Art. 13), by whether they have one."""

    has_id_card = django_filters.BooleanFilter(label=_("已有“身份证”"))

    class Meta:
        model = Product
        fields = [*ProductFilter.Meta.fields, "has_id_card"]
