"""Catalogue FilterSets (pages and API)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agritrace.catalog.choices import Category, CertificationKind, StandardLevel, Validity
from agritrace.catalog.models import (
    Certification,
    Product,
    Standard,
    TrainingSession,
)
from agritrace.catalog.services import validity_q
from agritrace.core.filters import RegionWithinFilter, ScopedFilterSet


class ProductFilter(ScopedFilterSet):
    """Products by producer, category, region and name."""

    q = django_filters.CharFilter(field_name="name", lookup_expr="contains", label=_("产品名称"))
    category = django_filters.ChoiceFilter(choices=Category.choices)
    region = RegionWithinFilter(field_name="producer__township")

    class Meta:
        model = Product
        fields = ["q", "producer", "category", "region"]


class CertificationFilter(ScopedFilterSet):
    """Certifications by kind, validity, producer and region."""

    kind = django_filters.ChoiceFilter(choices=CertificationKind.choices)
    validity = django_filters.ChoiceFilter(
        choices=Validity.choices, method="filter_validity", label=_("有效性")
    )
    region = RegionWithinFilter(field_name="producer__township")

    class Meta:
        model = Certification
        fields = ["kind", "validity", "producer", "region"]

    def filter_validity(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(validity_q(value))


class StandardFilter(ScopedFilterSet):
    """Standards by level and text."""

    q = django_filters.CharFilter(method="filter_q", label=_("名称或编号"))
    level = django_filters.ChoiceFilter(choices=StandardLevel.choices)

    class Meta:
        model = Standard
        fields = ["q", "level", "producer"]

    def filter_q(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(Q(title__contains=value) | Q(number__icontains=value))


class TrainingSessionFilter(ScopedFilterSet):
    """Training sessions by producer and standard."""

    class Meta:
        model = TrainingSession
        fields = ["producer", "standard"]
