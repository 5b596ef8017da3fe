"""The identity of a device record: its record id names it, its content fingerprint tells a
replay (same content: ``duplicate``) from a conflict (same id, different content).

The fingerprint is the SHA-256 of a canonical JSON of the stored fields the device sent,
normalised as stored: decimals at their column's scale (``70`` and ``70.00`` are the same
reading), times as UTC instants, related objects by id. Works on historical models too (the
data migration that fills it for earlier rows uses it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any

#: The stored fields a device's record sets (purpose and ordering body follow the device).
CONTENT_FIELDS = (
    "producer_id",
    "batch_id",
    "product_id",
    "method",
    "item",
    "sample_name",
    "sampling_place",
    "sampler",
    "tester_name",
    "tested_at",
    "sampled_at",
    "inhibition_rate",
    "control_line",
    "t_line",
    "value",
    "limit",
    "unit",
)


def _canonical(obj: Any, name: str) -> Any:
    value = getattr(obj, name)
    places = getattr(type(obj)._meta.get_field(name), "decimal_places", None)
    if places is not None and value is not None:
        return format(Decimal(str(value)).quantize(Decimal(1).scaleb(-places)), "f")
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return value


def fingerprint(obj: Any) -> str:
    """The content fingerprint of a test record (64 hex digits)."""
    content = {name: _canonical(obj, name) for name in CONTENT_FIELDS}
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
