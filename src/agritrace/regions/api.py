"""Regions API: read-only reference data, searchable by name (region pickers)."""

from __future__ import annotations

import django_filters
from rest_framework import permissions, serializers, viewsets

from agritrace.regions.models import Level, Region


class RegionSerializer(serializers.ModelSerializer):
    """A region with its parent's code."""

    parent_code = serializers.CharField(
        source="parent.code", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Region
        fields = ["id", "code", "name", "full_name", "level", "parent", "parent_code"]


class RegionFilter(django_filters.FilterSet):
    """``?level=county&parent=<id>&within=<code>&q=安化``."""

    level = django_filters.ChoiceFilter(choices=Level.choices)
    within = django_filters.CharFilter(method="filter_within", label="区划代码（含下级）")
    q = django_filters.CharFilter(method="filter_q", label="名称或代码")

    class Meta:
        model = Region
        fields = ["level", "parent"]

    def filter_within(self, queryset: object, name: str, value: str) -> object:
        region = Region.objects.filter(code=value).first()
        return queryset.within(region) if region else queryset.none()  # type: ignore[attr-defined]

    def filter_q(self, queryset: object, name: str, value: str) -> object:
        return queryset.search(value)  # type: ignore[attr-defined]


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Administrative regions (GB/T 2260); public reference data for signed-in users."""

    queryset = Region.objects.select_related("parent")
    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    search_fields = ["name", "full_name", "code"]
    permission_classes = [permissions.IsAuthenticated]
