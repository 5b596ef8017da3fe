"""Warning and follow-up FilterSets (pages and API)."""

from __future__ import annotations

import django_filters

from agritrace.alerts.models import (
    FollowUp,
    FollowUpStatus,
    Severity,
    Warning,
    WarningKind,
    WarningStatus,
)
from agritrace.core.filters import RegionWithinFilter, ScopedFilterSet


class WarningFilter(ScopedFilterSet):
    """Warnings by kind, severity, status, region and producer."""

    kind = django_filters.ChoiceFilter(choices=WarningKind.choices)
    severity = django_filters.ChoiceFilter(choices=Severity.choices)
    status = django_filters.ChoiceFilter(choices=WarningStatus.choices)
    region = RegionWithinFilter(field_name="region")

    class Meta:
        model = Warning
        fields = ["kind", "severity", "status", "region", "producer"]


class FollowUpFilter(ScopedFilterSet):
    """Follow-ups by status, producer and organisation."""

    status = django_filters.ChoiceFilter(choices=FollowUpStatus.choices)
    region = RegionWithinFilter(field_name="producer__township")

    class Meta:
        model = FollowUp
        fields = ["status", "producer", "organisation", "region"]
