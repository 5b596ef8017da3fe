"""Public-app FilterSets."""

from __future__ import annotations

import django_filters

from agritrace.core.filters import RegionWithinFilter, ScopedFilterSet
from agritrace.public.models import ScanEvent


class ScanEventFilter(ScopedFilterSet):
    """Scans by producer, batch, code, county and time."""

    region = RegionWithinFilter(field_name="producer__township")
    scanned_at = django_filters.DateFromToRangeFilter()

    class Meta:
        model = ScanEvent
        fields = ["producer", "batch", "code", "region", "scanned_at"]
