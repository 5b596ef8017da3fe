"""Video FilterSets (pages and API)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from agritrace.core.filters import RegionWithinFilter, ScopedFilterSet
from agritrace.video.choices import PointType
from agritrace.video.models import Camera


class CameraFilter(ScopedFilterSet):
    """Cameras by producer, point type, region (county) and active flag."""

    point_type = django_filters.ChoiceFilter(choices=PointType.choices, label=_("监控点类型"))
    region = RegionWithinFilter(field_name="producer__township")

    class Meta:
        model = Camera
        fields = ["producer", "point_type", "region", "active"]
