"""Testing FilterSets (pages and API)."""

from __future__ import annotations

import django_filters

from agritrace.core.filters import RegionWithinFilter, ScopedFilterSet
from agritrace.testing.choices import DeviceKind, Method, Purpose, Result, UploadStatus
from agritrace.testing.models import Device, DeviceUpload, SelfTestPlan, Technician, TestRecord


class TestRecordFilter(ScopedFilterSet):
    """Tests by producer, batch, method, purpose, result, region and time."""

    __test__ = False
    method = django_filters.ChoiceFilter(choices=Method.choices)
    purpose = django_filters.ChoiceFilter(choices=Purpose.choices)
    result = django_filters.ChoiceFilter(choices=Result.choices)
    region = RegionWithinFilter(field_name="producer__township")
    tested_at = django_filters.DateFromToRangeFilter()

    class Meta:
        model = TestRecord
        fields = [
            "producer",
            "batch",
            "device",
            "method",
            "purpose",
            "result",
            "region",
            "tested_at",
        ]


class DeviceFilter(ScopedFilterSet):
    """Devices by kind and holder."""

    kind = django_filters.ChoiceFilter(choices=DeviceKind.choices)

    class Meta:
        model = Device
        fields = ["kind", "producer", "organisation", "active"]


class TechnicianFilter(ScopedFilterSet):
    """Technicians by holder."""

    class Meta:
        model = Technician
        fields = ["producer", "organisation", "active"]


class SelfTestPlanFilter(ScopedFilterSet):
    """Plans by producer and method."""

    method = django_filters.ChoiceFilter(choices=Method.choices)

    class Meta:
        model = SelfTestPlan
        fields = ["producer", "product", "method"]


class DeviceUploadFilter(ScopedFilterSet):
    """Upload logs by device, overall status and time."""

    status = django_filters.ChoiceFilter(choices=UploadStatus.choices)
    created_at = django_filters.DateFromToRangeFilter()

    class Meta:
        model = DeviceUpload
        fields = ["device", "status", "created_at"]
