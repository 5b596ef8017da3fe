"""Scan statistics for regulators (issue 7, point 2): scans per code, batch, producer or county
within the user's scope and a period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Max, Min
from django.utils import timezone

from agritrace.public.models import ScanEvent

#: group → (the fields a row is grouped by, its label fields).
GROUPS = {
    "code": ("code_id", "code__code", "producer__name"),
    "batch": ("batch_id", "batch__number", "producer__name"),
    "producer": ("producer_id", "producer__name"),
    "county": ("county_id", "county__full_name"),
}
#: Rows per answer.
LIMIT = 200


def scan_stats(
    user: Any, group: str, since: dt.date | None = None, until: dt.date | None = None
) -> list[dict[str, Any]]:
    """Scans, distinct networks, first and last scan per ``group``, most scanned first."""
    events = ScanEvent.objects.restrict(user, "view")
    zone = timezone.get_current_timezone()
    if since:
        events = events.filter(scanned_at__gte=dt.datetime.combine(since, dt.time(), zone))
    if until:
        end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), zone)
        events = events.filter(scanned_at__lt=end)
    key, *labels = GROUPS[group]
    rows = (
        events.order_by()
        .values(key, *labels)
        .annotate(
            scans=Count("id"),
            networks=Count("network", distinct=True),
            first=Min("scanned_at"),
            last=Max("scanned_at"),
        )
        .order_by("-scans", key)[:LIMIT]
    )
    names = {"code_id": "id", "code__code": "code", "batch_id": "batch", "batch__number": "number",
             "producer_id": "producer", "producer__name": "producer_name", "county_id": "county",
             "county__full_name": "county_name"}  # fmt: skip
    return [{names.get(k, k): v for k, v in row.items()} for row in rows]
