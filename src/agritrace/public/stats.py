"""Scan statistics for regulators (issue 7, point 2): scans per code, batch, producer or county
within the user's scope and a period; what the platform covers, for the front door."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Min
from django.utils import timezone

from agritrace.catalog.models import Product
from agritrace.coding.services.idcards import with_id_card
from agritrace.producers.choices import ProducerStatus
from agritrace.producers.models import Producer
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


# What the platform covers (the front door, issue 13) --------------------------------------------

#: The front door's counts are kept this long (seconds) in the shared cache.
COVERAGE_TIMEOUT = 600
COVERAGE_KEY = "public:coverage"


def coverage() -> dict[str, int]:
    """What the platform covers, for anyone: counties with an approved producer, approved
    producers, and products with an ID card (an active trace code on one of their batches, as
    :func:`agritrace.coding.services.idcards.with_id_card` says). Computed at most every
    ``COVERAGE_TIMEOUT`` seconds and shared by every process (one cache round trip)."""
    found = cache.get(COVERAGE_KEY)
    if found is None:
        approved = Producer.objects.filter(status=ProducerStatus.APPROVED)
        found = {
            "counties": approved.values("township__parent_id").distinct().count(),
            "producers": approved.count(),
            "products": with_id_card(Product.objects.all()).filter(has_id_card=True).count(),
        }
        cache.set(COVERAGE_KEY, found, COVERAGE_TIMEOUT)
    return found
