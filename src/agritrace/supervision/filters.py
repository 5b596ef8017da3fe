"""Complaint FilterSets (pages and API)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agritrace.core.filters import RegionWithinFilter, ScopedFilterSet
from agritrace.regions.models import Level, Region
from agritrace.supervision.models import Complaint, ComplaintCategory, ComplaintStatus


def overdue_q() -> Q:
    """Still open after the deadline."""
    return Q(
        status__in=[ComplaintStatus.RECEIVED, ComplaintStatus.HANDLING],
        due_on__lt=timezone.localdate(),
    )


class ComplaintFilter(ScopedFilterSet):
    """Complaints by status, category, county (or any region below), overdue."""

    status = django_filters.ChoiceFilter(choices=ComplaintStatus.choices)
    category = django_filters.ChoiceFilter(choices=ComplaintCategory.choices)
    county = django_filters.ModelChoiceFilter(
        queryset=Region.objects.filter(level=Level.COUNTY), label=_("承办县市区")
    )
    region = RegionWithinFilter(field_name="county")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("已超期"))

    class Meta:
        model = Complaint
        fields = ["status", "category", "county", "region", "overdue", "producer"]

    def filter_overdue(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        """``true``: open past the deadline; ``false``: the others."""
        if value is None:
            return queryset
        return queryset.filter(overdue_q()) if value else queryset.exclude(overdue_q())
