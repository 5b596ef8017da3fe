"""Device uploads: authentication (token or HMAC signature) and idempotent ingestion.

2020 spec Annex 1: rapid-test devices "自动备份和上传数据". Every record carries the device's own
record id; (device, record id) is unique in the database, so a retried, replayed or concurrent
upload never stores a record twice. Each record is accepted or rejected on its own, with reasons.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from agritrace.catalog.models import Product
from agritrace.core.changelog import record_bulk_create
from agritrace.producers.models import Producer
from agritrace.production.models import Batch
from agritrace.testing import services
from agritrace.testing.choices import Method, Purpose, TLine
from agritrace.testing.models import Device, TestRecord

MAX_RECORDS = 1000
MAX_BODY_BYTES = 5 * 1024 * 1024
SIGNATURE_WINDOW = dt.timedelta(minutes=5)
ACCEPTED, PARTIALLY_ACCEPTED, REJECTED = "ACCEPTED", "PARTIALLY_ACCEPTED", "REJECTED"


class DeviceAuthentication(authentication.BaseAuthentication):
    """``Authorization: Device <serial>:<secret>``, or an HMAC-SHA256 signature:
    ``X-Device-Serial``, ``X-Timestamp`` (Unix seconds, ±5 minutes) and
    ``X-Signature: hex(hmac(secret, timestamp + "." + body))``."""

    def authenticate(self, request: Any) -> tuple[Any, Device] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header.startswith("Device "):
            serial, _sep, secret = header.removeprefix("Device ").partition(":")
            device = self._device(serial)
            if not hmac.compare_digest(secret.strip(), device.secret()):
                raise exceptions.AuthenticationFailed(_("设备密钥错误"))
            return (DeviceUser(device), device)
        serial = request.META.get("HTTP_X_DEVICE_SERIAL")
        if serial is None:
            return None
        device = self._device(serial)
        stamp = request.META.get("HTTP_X_TIMESTAMP", "")
        signature = request.META.get("HTTP_X_SIGNATURE", "")
        if not stamp.isdigit() or abs(time.time() - int(stamp)) > SIGNATURE_WINDOW.total_seconds():
            raise exceptions.AuthenticationFailed(_("时间戳缺失或超出 5 分钟"))
        body = request._request.body
        expected = hmac.new(device.secret().encode(), stamp.encode() + b"." + body, hashlib.sha256)
        if not hmac.compare_digest(signature.removeprefix("sha256="), expected.hexdigest()):
            raise exceptions.AuthenticationFailed(_("签名错误"))
        return (DeviceUser(device), device)

    def authenticate_header(self, request: Any) -> str:
        return 'Device realm="agritrace"'

    @staticmethod
    def _device(serial: str) -> Device:
        device = (
            Device.objects.select_related("producer", "organisation")
            .filter(serial=serial.strip())
            .first()
        )
        if device is None or not device.active:
            raise exceptions.AuthenticationFailed(_("未知或已停用的设备"))
        return device


class DeviceAuthenticationScheme(OpenApiAuthenticationExtension):
    """How the upload endpoints authenticate, in the OpenAPI document."""

    target_class = DeviceAuthentication
    name = "deviceAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "`Device <serial>:<secret>`, or sign the body: headers X-Device-Serial, "
                "X-Timestamp (Unix seconds) and X-Signature = hex HMAC-SHA256(secret, "
                "timestamp + '.' + body)."
            ),
        }


class DeviceUser:
    """The identity of an authenticated device (not a person)."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    role = ""
    producer_id = None
    organisation_id = None

    def __init__(self, device: Device) -> None:
        self.device = device

    def get_username(self) -> str:
        return f"device:{self.device.serial}"


@dataclass
class Outcome:
    """Per-record results and the overall status of one upload."""

    results: list[dict[str, Any]] = field(default_factory=list)

    @property
    def status(self) -> str:
        states = {r["status"] for r in self.results}
        if not states or states == {"rejected"}:
            return REJECTED
        return PARTIALLY_ACCEPTED if "rejected" in states else ACCEPTED


def _decimal(value: Any, name: str, errors: dict[str, list[str]]) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        errors.setdefault(name, []).append(_("不是数字"))
        return None


def _moment(
    value: Any, name: str, errors: dict[str, list[str]], required: bool
) -> dt.datetime | None:
    if value in (None, ""):
        if required:
            errors.setdefault(name, []).append(_("必填"))
        return None
    moment = parse_datetime(str(value)) if isinstance(value, str) else None
    if moment is None:
        errors.setdefault(name, []).append(_("时间格式应为 ISO 8601，如 2026-05-01T09:30:00+08:00"))
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Lookups:
    """Producers, batches and products the records of one upload refer to, loaded in bulk."""

    def __init__(self, device: Device, records: Sequence[dict[str, Any]]) -> None:
        if device.producer_id:
            producers = {device.producer.uscc: device.producer}
        else:
            codes = {
                str(r.get("producer_uscc", "")).upper() for r in records if isinstance(r, dict)
            }
            region = device.organisation.region
            producers = {
                p.uscc: p
                for p in Producer.objects.filter(
                    uscc__in=codes, township__path__startswith=region.path
                )
            }
        self.producers = producers
        ids = [p.pk for p in producers.values()]
        numbers = {str(r.get("batch_number", "")) for r in records if isinstance(r, dict)}
        self.batches = {
            (b.producer_id, b.number): b
            for b in Batch.objects.filter(producer_id__in=ids, number__in=numbers)
        }
        self.products = {
            (p.producer_id, p.name): p for p in Product.objects.filter(producer_id__in=ids)
        }


def build(device: Device, raw: Any, lookups: Lookups) -> TestRecord:
    """A TestRecord from one uploaded record, or ValidationError naming its fields."""
    if not isinstance(raw, dict):
        raise ValidationError({"record": [_("每条记录须为 JSON 对象")]})
    errors: dict[str, list[str]] = {}
    record_id = str(raw.get("record_id", "")).strip()
    if not record_id or len(record_id) > 64:
        errors.setdefault("record_id", []).append(_("须为 1–64 个字符"))
    if device.producer_id:
        producer = device.producer
    else:
        producer = lookups.producers.get(str(raw.get("producer_uscc", "")).upper())
        if producer is None:
            errors.setdefault("producer_uscc", []).append(_("辖区内无此统一社会信用代码的主体"))
    method = raw.get("method")
    if method not in Method.values or method == Method.LAB:
        errors.setdefault("method", []).append(_("须为 enzyme、gold 或 elisa"))
    t_line = raw.get("t_line") or ""
    if t_line and t_line not in TLine.values:
        errors.setdefault("t_line", []).append(_("须为 absent、weaker 或 equal_or_stronger"))
    test = TestRecord(
        producer=producer,
        device=device,
        device_record_id=record_id,
        method=method or "",
        item=str(raw.get("item", ""))[:100],
        sample_name=str(raw.get("sample_name", ""))[:100],
        sampling_place=str(raw.get("sampling_place", ""))[:200],
        sampler=str(raw.get("sampler", ""))[:50],
        tester_name=str(raw.get("tester", ""))[:50],
        purpose=Purpose.SELF if device.producer_id else Purpose.SUPERVISORY,
        ordered_by=device.organisation,
        tested_at=_moment(raw.get("tested_at"), "tested_at", errors, required=True),
        sampled_at=_moment(raw.get("sampled_at"), "sampled_at", errors, required=False),
        inhibition_rate=_decimal(raw.get("inhibition_rate"), "inhibition_rate", errors),
        control_line=raw.get("control_line") if isinstance(raw.get("control_line"), bool) else None,
        t_line=t_line if t_line in TLine.values else "",
        value=_decimal(raw.get("value"), "value", errors),
        limit=_decimal(raw.get("cutoff"), "cutoff", errors),
        unit=str(raw.get("unit", "") or "μg/kg")[:16],
    )
    if not test.item:
        errors.setdefault("item", []).append(_("必填"))
    if not test.sample_name:
        errors.setdefault("sample_name", []).append(_("必填"))
    if producer is not None:
        number = raw.get("batch_number")
        if number:
            test.batch = lookups.batches.get((producer.pk, str(number)))
            if test.batch is None:
                errors.setdefault("batch_number", []).append(_("该主体无此批次号"))
        name = raw.get("product_name")
        if name:
            test.product = lookups.products.get((producer.pk, str(name)))
    if not errors and test.tested_at is not None:
        try:
            services.check(test)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return test


def ingest(device: Device, records: Sequence[Any]) -> Outcome:
    """Validate every record; store the valid ones once (ignoring those already stored), then
    apply the consequences of the failing results that this upload actually stored."""
    outcome = Outcome()
    lookups = Lookups(device, records)
    valid: dict[str, TestRecord] = {}
    rows: list[tuple[str, dict[str, Any]]] = []
    for raw in records:
        record_id = str(raw.get("record_id", "")) if isinstance(raw, dict) else ""
        try:
            test = build(device, raw, lookups)
        except ValidationError as exc:
            rows.append((record_id, {"status": "rejected", "errors": exc.message_dict}))
            continue
        if test.device_record_id in valid:
            rows.append(
                (
                    record_id,
                    {"status": "rejected", "errors": {"record_id": [_("同一次上传中重复")]}},
                )
            )
            continue
        valid[test.device_record_id] = test
        rows.append((record_id, {"status": "pending"}))
    upload = uuid.uuid4()
    with transaction.atomic():
        for test in valid.values():
            test.upload = upload
        TestRecord.objects.bulk_create(valid.values(), batch_size=500, ignore_conflicts=True)
        # Only the rows this upload inserted carry its upload id (a concurrent or earlier
        # upload's rows were ignored by the unique constraint).
        inserted = dict(
            TestRecord.objects.filter(upload=upload).values_list("device_record_id", "pk")
        )
        stored = [test for record_id, test in valid.items() if record_id in inserted]
        for test in stored:
            test.pk = inserted[test.device_record_id]
        record_bulk_create(stored)
        for test in stored:
            services.apply_consequences(test)
    for record_id, result in rows:
        if result["status"] == "pending":
            if record_id in inserted:
                result = {"status": "accepted", "id": inserted[record_id]}
            else:
                result = {"status": "duplicate"}
        outcome.results.append({"record_id": record_id, **result})
    return outcome
