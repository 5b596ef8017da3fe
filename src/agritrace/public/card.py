"""The parts of a product ID card (issue 7, point 1): the producer part and the batch part are
rendered once per language and cached until their records change; the code part (status, scan
count) is fresh on every request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.template.loader import render_to_string
from django.utils import timezone, translation

from agritrace.catalog.models import Certification, Product
from agritrace.coding.models import Certificate
from agritrace.producers.models import Producer
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


def _key(kind: str, pk: int, language: str) -> str:
    return f"idcard:{kind}:{pk}:{language}"


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
        html = render_to_string(f"public/_{kind}.html", CONTEXTS[kind](obj))
        cache.set(key, html, TIMEOUTS[kind])
    return html


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
