"""A product ID card (issue 7, points 1 and 4), assembled for speed on the busiest page:

- the code is found with one indexed query whose SQL is compiled once (:func:`find`);
- the producer, batch and video parts are rendered once per language and version and kept in
  this process's memory and in Django's cache (shared by every process); a part's version
  (:class:`~agritrace.public.models.CardVersion`) changes with any record it shows and comes
  with the code in the same query, so a stale part is never served and nothing needs to be
  invalidated across processes; the video part also changes every minute (camera probes);
- the page around them (``public/code.html``) is rendered once per process, language and state
  with markers in its slots and split there (:func:`frame`); a request fills the slots with
  the cached parts and the code's own escaped values (code, scan count, first scan).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from agritrace.catalog.models import Certification, Product, Standard
from agritrace.catalog.services import photo_srcset
from agritrace.coding.choices import CodeStatus
from agritrace.coding.models import Certificate, TraceCode
from agritrace.coding.services.checks import Validity, code_validity
from agritrace.core import prepared
from agritrace.core.scoping import contact_phone_for
from agritrace.producers.models import Producer
from agritrace.production.choices import BuyerKind
from agritrace.production.models import Batch, ProductionRecord, Shipment
from agritrace.production.services import interval_days
from agritrace.production.trace import trace
from agritrace.public.models import CardVersion
from agritrace.testing.choices import Method
from agritrace.testing.models import TestRecord
from agritrace.testing.rules import ENZYME_POSITIVE_PERCENT
from agritrace.video.choices import ProbeStatus
from agritrace.video.models import Camera

#: Parts kept in the shared cache this long at most (a new version makes a new key); the
#: video part follows the cameras' probes, so it is kept one minute.
TIMEOUTS = {"producer": 24 * 3600, "batch": 24 * 3600, "video": 60}
#: Parts kept in this process's memory (about 3 KB each); the memo is emptied when full.
MEMO_SIZE = 4096
MEMO: dict[tuple[object, ...], str] = {}
#: Live players on one card (2021 notice Annex 6: the free plan allows 3 concurrent viewers).
MAX_PLAYERS = 3
LANGUAGES = ("zh-hans", "en")
#: The national agricultural service hotline (全国农业服务热线 12316), for complaints and
#: questions about farm products, shown beside the producer's own (masked) phone.
HOTLINE = "12316"
#: Shipments whose buyer a shopper can walk into: markets and supermarkets (not processors,
#: canteens or online shops, whose link is the product's own ``shop_url``).
OFFLINE_OUTLETS = (BuyerKind.WHOLESALE_MARKET, BuyerKind.FARMERS_MARKET, BuyerKind.SUPERMARKET)
#: Places to buy shown at most.
MAX_OUTLETS = 8
#: The standard method of a rapid test (``agritrace.testing.rules``); a laboratory test names
#: the standard of its limit (``limit_source``, GB 2763 or GB 31650).
METHOD_STANDARDS = {Method.ENZYME: "GB/T 5009.199-2003"}


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
    "gtin": "batch__product__gtin",
    "batch_number": "batch__number",
    "batch_version": "batch_version",
    "producer_version": "producer_version",
}
#: Stands for the code in the compiled lookup.
CODE_PARAM = "\x00code\x00"
SLOT = re.compile("\x00(\\w+)\x00")


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
    gtin: str | None
    batch_number: str | None
    batch_version: int | None
    producer_version: int | None

    @property
    def shows_batch(self) -> bool:
        """Active and recalled codes show their batch; others only say what they are."""
        return self.status in (CodeStatus.ACTIVE, CodeStatus.RECALLED) and self.batch_id is not None

    @property
    def state(self) -> Validity:
        """Which notice the page leads with: why the code is not valid now, if it is not."""
        return code_validity(self.status, self.batch_status)

    def named_by(self, gtin: str, lot: str) -> bool:
        """Whether a GS1 Digital Link's GTIN and lot (optional) are this code's product and
        batch."""
        return (
            self.batch_id is not None
            and (self.gtin or "").zfill(14) == gtin.zfill(14)
            and lot in ("", self.batch_number)
        )


def _version(kind: str, field: str) -> Subquery:
    return Subquery(
        CardVersion.objects.filter(kind=kind, object_id=OuterRef(field)).values("version")[:1]
    )


@functools.cache
def _lookup(alias: str) -> tuple[str, tuple[object, ...]]:
    """The lookup's SQL and parameters, compiled once from the ORM."""
    query = (
        TraceCode.objects.filter(code=CODE_PARAM)
        .order_by()
        .annotate(
            batch_version=_version("batch", "batch_id"),
            producer_version=_version("producer", "producer_id"),
        )
        .values_list(*FOUND.values())
        .query
    )
    return query.get_compiler(alias).as_sql()


def find(code: str) -> Found | None:
    """The code (canonical form), by its unique index, with its producer's county, its batch's
    state and product name and the versions of its card's parts: one query."""
    sql, params = _lookup(connection.alias)
    with connection.cursor() as cursor:
        prepared.execute(
            cursor, "idcard_lookup", sql, [code if p == CODE_PARAM else p for p in params]
        )
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


def plain(number: Decimal | None) -> str:
    """A reading without trailing zeros or exponent: 0.0200 → 0.02, 10.0000 → 10."""
    return "" if number is None else f"{number.normalize():f}"


@dataclass(frozen=True)
class Outlet:
    """A market or shop the batch was shipped to."""

    buyer: str
    kind: str
    destination: str


def outlets(batch: Batch) -> list[Outlet]:
    """Where a shopper can buy the batch offline: its shipments to markets and supermarkets,
    latest first, each place once."""
    seen: dict[tuple[str, str], Outlet] = {}
    shipments = batch.shipments.filter(buyer_kind__in=OFFLINE_OUTLETS).order_by("-shipped_on")
    for shipment in shipments.only("buyer", "buyer_kind", "destination"):
        key = (shipment.buyer, shipment.destination)
        if key not in seen:
            seen[key] = Outlet(
                shipment.buyer, shipment.get_buyer_kind_display(), shipment.destination
            )
    return list(seen.values())[:MAX_OUTLETS]


def batch_context(batch: Batch) -> dict[str, Any]:
    """What the batch part shows: product (photo, standards, shelf life and storage), batch,
    bases, the key records as a timeline, inputs with their intervals, tests (of the batch and
    its sources, with their readings against their limits and methods' standards),
    certificates, where to buy (online and offline)."""
    report = trace(batch)
    category = batch.product.category
    applications = [
        Application(r, interval_days(r.input, category), (batch.produced_on - r.date).days)
        for r in report.applications
        if r.input_id
    ]
    family = [batch.pk, *(b.pk for b, _depth in report.upstream)]
    tests = list(
        TestRecord.objects.filter(batch_id__in=family)
        .select_related("ordered_by", "technician")
        .order_by("-tested_at")[:10]
    )
    for test in tests:
        test.method_standard = METHOD_STANDARDS.get(test.method, "")
        test.shown = {k: plain(getattr(test, k)) for k in ("value", "limit", "inhibition_rate")}
    product = batch.product
    shelf_life = product.shelf_life_days
    return {
        "batch": batch,
        "product": product,
        "photo": photo_srcset(product),
        "standards": list(product.standards.all()),
        "best_before": batch.produced_on + dt.timedelta(days=shelf_life) if shelf_life else None,
        "outlets": outlets(batch),
        "enzyme_positive": ENZYME_POSITIVE_PERCENT,
        "bases": report.bases,
        "records": sorted(report.records, key=lambda r: (r.date, r.pk))[-12:],
        "applications": applications,
        "tests": tests,
        "certificates": Certificate.objects.filter(batch=batch, voided=False),
        "suppliers": report.suppliers,
    }


def producer_context(producer: Producer) -> dict[str, Any]:
    """What the producer part shows: who, where, designations, valid certifications with the
    products each covers, the service phone as anyone may see it (masked, PIPL Art. 6) and the
    12316 hotline."""
    today = timezone.localdate()
    certifications = (
        Certification.objects.filter(producer=producer)
        .prefetch_related("products")
        .order_by("kind", "name")
    )
    return {
        "producer": producer,
        "certifications": [c for c in certifications if c.valid_to is None or c.valid_to >= today],
        "phone": contact_phone_for(AnonymousUser(), producer),
        "hotline": HOTLINE,
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


def parts(found: Found, language: str) -> dict[str, str]:
    """The batch (when shown), video and producer parts of a code's card, by version: from
    this process's memory, else from the shared cache (one round trip), else rendered."""
    minute = int(time.time() // 60)
    wanted = {
        "producer": (found.producer_id, found.producer_version or 0),
        "video": (found.producer_id, f"{found.producer_version or 0}.{minute}"),
    }
    if found.shows_batch:
        wanted["batch"] = (found.batch_id, found.batch_version or 0)
    html = {"batch_part": ""}
    missing = {}
    for kind, (pk, version) in wanted.items():
        memo = MEMO.get((kind, pk, language, version))
        if memo is None:
            missing[kind] = f"idcard:{kind}:{pk}:{language}:{version}"
        else:
            html[f"{kind}_part"] = memo
    cached = cache.get_many(missing.values()) if missing else {}
    for kind, key in missing.items():
        pk, version = wanted[kind]
        text = cached.get(key)
        if text is None:
            model = Batch.objects.select_related("product") if kind == "batch" else Producer.objects
            text = render_to_string(f"public/_{kind}.html", CONTEXTS[kind](model.get(pk=pk)))
            cache.set(key, text, TIMEOUTS[kind])
        if len(MEMO) >= MEMO_SIZE:
            MEMO.clear()
        MEMO[kind, pk, language, version] = html[f"{kind}_part"] = text
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
    reason = found.status_reason if found.state == Validity.RECALLED else ""
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


def touch(kind: str, ids: list[int | None]) -> None:
    """Give the parts of these batches or producers a new version (in the writing transaction,
    so the new version and the change become visible together)."""
    version = time.time_ns()
    CardVersion.objects.bulk_create(
        [CardVersion(kind=kind, object_id=pk, version=version) for pk in ids if pk is not None],
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=["version"],
    )


def _changed(sender: type, instance: Any, **kwargs: Any) -> None:
    """Which parts a saved or deleted record shows."""
    if isinstance(instance, Producer):
        touch("producer", [instance.pk])
    elif isinstance(instance, (Camera, Certification)):
        touch("producer", [instance.producer_id])
    elif isinstance(instance, Batch):
        touch("batch", [instance.pk])
    elif isinstance(instance, Product):
        touch("batch", list(instance.batches.values_list("pk", flat=True)))
        touch("producer", [instance.producer_id])  # certifications name the products they cover
    elif isinstance(instance, Standard):
        touch("batch", list(Batch.objects.filter(product__standards=instance).values_list(
            "pk", flat=True)))  # fmt: skip
    elif isinstance(instance, Shipment):
        touch("batch", [instance.batch_id])
    elif isinstance(instance, (ProductionRecord, TestRecord, Certificate)):
        touch("batch", [instance.batch_id])
        if isinstance(instance, ProductionRecord) and instance.base_id:
            touch("batch", list(instance.base.batches.values_list("pk", flat=True)))


def _bases_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    _changed(type(instance), instance)


def connect() -> None:
    """Called from the app's ``ready()``."""
    for model in (Producer, Certification, Batch, Product, Standard, ProductionRecord,
                  TestRecord, Certificate, Camera, Shipment):  # fmt: skip
        post_save.connect(_changed, sender=model, dispatch_uid=f"idcard_{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"idcard_del_{model.__name__}")
    for through, name in ((Batch.bases.through, "batch_bases"),
                          (Product.standards.through, "product_standards"),
                          (Certification.products.through, "certification_products")):  # fmt: skip
        m2m_changed.connect(_bases_changed, sender=through, dispatch_uid=f"idcard_{name}")
