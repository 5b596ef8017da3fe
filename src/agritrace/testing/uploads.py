"""Device uploads: parsing, building each record, ingestion and the device's upload log (the
device authenticates by :mod:`agritrace.testing.auth`; :func:`services.record_uploaded` stores).

2020 spec Annex 1: rapid-test devices "自动备份和上传数据". Every record carries the device's own
record id, trimmed once and then compared exactly as stored; (device, record id) is unique in
the database. The same id with the same content (:mod:`agritrace.testing.identity`) is a
``duplicate`` and stores nothing; the same id with different content is a ``conflict``: stored
nowhere, warned about to the producer (a failing reading raises the positive-test warning
anyway) and kept in the upload log. Each record is accepted, duplicate, conflict or rejected on
its own, with reasons; malformed input is refused, never a server error.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError

from agritrace.catalog.models import Product
from agritrace.core.drf import load_json
from agritrace.core.formats import clipped
from agritrace.producers.models import Producer
from agritrace.production.models import Batch
from agritrace.testing import identity, services
from agritrace.testing.choices import Method, Purpose, RecordStatus, TLine, UploadFormat
from agritrace.testing.choices import UploadStatus as Status
from agritrace.testing.models import Device, DeviceUpload, TestRecord

MAX_RECORDS = 1000
MAX_BODY_BYTES = 5 * 1024 * 1024
#: Nesting of a JSON upload: the body, its ``records`` list, a record (3), with room for a
#: device's own nested extras (ignored). Deeper bodies are refused.
MAX_DEPTH = 8
#: Bytes of per-record results kept in an upload log entry (conflicts and rejections first).
LOG_BUDGET = 64 * 1024
#: The HTTP-like code of each record's outcome, in the per-record results.
RECORD_CODES = {
    RecordStatus.ACCEPTED: 201,
    RecordStatus.DUPLICATE: 200,
    RecordStatus.CONFLICT: 409,
    RecordStatus.REJECTED: 400,
}


class UploadRefused(Exception):
    """The upload as a whole cannot be read (not JSON, not UTF-8, no records…): a 400."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def _decode(body: bytes, field: str) -> str:
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UploadRefused({field: [_("内容不是有效的 UTF-8 编码")]}) from None


def _records(records: Any) -> list[Any]:
    if not isinstance(records, list) or not 1 <= len(records) <= MAX_RECORDS:
        raise UploadRefused({"records": [_("须有 1–1000 条记录")]})
    return records


def parse_json(body: bytes) -> list[Any]:
    """The records of a JSON upload: ``{"records": [{…}, …]}``, read by the platform's one JSON
    reader (UTF-8, no NaN/Infinity), nested no deeper than a record's values, numbers read
    exactly (as decimals)."""
    try:
        data = load_json(body, max_depth=MAX_DEPTH, exact=True)
    except ParseError as exc:
        raise UploadRefused({"body": [str(exc.detail)]}) from None
    if not isinstance(data, dict):
        raise UploadRefused({"body": [_('须为 JSON 对象：{"records": [记录, …]}')]})
    return _records(data.get("records"))


def parse_csv(content: bytes) -> list[dict[str, Any]]:
    """The records of a CSV upload: UTF-8, a header row with the JSON field names, at most
    :data:`MAX_RECORDS` rows; a field longer than the csv module's limit refuses the file."""
    text = _decode(content, "file")
    rows: list[dict[str, Any]] = []
    try:
        for row in csv.DictReader(io.StringIO(text, newline="")):
            if len(rows) == MAX_RECORDS:
                raise UploadRefused({"records": [_("须有 1–1000 条记录")]})
            rows.append(_csv_row(row))
    except csv.Error:
        raise UploadRefused({"file": [_("CSV 格式错误或字段过长")]}) from None
    return _records(rows)


def _csv_row(row: dict[str | None, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {
        key: value for key, value in row.items() if key and isinstance(value, str) and value
    }
    if "control_line" in data:
        data["control_line"] = data["control_line"].strip().lower() in ("1", "true", "yes", "是")
    return data


def _text(value: Any) -> str | None:
    """A text value trimmed, or ``None`` when it cannot be one (an object, a list, a control
    character NUL, an unpaired surrogate). Numbers are accepted as their text."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        return None
    text = str(value).strip()
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return None if "\x00" in text else text


def _field_text(raw: dict[str, Any], name: str, errors: dict[str, list[str]]) -> str:
    text = _text(raw.get(name))
    if text is None:
        errors.setdefault(name, []).append(_("须为文本（不含控制字符）"))
        return ""
    return text


def _decimal(raw: dict[str, Any], name: str, errors: dict[str, list[str]]) -> Decimal | None:
    value = raw.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        errors.setdefault(name, []).append(_("不是数字"))
        return None
    try:
        number = Decimal(value.strip() if isinstance(value, str) else str(value))
    except InvalidOperation:
        errors.setdefault(name, []).append(_("不是数字"))
        return None
    if not number.is_finite():
        errors.setdefault(name, []).append(_("须为有限的数字"))
        return None
    return number


def _moment(
    raw: dict[str, Any], name: str, errors: dict[str, list[str]], required: bool
) -> dt.datetime | None:
    value = raw.get(name)
    if value is None or value == "":
        if required:
            errors.setdefault(name, []).append(_("必填"))
        return None
    try:
        moment = parse_datetime(value.strip()) if isinstance(value, str) else None
    except ValueError:  # well formed, but no such day, time or offset
        errors.setdefault(name, []).append(_("日期、时间或时区偏移不存在"))
        return None
    if moment is None:
        errors.setdefault(name, []).append(_("时间格式应为 ISO 8601，如 2026-05-01T09:30:00+08:00"))
        return None
    try:
        moment = timezone.make_aware(moment) if timezone.is_naive(moment) else moment
        moment.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        errors.setdefault(name, []).append(_("时间超出可表示的范围"))
        return None
    return moment


def _flag(raw: dict[str, Any], name: str, errors: dict[str, list[str]]) -> bool | None:
    value = raw.get(name)
    if value is None or isinstance(value, bool):
        return value
    errors.setdefault(name, []).append(_("须为 true 或 false"))
    return None


def record_id_of(raw: Any) -> str | None:
    """The record id a record carries, trimmed once (cut at 64 characters, with a mark, when
    longer), or ``None`` when it has none: echoed in the results of rejected records."""
    text = _text(raw.get("record_id")) if isinstance(raw, dict) else None
    return clipped(text, 65) if text else None


#: Model field → the name of the uploaded field that sets it, where they differ.
UPLOAD_NAMES = {
    "device_record_id": "record_id",
    "limit": "cutoff",
    "tester_name": "tester",
    "batch": "batch_number",
}


class Lookups:
    """Producers, batches and products the records of one upload refer to, loaded in bulk."""

    def __init__(self, device: Device, records: Sequence[Any]) -> None:
        dicts = [r for r in records if isinstance(r, dict)]
        if device.producer_id:
            producers = {device.producer.uscc: device.producer}
        else:
            codes = {(_text(r.get("producer_uscc")) or "").upper() for r in dicts}
            region = device.organisation.region
            producers = {
                p.uscc: p
                for p in Producer.objects.filter(
                    uscc__in=codes, township__path__startswith=region.path
                )
            }
        self.producers = producers
        ids = [p.pk for p in producers.values()]
        numbers = {_text(r.get("batch_number")) or "" for r in dicts}
        self.batches = {
            (b.producer_id, b.number): b
            for b in Batch.objects.filter(producer_id__in=ids, number__in=numbers)
        }
        self.products = {
            (p.producer_id, p.name): p for p in Product.objects.filter(producer_id__in=ids)
        }


def build(device: Device, raw: Any, lookups: Lookups) -> TestRecord:
    """A checked TestRecord (result judged, content fingerprinted) from one uploaded record, or
    ValidationError naming its fields."""
    if not isinstance(raw, dict):
        raise ValidationError({"record": [_("每条记录须为 JSON 对象")]})
    errors: dict[str, list[str]] = {}
    record_id = _field_text(raw, "record_id", errors)
    if "record_id" not in errors and not 1 <= len(record_id) <= 64:
        errors["record_id"] = [_("须为 1–64 个字符")]
    producer = None
    if device.producer_id:
        producer = device.producer
    else:
        uscc = _field_text(raw, "producer_uscc", errors).upper()
        producer = lookups.producers.get(uscc)
        if producer is None and "producer_uscc" not in errors:
            errors.setdefault("producer_uscc", []).append(_("辖区内无此统一社会信用代码的主体"))
    method = _field_text(raw, "method", errors)
    if method not in Method.values or method == Method.LAB:
        errors.setdefault("method", []).append(_("须为 enzyme、gold 或 elisa"))
    t_line = _field_text(raw, "t_line", errors)
    if t_line and t_line not in TLine.values:
        errors.setdefault("t_line", []).append(_("须为 absent、weaker 或 equal_or_stronger"))
    test = TestRecord(
        producer=producer,
        device=device,
        device_record_id=record_id,
        method=method,
        item=_field_text(raw, "item", errors),
        sample_name=_field_text(raw, "sample_name", errors),
        sampling_place=_field_text(raw, "sampling_place", errors),
        sampler=_field_text(raw, "sampler", errors),
        tester_name=_field_text(raw, "tester", errors),
        purpose=Purpose.SELF if device.producer_id else Purpose.SUPERVISORY,
        ordered_by=device.organisation,
        tested_at=_moment(raw, "tested_at", errors, required=True),
        sampled_at=_moment(raw, "sampled_at", errors, required=False),
        inhibition_rate=_decimal(raw, "inhibition_rate", errors),
        control_line=_flag(raw, "control_line", errors),
        t_line=t_line,
        value=_decimal(raw, "value", errors),
        limit=_decimal(raw, "cutoff", errors),
        unit=_field_text(raw, "unit", errors) or "μg/kg",
    )
    for name in ("item", "sample_name"):
        if not getattr(test, name) and name not in errors:
            errors.setdefault(name, []).append(_("必填"))
    if producer is not None:
        number = _field_text(raw, "batch_number", errors)
        if number:
            test.batch = lookups.batches.get((producer.pk, number))
            if test.batch is None:
                errors.setdefault("batch_number", []).append(_("该主体无此批次号"))
        name = _field_text(raw, "product_name", errors)
        if name:
            test.product = lookups.products.get((producer.pk, name))
    if not errors:
        try:
            services.check(test)
        except ValidationError as exc:
            # the device calls the limit its "cutoff"
            for field_name, messages in exc.message_dict.items():
                errors[UPLOAD_NAMES.get(field_name, field_name)] = messages
    if errors:
        raise ValidationError(errors)
    test.fingerprint = identity.fingerprint(test)
    return test


@dataclass
class Outcome:
    """Per-record results and the overall status of one upload.

    Overall: ``ACCEPTED`` (200) when every record was stored or was already stored the same;
    ``PARTIALLY_ACCEPTED`` (200) when some were rejected; ``CONFLICT`` when any record id was
    already used with different content (409 when nothing was accepted, else 207);
    ``REJECTED`` (400) when nothing was accepted.
    """

    results: list[dict[str, Any]] = field(default_factory=list)
    #: The upload id: the log entry's, and the stored tests' ``upload``.
    upload: uuid.UUID | None = None

    def add(self, index: int, record_id: str | None, state: str, **extra: Any) -> None:
        """One record's result."""
        code = RECORD_CODES[RecordStatus(state)]
        self.results.append(
            {"index": index, "record_id": record_id, "status": state, "code": code, **extra}
        )

    @property
    def counts(self) -> Counter[str]:
        return Counter(r["status"] for r in self.results)

    @property
    def status(self) -> str:
        counts = self.counts
        taken = counts[RecordStatus.ACCEPTED] + counts[RecordStatus.DUPLICATE]
        if counts[RecordStatus.CONFLICT]:
            return Status.CONFLICT
        if not taken:
            return Status.REJECTED
        return Status.PARTIALLY_ACCEPTED if counts[RecordStatus.REJECTED] else Status.ACCEPTED

    @property
    def http_status(self) -> int:
        counts = self.counts
        taken = counts[RecordStatus.ACCEPTED] + counts[RecordStatus.DUPLICATE]
        return {
            Status.CONFLICT: 207 if taken else 409,
            Status.REJECTED: 400,
        }.get(self.status, 200)


def ingest(device: Device, records: Sequence[Any], source: str = UploadFormat.JSON) -> Outcome:
    """Check every record, have the valid ones stored (:func:`services.record_uploaded`: each
    new record id once, the others ``duplicate`` or ``conflict`` by their content), answer
    each record and log the upload."""
    outcome = Outcome(upload=uuid.uuid4())
    lookups = Lookups(device, records)
    built: list[tuple[int, TestRecord]] = []
    for index, raw in enumerate(records):
        try:
            built.append((index, build(device, raw, lookups)))
        except ValidationError as exc:
            outcome.add(index, record_id_of(raw), RecordStatus.REJECTED, errors=exc.message_dict)
    with transaction.atomic():
        answers = services.record_uploaded(device, [test for _i, test in built], outcome.upload)
        for (index, test), (state, pk) in zip(built, answers, strict=True):
            extra = {}
            if state == RecordStatus.CONFLICT:
                extra["errors"] = {"record_id": [_("该记录号已上传过不同的内容，本条未保存")]}
            outcome.add(index, test.device_record_id, state, id=pk, **extra)
        outcome.results.sort(key=lambda result: result["index"])
        log(device, source, outcome, records=len(records))
    return outcome


def log(
    device: Device,
    source: str,
    outcome: Outcome,
    *,
    records: int,
    errors: dict[str, list[str]] | None = None,
) -> DeviceUpload:
    """The upload log entry: counts, the overall answer and the per-record results, within
    :data:`LOG_BUDGET` bytes (conflicts and rejections kept first)."""
    counts = outcome.counts
    kept, omitted = _bounded(outcome.results)
    return DeviceUpload.objects.create(
        device=device,
        uid=outcome.upload,
        source=source,
        status=outcome.status if errors is None else Status.REJECTED,
        http_status=outcome.http_status if errors is None else 400,
        records=records,
        accepted=counts[RecordStatus.ACCEPTED],
        duplicates=counts[RecordStatus.DUPLICATE],
        conflicts=counts[RecordStatus.CONFLICT],
        rejected=counts[RecordStatus.REJECTED],
        errors=errors or {},
        results=kept,
        omitted=omitted,
    )


def refuse(device: Device, source: str, errors: dict[str, list[str]]) -> DeviceUpload:
    """Log an upload refused as a whole (see :class:`UploadRefused`)."""
    return log(device, source, Outcome(upload=uuid.uuid4()), records=0, errors=errors)


LOG_ORDER = [RecordStatus.CONFLICT, RecordStatus.REJECTED, RecordStatus.DUPLICATE]


def _bounded(results: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """The results that fit in :data:`LOG_BUDGET` bytes of JSON, the most telling first (in
    upload order within each status), and how many did not fit."""
    ranked = sorted(
        results,
        key=lambda r: LOG_ORDER.index(r["status"]) if r["status"] in LOG_ORDER else len(LOG_ORDER),
    )
    kept: list[dict[str, Any]] = []
    size = 2
    for result in ranked:
        size += len(json.dumps(result, ensure_ascii=False).encode()) + 1
        if size > LOG_BUDGET:
            break
        kept.append(result)
    return kept, len(results) - len(kept)
