"""FilterSets shared by the pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agritrace.core.filters import RegionWithinFilter, ScopedFilterSet
from agritrace.producers.choices import (
    BaseKind,
    EquipmentCategory,
    IndustryCode,
    LeadingLevel,
    ProducerKind,
    ProducerStatus,
    TracePointKind,
)
from agritrace.producers.models import Equipment, Producer, ProductionBase, TracePoint


class Designation:
    """Producer designations that can be filtered on (more arrive with certifications)."""

    SCALE = "scale"
    LEADING = "leading"
    LEADING_PROVINCIAL_UP = "leading_provincial_up"
    NATIONAL_REGISTERED = "national_registered"
    CHOICES = (
        (SCALE, _("规模生产经营主体")),
        (LEADING, _("龙头企业（市级及以上）")),
        (LEADING_PROVINCIAL_UP, _("省级以上龙头企业")),
        (NATIONAL_REGISTERED, _("已在国家追溯平台注册")),
    )
    QUERIES = {
        SCALE: Q(scale_producer=True),
        LEADING: ~Q(leading_level=LeadingLevel.NONE),
        LEADING_PROVINCIAL_UP: Q(
            leading_level__in=[LeadingLevel.PROVINCIAL, LeadingLevel.NATIONAL]
        ),
        NATIONAL_REGISTERED: Q(national_registered=True),
    }


class ProducerFilter(ScopedFilterSet):
    """Producers by region, kind, designation, status, industry and name/USCC."""

    q = django_filters.CharFilter(method="filter_q", label=_("名称或信用代码"))
    region = RegionWithinFilter(field_name="township")
    kind = django_filters.ChoiceFilter(choices=ProducerKind.choices)
    status = django_filters.ChoiceFilter(choices=ProducerStatus.choices)
    designation = django_filters.ChoiceFilter(
        choices=Designation.CHOICES, method="filter_designation", label=_("称号")
    )
    industry = django_filters.ChoiceFilter(
        choices=IndustryCode.choices, field_name="industries__code", label=_("产业"), distinct=True
    )

    class Meta:
        model = Producer
        fields = ["q", "region", "kind", "status", "designation", "industry"]

    def filter_q(self, queryset: Any, name: str, value: str) -> Any:
        value = value.strip()
        return queryset.filter(Q(name__contains=value) | Q(uscc__iexact=value))

    def filter_designation(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(Designation.QUERIES[value])


class ProductionBaseFilter(ScopedFilterSet):
    """Bases by producer, kind and region."""

    kind = django_filters.ChoiceFilter(choices=BaseKind.choices)
    region = RegionWithinFilter(field_name="township")

    class Meta:
        model = ProductionBase
        fields = ["producer", "kind", "region"]


class TracePointFilter(ScopedFilterSet):
    """Trace points by kind, producer and region."""

    kind = django_filters.ChoiceFilter(choices=TracePointKind.choices)
    region = RegionWithinFilter(field_name="township")

    class Meta:
        model = TracePoint
        fields = ["kind", "producer", "organisation", "region"]


class EquipmentFilter(ScopedFilterSet):
    """Equipment by category and holder."""

    category = django_filters.ChoiceFilter(choices=EquipmentCategory.choices)

    class Meta:
        model = Equipment
        fields = ["category", "producer", "organisation", "trace_point", "status"]
