"""A product ID card (issue 7, points 1 and 4), assembled for speed on the busiest page:

- the code is found with one indexed query whose SQL is compiled once (:func:`find`);
- the producer, batch and video parts are rendered once per language and cached (Django's
  cache: shared by every process) until their records change;
- the page around them (``public/code.html``) is rendered once per process, language and state
  with markers in its slots and split there (:func:`frame`); a request fills the slots with
  the cached parts and the code's own escaped values (code, scan count, first scan).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.core.cache import cache
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from agritrace.catalog.models import Certification, Product
from agritrace.coding.choices import CodeStatus
from agritrace.coding.models import Certificate, TraceCode
from agritrace.producers.models import Producer
from agritrace.production.choices import BatchStatus
from agritrace.production.models import Batch, ProductionRecord
from agritrace.production.services import interval_days
from agritrace.production.trace import trace
from agritrace.testing.models import TestRecord
from agritrace.video.choices import ProbeStatus
from agritrace.video.models import Camera

#: Cached parts live this long at most (they are also dropped whenever their records change);
#: the video part follows the cameras' probes, so it is kept only briefly.
TIMEOUTS = {"producer": 24 * 3600, "batch": 24 * 3600, "video": 60}
#: Live players on one card (2021 notice Annex 6: the free plan allows 3 concurrent viewers).
MAX_PLAYERS = 3
LANGUAGES = ("zh-hans", "en")


#: Scans of one code beyond which the page asks whether the label was copied.
MANY_SCANS = 5
#: What the page needs of a code: field name → ORM path.
FOUND = {
    "pk": "pk",
    "code": "code",
    "status": "status",
    "scans": "scans",
    "first_scanned_at": "first_scanned_at",
    "producer_id": "producer_id",
    "batch_id": "batch_id",
    "county_id": "producer__township__parent_id",
    "batch_status": "batch__status",
    "status_reason": "batch__status_reason",
    "product": "batch__product__name",
}
SLOT = re.compile("\x00(\\w+)\x00")


def _key(kind: str, pk: int, language: str) -> str:
    return f"idcard:{kind}:{pk}:{language}"


@dataclass(frozen=True)
class Found:
    """A trace code as its ID card needs it."""

    pk: int
    code: str
    status: str
    scans: int
    first_scanned_at: dt.datetime | None
    producer_id: int
    batch_id: int | None
    county_id: int
    batch_status: str | None
    status_reason: str | None
    product: str | None

    @property
    def shows_batch(self) -> bool:
        """Active and recalled codes show their batch; others only say what they are."""
        return self.status in (CodeStatus.ACTIVE, CodeStatus.RECALLED) and self.batch_id is not None

    @property
    def state(self) -> str:
        """Which notice the page leads with: recalled, voided, inactive, under_review or ''."""
        if self.status in (CodeStatus.RECALLED, CodeStatus.VOIDED):
            return self.status
        if self.status != CodeStatus.ACTIVE or self.batch_id is None:
            return "inactive"
        return "under_review" if self.batch_status == BatchStatus.UNDER_REVIEW else ""


@functools.cache
def _lookup_sql(alias: str) -> str:
    """The lookup's SQL, compiled once from the ORM (placeholder for the code)."""
    query = TraceCode.objects.filter(code="").values_list(*FOUND.values()).query
    return query.get_compiler(alias).as_sql()[0]


def find(code: str) -> Found | None:
    """The code (canonical form), by its unique index, with its producer's county and its
    batch's state and product name: one query."""
    with connection.cursor() as cursor:
        cursor.execute(_lookup_sql(connection.alias), [code])
        row = cursor.fetchone()
    if row is None:
        return None
    values = dict(zip(FOUND, row, strict=True))
    first = values["first_scanned_at"]
    if isinstance(first, str):  # SQLite returns text when the column type is not declared
        first = parse_datetime(first)
    if first is not None and timezone.is_naive(first):  # SQLite stores UTC without zone
        first = timezone.make_aware(first, dt.UTC)
    return Found(**values | {"first_scanned_at": first})


@dataclass(frozen=True)
class Application:
    """An input applied to the batch or its bases, with its interval and whether the harvest
    respected it."""

    record: ProductionRecord
    interval: int
    days_before_harvest: int

    @property
    def respected(self) -> bool:
        return self.days_before_harvest >= self.interval


def batch_context(batch: Batch) -> dict[str, Any]:
    """What the batch part shows: product, batch, bases, the key records as a timeline, inputs
    with their intervals, tests (of the batch and its sources), certificates, where to buy."""
    report = trace(batch)
    category = batch.product.category
    applications = [
        Application(r, interval_days(r.input, category), (batch.produced_on - r.date).days)
        for r in report.applications
        if r.input_id
    ]
    family = [batch.pk, *(b.pk for b, _depth in report.upstream)]
    tests = (
        TestRecord.objects.filter(batch_id__in=family)
        .select_related("ordered_by", "technician")
        .order_by("-tested_at")[:10]
    )
    return {
        "batch": batch,
        "product": batch.product,
        "bases": report.bases,
        "records": sorted(report.records, key=lambda r: (r.date, r.pk))[-12:],
        "applications": applications,
        "tests": tests,
        "certificates": Certificate.objects.filter(batch=batch, voided=False),
        "suppliers": report.suppliers,
    }


def producer_context(producer: Producer) -> dict[str, Any]:
    """What the producer part shows: who, where, designations, valid certifications."""
    today = timezone.localdate()
    return {
        "producer": producer,
        "certifications": [
            c
            for c in Certification.objects.filter(producer=producer).order_by("kind", "name")
            if c.valid_to is None or c.valid_to >= today
        ],
    }


def video_context(producer: Producer) -> dict[str, Any]:
    """The producer's cameras found online by their latest probe (poster first, tap to play)."""
    cameras = (
        Camera.objects.filter(producer=producer, active=True)
        .with_latest_probe()
        .filter(latest_status=ProbeStatus.ONLINE)
        .order_by("point_type", "pk")[:MAX_PLAYERS]
    )
    return {"cameras": list(cameras)}


CONTEXTS = {"batch": batch_context, "producer": producer_context, "video": video_context}


def part(kind: str, obj: Batch | Producer) -> str:
    """The rendered part in the active language, from the cache when it is there."""
    key = _key(kind, obj.pk, translation.get_language() or LANGUAGES[0])
    html = cache.get(key)
    if html is None:
        html = _render_part(kind, obj, key)
    return html


def _render_part(kind: str, obj: Batch | Producer, key: str) -> str:
    html = render_to_string(f"public/_{kind}.html", CONTEXTS[kind](obj))
    cache.set(key, html, TIMEOUTS[kind])
    return html


def parts(found: Found, language: str) -> dict[str, str]:
    """The batch (when shown), video and producer parts of a code's card: one cache round
    trip when they are cached."""
    wanted = {"producer": found.producer_id, "video": found.producer_id}
    if found.shows_batch:
        wanted["batch"] = found.batch_id
    keys = {kind: _key(kind, pk, language) for kind, pk in wanted.items()}
    cached = cache.get_many(keys.values())
    html = {"batch_part": ""}
    for kind, key in keys.items():
        if key in cached:
            html[f"{kind}_part"] = cached[key]
            continue
        model = Batch.objects.select_related("product") if kind == "batch" else Producer.objects
        html[f"{kind}_part"] = _render_part(kind, model.get(pk=wanted[kind]), key)
    return html


@functools.cache
def frame(language: str, state: str, warned: bool) -> tuple[str, ...]:
    """``public/code.html`` for a language and state, rendered with a marker in each slot and
    split at the markers: literal text at even positions, slot names at odd ones."""
    slots = ("title", "lang_next", "reason", "batch_part", "video_part", "producer_part",
             "code", "scanned")  # fmt: skip
    context = {name: mark_safe(f"\x00{name}\x00") for name in slots}
    with translation.override(language):
        html = render_to_string("public/code.html", context | {"state": state, "warned": warned})
    return tuple(SLOT.split(html))


def page(found: Found, path: str, now: dt.datetime) -> str:
    """The whole ID card of a found code in the active language, this request's scan
    included in the count (2021 notice: 产品"身份证")."""
    language = translation.get_language() or LANGUAGES[0]
    count = found.scans + 1
    first = timezone.localtime(found.first_scanned_at or now)
    reason = found.status_reason if found.state == CodeStatus.RECALLED else ""
    values = parts(found, language) | {
        "title": escape(found.product if found.batch_id else found.code),
        "lang_next": escape(quote(path)),
        "reason": format_html("<br>{}", reason) if reason else "",
        "code": escape(found.code),
        "scanned": escape(
            ngettext(
                "此码已被扫描 %(n)s 次，首次扫描于 %(first)s。",
                "此码已被扫描 %(n)s 次，首次扫描于 %(first)s。",
                count,
            )
            % {"n": count, "first": f"{first:%Y-%m-%d %H:%M}"}
        ),
    }
    pieces = frame(language, found.state, count > MANY_SCANS)
    return "".join(values[p] if i % 2 else p for i, p in enumerate(pieces))


def forget(kind: str, pk: int | None) -> None:
    """Drop a cached part in every language."""
    if pk is not None:
        cache.delete_many([_key(kind, pk, language) for language in LANGUAGES])


def _changed(sender: type, instance: Any, **kwargs: Any) -> None:
    """Which cached parts a saved or deleted record belongs to."""
    if isinstance(instance, Producer):
        forget("producer", instance.pk)
    elif isinstance(instance, Camera):
        forget("video", instance.producer_id)
    elif isinstance(instance, Certification):
        forget("producer", instance.producer_id)
    elif isinstance(instance, Batch):
        forget("batch", instance.pk)
    elif isinstance(instance, Product):
        for batch_id in instance.batches.values_list("pk", flat=True):
            forget("batch", batch_id)
    elif isinstance(instance, (ProductionRecord, TestRecord, Certificate)):
        forget("batch", instance.batch_id)
        if isinstance(instance, ProductionRecord) and instance.base_id:
            for batch_id in instance.base.batches.values_list("pk", flat=True):
                forget("batch", batch_id)


def _bases_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    _changed(type(instance), instance)


def connect() -> None:
    """Called from the app's ``ready()``."""
    for model in (Producer, Certification, Batch, Product, ProductionRecord, TestRecord,
                  Certificate, Camera):  # fmt: skip
        post_save.connect(_changed, sender=model, dispatch_uid=f"idcard_{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"idcard_del_{model.__name__}")
    m2m_changed.connect(
        _bases_changed,
        sender=Batch.bases.through,
        dispatch_uid="idcard_batch_bases",
    )
